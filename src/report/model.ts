/** How a number in a table cell or key-value item is written; see `formatNumber`. */
export type NumberFormat = 'auto' | 'metric' | 'count' | 'percent' | 'seconds' | 'raw';

/** One value of a table cell: text, a number (formatted by the column's `NumberFormat`) or missing. */
export type TableCell = string | number | null;

/** A paragraph of plain text (escaped when rendered; no markup). */
export interface ParagraphBlock {
  /** Discriminant. */
  kind: 'paragraph';
  /** The text. */
  text: string;
}

/** A table with a header row; numbers are right-aligned and formatted, `null` shows as a dash. */
export interface TableBlock {
  /** Discriminant. */
  kind: 'table';
  /** Caption shown above the table. */
  caption?: string;
  /** Header labels, one per column. */
  columns: string[];
  /** Rows of cells, each as long as `columns`. */
  rows: TableCell[][];
  /** One format for every numeric column, or one per column; default 'auto'. */
  numberFormat?: NumberFormat | NumberFormat[];
}

/** A chart as an inline SVG string made by one of the chart builders (`rocChart`, `barChart`, ...). */
export interface ChartBlock {
  /** Discriminant. */
  kind: 'chart';
  /** Caption shown below the chart; also the accessible name when the SVG has none. */
  caption?: string;
  /** SVG markup starting with `<svg`. */
  svg: string;
}

/** Warnings a reader must see (a tiny group, an undefined metric); rendered as a highlighted list. */
export interface WarningsBlock {
  /** Discriminant. */
  kind: 'warnings';
  /** One sentence per warning. */
  items: string[];
}

/** Label-value pairs (a description list); numeric values are formatted with 'auto'. */
export interface KeyValueBlock {
  /** Discriminant. */
  kind: 'keyValue';
  /** The pairs, in display order. */
  items: [string, string | number][];
}

/** One piece of content of a report section: plain, JSON-serialisable data. */
export type ReportBlock = ParagraphBlock | TableBlock | ChartBlock | WarningsBlock | KeyValueBlock;

/** One section of a report (dataset, evaluation, fairness audit, ...), linked from the table of contents. */
export interface ReportSection {
  /** Unique HTML id: a letter followed by letters, digits, '-' or '_'. */
  id: string;
  /** Heading of the section. */
  title: string;
  /** One or two sentences shown under the heading. */
  summary?: string;
  /** Content, in display order. */
  blocks: ReportBlock[];
}

/** A whole report: plain, JSON-serialisable data that `renderHtml` turns into one HTML file. */
export interface Report {
  /** Title of the document. */
  title: string;
  /** Line shown under the title. */
  subtitle?: string;
  /** When the report was generated, as an ISO 8601 string. */
  generatedAt: string;
  /** Sections in display order. */
  sections: ReportSection[];
  /** Extra label-value pairs shown in the header (e.g. dataset, model, Steward version). */
  meta?: Record<string, string>;
}

/** Options every `...Section` builder accepts, to place two sections of the same kind in one report. */
export interface SectionOptions {
  /** Overrides the section id. */
  id?: string;
  /** Overrides the section title. */
  title?: string;
}
