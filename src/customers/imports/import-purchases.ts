import { DomainRuleViolation } from '../../core/errors';
import type { ImportFormat, ParsedLine, PurchaseRow } from './purchase-rows';

/** What an import did: every data line is recorded, a duplicate of an order already recorded, or invalid (with its line and reason). */
export interface ImportReport {
  format: ImportFormat;
  /** Data lines read (blank lines and the CSV header are not counted). */
  rows: number;
  /** Purchases appended by this import. */
  recorded: number;
  /** Rows whose order was already recorded with the same values: nothing appended, nothing wrong. */
  duplicates: number;
  /** How many rows were refused; each is listed in `invalid`. */
  invalidCount: number;
  invalid: Array<{ line: number; reason: string; rule?: string }>;
  /** Highest global position appended or replayed: pass it as minPosition to read the import back. */
  position: number;
}

export type RecordPurchaseRow = (row: PurchaseRow) => Promise<{ replayed: boolean; position: number }>;

/**
 * Records every valid row through the command path, one at a time, and keeps going past bad rows:
 * a row the rules refuse (an order repeated with another amount, a purchase dated in the future) is
 * reported like a malformed one. Anything else (the store is down) stops the import: the rows before
 * it are recorded, and re-running the same file is safe because purchases are idempotent on the order.
 */
export async function importPurchases(
  format: ImportFormat,
  lines: AsyncIterable<ParsedLine> | Iterable<ParsedLine>,
  record: RecordPurchaseRow,
  onRow?: (report: ImportReport) => void,
): Promise<ImportReport> {
  const report: ImportReport = { format, rows: 0, recorded: 0, duplicates: 0, invalidCount: 0, invalid: [], position: 0 };
  for await (const parsed of lines) {
    report.rows += 1;
    if (parsed.error !== undefined) {
      report.invalid.push({ line: parsed.line, reason: parsed.error });
    } else {
      try {
        const result = await record(parsed.row);
        if (result.replayed) report.duplicates += 1;
        else report.recorded += 1;
        report.position = Math.max(report.position, result.position);
      } catch (error) {
        if (!(error instanceof DomainRuleViolation)) throw error;
        report.invalid.push({ line: parsed.line, reason: error.message, rule: error.rule });
      }
    }
    report.invalidCount = report.invalid.length;
    onRow?.(report);
  }
  return report;
}
