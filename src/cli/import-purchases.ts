import { randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { extname } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { systemClock } from '../core/clock';
import { openEventStore } from '../core/event-store/open-event-store';
import { ID_PATTERN } from '../core/identifiers';
import { purchaseCommandId } from '../customers/headless';
import { IMPORT_FORMATS, type ImportFormat } from '../customers/headless';
import type { ImportReport } from '../customers/public';
import { REDRESS_STREAM_PREFIXES } from '../event-schemas';
import { PERSONAL_FIELDS } from '../personal-fields';
import { PersonalDataProtection } from '../privacy/headless';
import { ProgressBar } from './progress-bar';

export const IMPORT_USAGE = 'import purchases FILE [--format csv|ndjson] [--actor ID]';

/** Thrown for arguments the import cannot work with; the CLI prints it with the usage. */
export class ImportUsageError extends Error {}

interface ImportArguments {
  file: string;
  format: ImportFormat;
  actor: string;
}

export function parseImportArguments(args: readonly string[]): ImportArguments {
  const [what, ...rest] = args;
  if (what !== 'purchases') throw new ImportUsageError(`import needs what to import: ${IMPORT_USAGE}`);
  let file: string | undefined;
  let format: string | undefined;
  let actor = 'import';
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index];
    if (arg === '--format') format = rest[++index];
    else if (arg === '--actor') actor = rest[++index] ?? '';
    else if (arg.startsWith('--')) throw new ImportUsageError(`Unknown option ${arg}: ${IMPORT_USAGE}`);
    else if (file === undefined) file = arg;
    else throw new ImportUsageError(`One file at a time: ${IMPORT_USAGE}`);
  }
  if (!file) throw new ImportUsageError(`import purchases needs a FILE: ${IMPORT_USAGE}`);
  const inferred =
    format ?? ({ '.csv': 'csv', '.ndjson': 'ndjson', '.jsonl': 'ndjson' } as Record<string, string>)[extname(file).toLowerCase()];
  if (!inferred || !(IMPORT_FORMATS as readonly string[]).includes(inferred)) {
    throw new ImportUsageError(`Cannot tell the format of ${file}: name it .csv, .ndjson or .jsonl, or pass --format csv|ndjson.`);
  }
  if (!ID_PATTERN.test(actor)) throw new ImportUsageError('--actor must hold only letters, digits and - _ . : (1 to 128 characters)');
  return { file, format: inferred as ImportFormat, actor };
}

/**
 * `redress import purchases FILE`: streams the file (CSV with a header, or NDJSON) into the event log
 * through the customer command path, with a progress bar over the bytes read. Works with the service
 * running or not (it appends to the event log; the service's projections pick the purchases up).
 * Invalid rows are listed on stderr with their line numbers; the exit code is 1 when there were any.
 */
export async function importCommand(config: AppConfig, args: readonly string[]): Promise<ImportReport> {
  const { file, format, actor } = parseImportArguments(args);
  // Imported here: the customers' command path and row validation load Nest and class-validator, which no other command needs.
  const { customerStream, importPurchases, readPurchaseLines } = await import('../customers/public');
  const { executeStreamCommand } = await import('../core/commands/execute-stream-command');
  const size = statSync(file).size;
  const source = createReadStream(file);
  let read = 0;
  source.on('data', (chunk) => {
    read += chunk.length;
  });
  const bar = new ProgressBar(`Importing ${file}`);
  // Purchases carry no personal field today; sealed all the same, so no future field could reach the log in the clear.
  const personalData = PersonalDataProtection.open(config, PERSONAL_FIELDS, { lazy: true });
  const store = personalData.sealing(openEventStore(config, REDRESS_STREAM_PREFIXES));
  const correlationId = randomUUID();
  const by = { id: actor, role: 'agent' as const };
  try {
    const report = await importPurchases(
      format,
      readPurchaseLines(source, format),
      async (row) => {
        const commandId = purchaseCommandId(row.orderId);
        const now = systemClock.now().toISOString();
        const result = await executeStreamCommand(
          store,
          customerStream,
          row.customerId,
          { type: 'RecordPurchase', data: row, by, at: now },
          {
            commandId,
            correlationId,
            causationId: commandId,
            actor: by,
            occurredAt: now,
          },
        );
        return { replayed: result.replayed, position: result.position };
      },
      {
        batchSize: config.imports.batchSize,
        // Every invalid row goes to stderr as it is found; none is held for the report.
        invalidListed: 0,
        onInvalid: (invalid) => void process.stderr.write(`line ${invalid.line}: ${invalid.reason}\n`),
        onProgress: () => bar.update(read, size),
      },
    );
    bar.update(size, size);
    process.stderr.write(
      `${file}: ${report.rows} rows, ${report.recorded} recorded, ${report.duplicates} already recorded, ${report.invalidCount} invalid\n`,
    );
    return report;
  } finally {
    source.destroy();
    await store.close();
    personalData.close();
  }
}
