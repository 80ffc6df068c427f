#!/usr/bin/env node
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '../config/app-config';
import { systemClock } from '../core/clock';
import { openEventStore } from '../core/event-store/open-event-store';
import { UpcastingEventStore } from '../core/event-store/upcasting-event-store';
import { EVENT_UPCASTERS, REDRESS_STREAM_PREFIXES } from '../event-schemas';
import { ProcessLock } from '../core/projections/process-lock';
import { ProjectionRunner } from '../core/projections/projection-runner';
import { projectionLockPath } from '../core/projections/projections.module';
import { checkpointMigrations } from '../core/projections/checkpoints';
import { migrateReadStore, openReadStore } from '../core/read-store/read-store';
import { openTextWith, readModels, type ReadModelTables } from '../read-models';
import { PERSONAL_FIELDS } from '../personal-fields';
import { PersonalDataProtection } from '../privacy/public';
import { exportCommand, verifyCommand } from './audit-commands';
import { AUDIT_USAGE, AuditUsageError, auditCommand } from './ledger-witness';
import { IMPORT_USAGE, ImportUsageError, importCommand } from './import-purchases';
import { ProgressBar } from './progress-bar';
import { TOKEN_USAGE, tokenCommand, TokenUsageError } from '../identity/public';

const USAGE = `Usage: redress <command>

Commands:
  rebuild [name...]            Empty the named read models (default: all) and replay the whole event log into them.
  verify [caseId...]           Recompute the hash chains of the named cases (default: every stream); exit 1 on any break.
  export --out DIR [caseId...] Write each case's history (default: all cases) as DIR/<caseId>.ndjson, as stored
                               (personal fields opened, or [erased], their stored form under \`sealed\`).
  ${IMPORT_USAGE}
                               Record purchases from a CSV (header: customerId,orderId,amount,currency,at) or NDJSON file;
                               lists each invalid row with its line number; exit 1 if there were any.
  ${TOKEN_USAGE}
  ${AUDIT_USAGE}

Configuration comes from the same environment variables as the service (DATA_DIR, READ_STORE_URL, …).`;

async function rebuild(names: string[]): Promise<void> {
  const config = loadConfig();
  // The search index is rebuilt with the customers' words opened (and erased customers' left out).
  const READ_MODELS = readModels(openTextWith(PersonalDataProtection.open(config, PERSONAL_FIELDS, { lazy: true })));
  const known = READ_MODELS.projections.map((projection) => projection.name);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new UsageError(`Unknown projection(s): ${unknown.join(', ')}. Known: ${known.join(', ')}`);
  const chosen = READ_MODELS.projections.filter((projection) => names.length === 0 || names.includes(projection.name));

  const store = new UpcastingEventStore(openEventStore(config, REDRESS_STREAM_PREFIXES), EVENT_UPCASTERS);
  const readStore = await openReadStore<ReadModelTables>({
    url: config.readStoreUrl,
    schema: config.readStoreSchema,
    dataDir: config.dataDir,
  });
  const lock = readStore.dialect === 'sqlite' ? ProcessLock.acquire(projectionLockPath(config), 'redress rebuild') : undefined;
  try {
    await migrateReadStore(readStore, { ...checkpointMigrations, ...READ_MODELS.migrations });
    for (const projection of chosen) {
      const runner = new ProjectionRunner(store, readStore, projection, { clock: systemClock, batchSize: config.projectionBatchSize });
      const bar = new ProgressBar(`Rebuilding ${projection.name}`);
      await runner.rebuild((done, total) => bar.update(done, total));
      await runner.stop();
      const status = await runner.status();
      process.stderr.write(`${projection.name}: rebuilt to position ${status.checkpoint}\n`);
    }
  } finally {
    lock?.release();
    await readStore.close();
    await store.close();
  }
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  const [command, ...rest] = argv;
  switch (command) {
    case 'rebuild':
      return rebuild(rest);
    case 'verify':
      if (!(await verifyCommand(loadConfig(), rest))) process.exitCode = 1;
      return;
    case 'export': {
      const at = rest.indexOf('--out');
      if (at < 0 || !rest[at + 1]) throw new UsageError(`export needs --out DIR.\n\n${USAGE}`);
      await exportCommand(
        loadConfig(),
        rest[at + 1],
        rest.filter((_, index) => index !== at && index !== at + 1),
      );
      return;
    }
    case 'import':
      if ((await importCommand(loadConfig(), rest)).invalidCount > 0) process.exitCode = 1;
      return;
    case 'audit':
      if (!(await auditCommand(rest))) process.exitCode = 1;
      return;
    case 'token':
      return tokenCommand(loadConfig(), rest);
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return;
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof UsageError || error instanceof Error ? error.message : error);
  process.exit(
    error instanceof UsageError || error instanceof ImportUsageError || error instanceof TokenUsageError || error instanceof AuditUsageError
      ? 2
      : 1,
  );
});
