/** The report's inline stylesheet: system fonts, readable line length, print rules; no external fetches. */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #5a5a5a; --rule: #d9dde3; --band: #f5f7fa;
  --accent: #0b5394; --warn-bg: #fff8e5; --warn-rule: #c77c02; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.page { max-width: 72rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
header.report-header { border-bottom: 2px solid var(--ink); padding-bottom: 1rem; margin-bottom: 1.5rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 .25rem; }
h2 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 .5rem; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.subtitle { font-size: 1.15rem; color: var(--muted); margin: 0 0 .5rem; }
.generated { color: var(--muted); font-size: .9rem; margin: 0; }
a { color: var(--accent); }
a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip-link { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem 1rem; }
.skip-link:focus { left: 1rem; }
nav.toc { background: var(--band); border: 1px solid var(--rule); border-radius: 6px; padding: .75rem 1.25rem;
  margin-bottom: 2rem; }
nav.toc h2 { font-size: 1rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 0 0 .25rem; }
nav.toc ol { margin: 0; padding-left: 1.25rem; columns: 2 18rem; }
section.report-section { padding-top: 1rem; margin-bottom: 2.5rem; border-top: 1px solid var(--rule); }
.summary { font-size: 1.05rem; max-width: 60rem; }
p { max-width: 60rem; }
dl.kv { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: .5rem 1.5rem; margin: 1rem 0; }
dl.kv div { border-left: 3px solid var(--rule); padding-left: .6rem; }
dl.kv dt { font-size: .8rem; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
dl.kv dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; margin: 1rem 0 1.5rem; }
table { border-collapse: collapse; font-size: .92rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 0 0 .4rem; caption-side: top; }
th, td { padding: .35rem .75rem; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); font-weight: 600; white-space: nowrap; }
tbody th { font-weight: 600; }
tbody tr:nth-child(even) { background: var(--band); }
td.num, th.num { text-align: right; white-space: nowrap; }
td.missing { color: var(--muted); text-align: center; }
figure.chart { margin: 1rem 0 1.75rem; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .9rem; margin-top: .35rem; max-width: 60rem; }
.warnings { background: var(--warn-bg); border-left: 4px solid var(--warn-rule); border-radius: 4px;
  padding: .6rem 1rem; margin: 1rem 0; }
.warnings h3 { margin: 0 0 .25rem; font-size: 1rem; }
.warnings ul { margin: 0; padding-left: 1.25rem; }
header dl.kv { margin-bottom: 0; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
footer { color: var(--muted); font-size: .85rem; border-top: 1px solid var(--rule); padding-top: 1rem; }
@media (max-width: 40rem) { .page { padding: 1rem; } h1 { font-size: 1.6rem; } }
@media print {
  @page { margin: 15mm; }
  body { font-size: 11pt; }
  .page { max-width: none; padding: 0; }
  .skip-link { display: none; }
  nav.toc { break-after: page; background: none; }
  a { color: inherit; text-decoration: none; }
  section.report-section { break-before: auto; }
  h2, h3 { break-after: avoid; }
  figure.chart, tr, dl.kv div, .warnings { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  tbody tr:nth-child(even) { background: none; }
  thead { display: table-header-group; }
}
`;
