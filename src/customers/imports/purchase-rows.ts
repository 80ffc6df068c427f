import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { IdField } from '../../core/http/dto-fields';
import { toFieldErrors } from '../../core/http/validation';
import { RecordPurchaseDto, toRecordPurchaseData } from '../commands/record-purchase/record-purchase.http';

import { type ImportFormat } from './import-formats';

export { IMPORT_FORMATS, type ImportFormat } from './import-formats';

/** The columns (CSV) or fields (NDJSON) of a purchase row: the body of POST /customers/:customerId/purchases plus the customer. */
export const PURCHASE_COLUMNS = ['customerId', 'orderId', 'amount', 'currency', 'at'] as const;

/** One row of an import, validated exactly as `POST /customers/:customerId/purchases` validates its body. */
export class ImportedPurchaseDto extends RecordPurchaseDto {
  @IdField({ description: 'The customer who bought', example: 'cust-10293' })
  customerId!: string;
}

export interface PurchaseRow {
  customerId: string;
  orderId: string;
  amount: number;
  currency: string;
  at: string;
}

/** A data line of the file: a valid row, or why it is not one. `line` is 1-based and counts every line of the file. */
export type ParsedLine = { line: number; row: PurchaseRow; error?: undefined } | { line: number; row?: undefined; error: string };

/** The file cannot be imported at all (a CSV header without the purchase columns): nothing is read past it. */
export class ImportFileError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}

/** Longest line accepted; a longer one is reported invalid rather than held in memory. */
export const MAX_LINE_CHARS = 64 * 1024;

/** Content types the import accepts, and the format each means. */
export function formatOfContentType(contentType: string | undefined): ImportFormat | undefined {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (
    ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines', 'application/jsonlines'].includes(type)
  )
    return 'ndjson';
  return undefined;
}

/**
 * Reads purchases line by line from a stream (a file or a request body) without holding the file in
 * memory: blank lines are skipped, every other line yields a valid row or its error.
 * CSV: RFC 4180 fields (quotes, doubled quotes; a field may not span lines) under a header naming the
 * columns in any order. NDJSON: one JSON object per line.
 */
export async function* readPurchaseLines(source: Readable, format: ImportFormat): AsyncGenerator<ParsedLine> {
  const lines = createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let header: string[] | undefined;
  try {
    for await (const raw of lines) {
      lineNumber += 1;
      const text = lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      if (text.length > MAX_LINE_CHARS) {
        yield { line: lineNumber, error: `the line is longer than ${MAX_LINE_CHARS} characters` };
        continue;
      }
      if (format === 'csv' && header === undefined) {
        header = readHeader(text, lineNumber);
        continue;
      }
      const parsed = format === 'csv' ? fromCsv(text, header!) : fromJson(text);
      yield typeof parsed === 'string' ? { line: lineNumber, error: parsed } : validatedRow(parsed, lineNumber);
    }
  } finally {
    lines.close();
  }
}

function readHeader(text: string, line: number): string[] {
  const columns = splitCsvLine(text);
  if (typeof columns === 'string') throw new ImportFileError(line, `The CSV header is malformed: ${columns}.`);
  const names = columns.map((column) => column.trim());
  const missing = PURCHASE_COLUMNS.filter((column) => !names.includes(column));
  const unknown = names.filter((name) => !(PURCHASE_COLUMNS as readonly string[]).includes(name));
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  const problems = [
    ...(missing.length > 0 ? [`missing column(s) ${missing.join(', ')}`] : []),
    ...(unknown.length > 0 ? [`unknown column(s) ${unknown.join(', ')}`] : []),
    ...(repeated.length > 0 ? [`repeated column(s) ${[...new Set(repeated)].join(', ')}`] : []),
  ];
  if (problems.length > 0) {
    throw new ImportFileError(
      line,
      `The CSV header (line ${line}) must name the columns ${PURCHASE_COLUMNS.join(', ')} (any order): ${problems.join('; ')}.`,
    );
  }
  return names;
}

function fromCsv(text: string, header: readonly string[]): Record<string, unknown> | string {
  const fields = splitCsvLine(text);
  if (typeof fields === 'string') return fields;
  if (fields.length !== header.length) return `has ${fields.length} field(s), the header has ${header.length}`;
  const record: Record<string, unknown> = {};
  header.forEach((column, index) => {
    const value = fields[index];
    // An empty field is an absent value; amounts arrive as text and become numbers only when they are whole numbers.
    if (value === '') return;
    record[column] = column === 'amount' && /^-?\d{1,16}$/.test(value.trim()) ? Number(value.trim()) : value;
  });
  return record;
}

function fromJson(text: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'is not a JSON object';
  return value as Record<string, unknown>;
}

/** RFC 4180 on one line: fields separated by commas, optionally in double quotes with "" for a quote. A string says what is wrong. */
export function splitCsvLine(text: string): string[] | string {
  const fields: string[] = [];
  let index = 0;
  for (;;) {
    if (text[index] === '"') {
      let value = '';
      index += 1;
      for (;;) {
        const quote = text.indexOf('"', index);
        if (quote < 0) return 'has a quoted field that is not closed on the same line';
        value += text.slice(index, quote);
        if (text[quote + 1] === '"') {
          value += '"';
          index = quote + 2;
          continue;
        }
        index = quote + 1;
        break;
      }
      if (index < text.length && text[index] !== ',') return `has text after a closing quote at character ${index + 1}`;
      fields.push(value);
    } else {
      const comma = text.indexOf(',', index);
      const end = comma < 0 ? text.length : comma;
      const value = text.slice(index, end);
      if (value.includes('"')) return `has a quote inside an unquoted field at character ${index + value.indexOf('"') + 1}`;
      fields.push(value);
      index = end;
    }
    if (index >= text.length) return fields;
    index += 1; // the comma
    if (index === text.length) {
      fields.push('');
      return fields;
    }
  }
}

const FORBIDDEN_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

function validatedRow(record: Record<string, unknown>, line: number): ParsedLine {
  const forbidden = Object.keys(record).filter((key) => FORBIDDEN_KEYS.has(key));
  if (forbidden.length > 0) return { line, error: forbidden.map((key) => `${key}: property ${key} should not exist`).join('; ') };
  const dto = plainToInstance(ImportedPurchaseDto, record);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0)
    return {
      line,
      error: toFieldErrors(errors)
        .map((error) => `${error.field}: ${error.message}`)
        .join('; '),
    };
  return { line, row: toRecordPurchaseData(dto.customerId, dto) };
}
