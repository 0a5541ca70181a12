import type { Report, ReportSection } from './model.js';

/** Input of `createReport`. */
export interface CreateReportOptions {
  /** Title of the document. */
  title: string;
  /** Line under the title. */
  subtitle?: string;
  /** Sections in display order. */
  sections: ReportSection[];
  /** Label-value pairs for the header. */
  meta?: Record<string, string>;
  /** Generation time; default now. Pass a fixed value for reproducible output. */
  generatedAt?: Date | string;
}

/** Assembles a `Report`, stamping `generatedAt` (now, unless given) as an ISO 8601 string. */
export function createReport(options: CreateReportOptions): Report {
  const at = options.generatedAt ?? new Date();
  const report: Report = {
    title: options.title,
    generatedAt: typeof at === 'string' ? at : at.toISOString(),
    sections: options.sections,
  };
  if (options.subtitle !== undefined) report.subtitle = options.subtitle;
  if (options.meta !== undefined) report.meta = options.meta;
  return report;
}
