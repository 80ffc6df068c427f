import { backgroundTurn } from '../../core/background-turn';
import { DomainRuleViolation } from '../../core/errors';
import type { ImportFormat, ParsedLine, PurchaseRow } from './purchase-rows';

export interface InvalidRow {
  line: number;
  reason: string;
  rule?: string;
}

/** What an import did: every data line is recorded, a duplicate of an order already recorded, or invalid (with its line and reason). */
export interface ImportReport {
  format: ImportFormat;
  /** Data lines read (blank lines and the CSV header are not counted). */
  rows: number;
  /** Purchases appended by this import. */
  recorded: number;
  /** Rows whose order was already recorded with the same values: nothing appended, nothing wrong. */
  duplicates: number;
  /** How many rows were refused. */
  invalidCount: number;
  /** The first refused rows (all of them unless `invalidTruncated`); the whole list is streamed on request (see the controller). */
  invalid: InvalidRow[];
  /** Set when more rows were refused than are listed in `invalid`. */
  invalidTruncated?: true;
  /** Highest global position appended or replayed: pass it as minPosition to read the import back. */
  position: number;
}

export type RecordPurchaseRow = (row: PurchaseRow) => Promise<{ replayed: boolean; position: number }>;

export interface ImportOptions {
  /** Rows read ahead and appended together; a customer's rows in order, different customers side by side. */
  readonly batchSize?: number;
  /** How many invalid rows the report lists (the count is always whole). */
  readonly invalidListed?: number;
  /** Longest the import runs before it lets other work (requests, projections) in, in milliseconds. */
  readonly sliceMs?: number;
  /** After each batch: the report so far. */
  readonly onProgress?: (report: ImportReport) => void;
  /** Each invalid row, in line order, as it is found (to stream the whole list); awaited, so it may apply backpressure. */
  readonly onInvalid?: (invalid: InvalidRow) => void | Promise<void>;
  /** Aborted when the client goes away: the import stops before its next row, throwing the signal's reason. */
  readonly signal?: AbortSignal;
}

export const DEFAULT_IMPORT_BATCH_SIZE = 200;
export const DEFAULT_INVALID_LISTED = 100;
const DEFAULT_SLICE_MS = 20;
/** Customers whose rows are appended side by side within a batch. */
const CONCURRENT_CUSTOMERS = 8;

/**
 * Records every valid row through the command path and keeps going past bad rows: a row the rules refuse (an
 * order repeated with another amount, a purchase dated in the future) is reported like a malformed one. Anything
 * else (the store is down) stops the import: the rows before it are recorded, and re-running the same file is
 * safe because purchases are idempotent on the order.
 *
 * Rows go in batches: each row is its own command (its own idempotency, its own error), a customer's rows in file
 * order, a few customers' rows concurrently (so an event store that groups concurrent appends commits them
 * together). The import never holds the event loop for more than about `sliceMs`: a store that answers
 * synchronously (SQLite) would otherwise run the whole file without letting a request in.
 */
