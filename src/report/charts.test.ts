import { describe, expect, it } from 'vitest';
import { barChart } from './bar-chart.js';
import { confusionMatrixChart } from './confusion-matrix-chart.js';
import { labelBalanceChart } from './label-balance-chart.js';
import { rocChart } from './roc-chart.js';
import { cleanEchartsSvg, inlineSvg } from './svg.js';
import { chartBuilderChecks, expectCleanSvg } from './svg-checks.test-suite.js';

const HOSTILE = '<script>alert(1)</script>';

const groups = [
  { attribute: 'sex', group: 'Male', count: 20380, positives: 6396 },
  { attribute: 'sex', group: 'Female', count: 9782, positives: 1112 },
  { attribute: 'race', group: HOSTILE, count: 12, positives: 0 },
];

function curve(n: number): { fpr: number[]; tpr: number[] } {
  const fpr = Array.from({ length: n }, (_, i) => i / (n - 1));
  return { fpr, tpr: fpr.map((x) => 1 - (1 - x) ** 2) };
}

const builders: [string, () => string][] = [
  ['labelBalanceChart', () => labelBalanceChart({ groups })],
  ['rocChart', () => rocChart({ curves: [{ name: HOSTILE, ...curve(10_000), auc: 2 / 3 }] })],
  [
    'confusionMatrixChart',
    () => confusionMatrixChart({ tp: 906, fp: 327, tn: 4204, fn: 596, labels: ['<=50K', HOSTILE] }),
  ],
  [
    'barChart',
    () =>
      barChart({
        bars: [
          { name: HOSTILE, value: 0.5 },
          { name: 'b', value: null, color: '#d55e00' },
        ],
        format: 'percent',
      }),
  ],
];

chartBuilderChecks(builders, 16_000);

describe('chart content', () => {
  it('labels label-balance bars with the rate and the row count', () => {
    const svg = labelBalanceChart({ groups });
    // 6396 / 20380 = 31.38...% -> "31.4%"; 1112 / 9782 = 11.37% -> "11.4%".
    expect(svg).toContain('31.4% of 20,380');
    expect(svg).toContain('11.4% of 9,782');
  });

  it('shows counts and shares in the confusion matrix', () => {
    const svg = confusionMatrixChart({ tp: 906, fp: 327, tn: 4204, fn: 596 });
    // Total 6033; TN share 4204 / 6033 = 69.68% -> "69.7%".
    expect(svg).toContain('4,204');
    expect(svg).toContain('TN · 69.7%');
    expect(svg).toContain('Negative');
  });

  it('names each ROC curve with its AUC and draws the chance diagonal', () => {
    const svg = rocChart({ curves: [{ name: 'lr', ...curve(50), auc: 0.66666 }] });
    expect(svg).toContain('lr (AUC 0.6667)');
    expect(svg).toContain('Chance');
    expect(svg).toContain('stroke-dasharray');
  });

  it('draws an explanatory placeholder when there is nothing to chart', () => {
    for (const svg of [labelBalanceChart({ groups: [] }), rocChart({ curves: [] }), barChart({ bars: [] })]) {
      expectCleanSvg(svg);
    }
  });

  it('rejects inconsistent input with a message naming the problem', () => {
    expect(() =>
      labelBalanceChart({ groups: [{ attribute: 'a', group: 'g', count: 1, positives: 2 }] }),
    ).toThrow(/positives <= count/);
    expect(() => rocChart({ curves: [{ name: 'x', fpr: [0, 1], tpr: [0], auc: 0.5 }] })).toThrow(
      /same length/,
    );
    expect(() => confusionMatrixChart({ tp: -1, fp: 0, tn: 0, fn: 0 })).toThrow(/'tp'/);
    expect(() => barChart({ bars: [{ name: 'a', value: 1, color: 'red" onload="x' }] })).toThrow(
      /hex colours/,
    );
  });
});

describe('SVG post-processing', () => {
  it('strips an XML prolog, hover styles and per-instance ids', () => {
    const raw =
      '<?xml version="1.0" encoding="UTF-8"?>\n<svg width="1" height="1" xmlns="http://www.w3.org/2000/svg">' +
      '<g clip-path="url(#zr7-c0)"><path d="M0 0" class="zr7-cls-1" ecmeta_series_index="0"></path></g>' +
      '<defs ><clipPath id="zr7-c0"><path d="M0 0"></path></clipPath></defs>' +
      '<style ><![CDATA[.zr7-cls-1:hover{cursor:pointer}]]></style></svg>';
    expect(cleanEchartsSvg(raw)).toBe(
      '<svg width="1" height="1" xmlns="http://www.w3.org/2000/svg"><g clip-path="url(#c0)"><path d="M0 0"></path></g>' +
        '<defs><clipPath id="c0"><path d="M0 0"></path></clipPath></defs></svg>',
    );
  });

  it('removes scripts, handlers and external links, and prefixes ids when inlining', () => {
    const svg =
      '<svg onload="alert(1)" xmlns="http://www.w3.org/2000/svg"><script>alert(2)</script>' +
      '<a href="https://evil.example"><use xlink:href="#c0"></use></a><clipPath id="c0"></clipPath>' +
      '<g clip-path="url(#c0)"></g><foreignObject><div></div></foreignObject></svg>';
    const out = inlineSvg(svg, 'c3-', 'A chart');
    expect(out).not.toMatch(/onload|<script|evil|foreignObject/);
    expect(out).toContain('id="c3-c0"');
    expect(out).toContain('url(#c3-c0)');
    expect(out).toContain('xlink:href="#c3-c0"');
    expect(out).toMatch(/^<svg aria-label="A chart" role="img"/);
    expect(() => inlineSvg('<div>not svg</div>', 'c0-', 'x')).toThrow(/must start with '<svg'/);
  });
});
