import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFilesAtomically } from './atomic-write.js';

describe('writeFilesAtomically', () => {
  it('writes every file and leaves no temporaries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-aw-'));
    await writeFilesAtomically([
      { path: join(dir, 'a.txt'), contents: 'A' },
      { path: join(dir, 'sub', 'b.bin'), contents: new Uint8Array([1, 2]) },
    ]);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('A');
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'sub']);
  });

  it('on failure keeps the previous files and removes the new ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-aw-'));
    writeFileSync(join(dir, 'report.html'), 'old report');
    mkdirSync(join(dir, 'model.onnx')); // a folder where a file must go
    await expect(
      writeFilesAtomically([
        { path: join(dir, 'report.html'), contents: 'new report' },
        { path: join(dir, 'model.onnx'), contents: 'new model' },
      ]),
    ).rejects.toThrow(/output path is a folder/);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe('old report');
    expect(readdirSync(dir).sort()).toEqual(['model.onnx', 'report.html']);
  });
});