export async function importPurchases(
  format: ImportFormat,
  lines: AsyncIterable<ParsedLine> | Iterable<ParsedLine>,
  record: RecordPurchaseRow,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const batchSize = options.batchSize ?? DEFAULT_IMPORT_BATCH_SIZE;
  const invalidListed = options.invalidListed ?? DEFAULT_INVALID_LISTED;
  const slice = timeSlicer(options.sliceMs ?? DEFAULT_SLICE_MS);
  const report: ImportReport = { format, rows: 0, recorded: 0, duplicates: 0, invalidCount: 0, invalid: [], position: 0 };
  const refuse = async (invalid: InvalidRow) => {
    report.invalidCount += 1;
    if (report.invalid.length < invalidListed) report.invalid.push(invalid);
    else report.invalidTruncated = true;
    await options.onInvalid?.(invalid);
  };
  const runBatch = async (batch: ParsedLine[]) => {
    options.signal?.throwIfAborted();
    const outcomes = await recordBatch(batch, record, slice, options.signal);
    for (const [index, parsed] of batch.entries()) {
      report.rows += 1;
      const outcome = outcomes[index];
      if (parsed.error !== undefined) await refuse({ line: parsed.line, reason: parsed.error });
      else if (outcome instanceof DomainRuleViolation) await refuse({ line: parsed.line, reason: outcome.message, rule: outcome.rule });
      else if (outcome) {
        if (outcome.replayed) report.duplicates += 1;
        else report.recorded += 1;
        report.position = Math.max(report.position, outcome.position);
      }
    }
    options.onProgress?.(report);
    await slice();
  };
  let batch: ParsedLine[] = [];
  for await (const parsed of options.signal ? untilAborted(lines, options.signal) : lines) {
    batch.push(parsed);
    // Reading and validating lines costs too: a batch of them must not hold the loop either.
    await slice();
    if (batch.length >= batchSize) {
      await runBatch(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await runBatch(batch);
  // A body cut short by its client ends its lines as if the file ended: that is not a whole file.
  options.signal?.throwIfAborted();
  return report;
}

/** The lines until `signal` aborts: a reader waiting on a body its client abandoned may otherwise wait forever. */
async function* untilAborted<T>(source: AsyncIterable<T> | Iterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  // Not Promise.race with one abort promise for the whole file: every race leaves a reaction on that promise, which
  // never settles, so each line read would be kept until the import ends (hundreds of MB for a 50 MB file).
  let interrupt: ((reason: unknown) => void) | undefined;
  const onAbort = () => interrupt?.(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      signal.throwIfAborted();
      const next = await new Promise<IteratorResult<T>>((resolve, reject) => {
        interrupt = reject;
        Promise.resolve(iterator.next()).then(resolve, reject);
      });
      interrupt = undefined;
      if (next.done) return;
      yield next.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    // Not awaited: a generator suspended on a read that never comes cannot finish.
    void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}

type Outcome = { replayed: boolean; position: number } | DomainRuleViolation | undefined;

/** Each valid row's outcome, by index; rethrows the first error that is not a rule's refusal, once the batch has settled. */
async function recordBatch(
  batch: readonly ParsedLine[],
  record: RecordPurchaseRow,
  slice: () => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(batch.length);
  const byCustomer = new Map<string, number[]>();
  for (const [index, parsed] of batch.entries()) {
    if (parsed.row === undefined) continue;
    const indices = byCustomer.get(parsed.row.customerId) ?? [];
    indices.push(index);
    byCustomer.set(parsed.row.customerId, indices);
  }
  let failure: { error: unknown } | undefined;
  const chains = [...byCustomer.values()];
  // A few customers at a time: every command in flight runs on between two checks of the slice.
  const worker = async () => {
    for (let indices = chains.shift(); indices; indices = chains.shift()) {
      for (const index of indices) {
        if (failure || signal?.aborted) return;
        await slice();
        try {
          outcomes[index] = await record(batch[index].row!);
        } catch (error) {
          if (error instanceof DomainRuleViolation) outcomes[index] = error;
          else failure ??= { error };
        }
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_CUSTOMERS }, worker));
  if (failure) throw failure.error;
  signal?.throwIfAborted();
  return outcomes;
}

/**
 * `slice()` resolves at once while less than `ms` passed since the last turn of the event loop, else on the next
 * turn: every concurrent caller waits for that one turn, so none of them runs on in microtasks meanwhile.
 */
function timeSlicer(ms: number): () => Promise<void> {
  let sliceStarted = performance.now();
  let turn: Promise<void> | undefined;
  return () => {
    if (turn) return turn;
    if (performance.now() - sliceStarted < ms) return Promise.resolve();
    turn = backgroundTurn().then(() => {
      sliceStarted = performance.now();
      turn = undefined;
    });
    return turn;
  };
}
