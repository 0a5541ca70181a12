import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTree, importsOf, violations } from './layers.js';

const root = resolve(import.meta.dirname, '..');

describe('architecture', () => {
  it('every import respects the layer order core → data → models → … → report → jobs → cli', () => {
    expect(checkTree(root)).toEqual([]);
  });

  it('the checker catches an upward import, a sideways import, a deep import and an eager native import', () => {
    const f = (rel: string) => resolve(root, rel);
    const edges = [
      ...importsOf(f('src/core/x.ts'), "import { a } from '../data/index.js';"),
      ...importsOf(f('src/fairness/x.ts'), "import { b } from '../privacy/index.js';"),
      ...importsOf(f('src/jobs/x.ts'), "import { c } from '../models/lbfgs.js';"),
      ...importsOf(f('src/models/x.ts'), "import * as ort from 'onnxruntime-node';"),
      ...importsOf(
        f('src/jobs/ok.ts'),
        "import { d } from '../models/onnx/index.js';\nconst e = await import('../core/index.js');",
      ),
    ];
    const found = violations(root, edges);
    expect(found).toHaveLength(4);
    expect(found[0]).toMatch(/'core' \(layer 0\) may not depend on 'data'/);
    expect(found[1]).toMatch(/'fairness' \(layer 3\) may not depend on 'privacy'/);
    expect(found[2]).toMatch(/only through their index.js/);
    expect(found[3]).toMatch(/only src\/models\/onnx\/onnx-runtime.ts may/);
  });
});
