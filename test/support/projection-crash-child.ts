/**
 * The process the crash test kills: the embedded profile's projection side, alone. It runs the
 * real case-view projection over DATA_DIR/events.db into DATA_DIR/read-models.db until the
 * checkpoint reaches the head of the log, and reports on stdout:
 *   `applying <first>-<last>`  inside the batch's transaction, before it commits;
 *   `checkpoint <position>`    after a batch has committed;
 *   `done <position>`          when caught up (then it exits 0).
 *
 * Environment: DATA_DIR; BATCH_SIZE (default 5); BATCH_DELAY_MS (default 0), a pause inside each
 * batch's transaction, after its rows are written and before the commit, so a kill often lands there.
 *
 * Run: node -r ts-node/register/transpile-only test/support/projection-crash-child.ts
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import type { DomainEvent } from '../../src/core/decider';
import { SqliteEventStore } from '../../src/core/event-store/sqlite-event-store';
import { checkpointMigrations } from '../../src/core/projections/checkpoints';
import { ProcessLock } from '../../src/core/projections/process-lock';
import type { Projection } from '../../src/core/projections/projection';
import { ProjectionRunner } from '../../src/core/projections/projection-runner';
import { migrateReadStore, openReadStore } from '../../src/core/read-store/read-store';
import { caseViewProjection } from '../../src/complaints/projections/case-view/case-view.projection';
import type { CaseViewTables } from '../../src/complaints/projections/case-view/case-view.table';
import { READ_MODELS, type ReadModelTables } from '../../src/read-models';

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const dataDir = process.env['DATA_DIR'];
  if (!dataDir) throw new Error('DATA_DIR is required');
  const batchSize = Number(process.env['BATCH_SIZE'] ?? 5);
  const delayMs = Number(process.env['BATCH_DELAY_MS'] ?? 0);

  const store = new SqliteEventStore(join(dataDir, 'events.db'));
  const readStore = await openReadStore<ReadModelTables>({ dataDir });
  await migrateReadStore(readStore, { ...checkpointMigrations, ...READ_MODELS.migrations });
  // As the service does: a lock left by a killed predecessor is taken over.
  const lock = ProcessLock.acquire(join(dataDir, 'projections.lock'), 'projection crash test');

  const slowed: Projection<DomainEvent, CaseViewTables> = {
    name: caseViewProjection.name,
    reset: (trx) => caseViewProjection.reset(trx),
    async apply(trx, events) {
      process.stdout.write(`applying ${events[0].position}-${events[events.length - 1].position}\n`);
      await caseViewProjection.apply(trx, events);
      if (delayMs > 0) await new Promise((done) => setTimeout(done, delayMs));
    },
  };
  const runner = new ProjectionRunner(store, readStore, slowed, { clock: { now: () => new Date() }, batchSize, idlePollMs: 60_000 });
  await runner.start();

  const head = await store.headPosition();
  let reached = (await runner.status()).checkpoint;
  while (reached < head) {
    if (!(await runner.waitForPosition(reached + 1, 30_000))) {
      const status = await runner.status();
      throw new Error(`the projection stopped at ${status.checkpoint}: ${status.failure?.error ?? status.lastError ?? status.state}`);
    }
    reached = (await runner.status()).checkpoint;
    process.stdout.write(`checkpoint ${reached}\n`);
  }
  await runner.stop();
  lock.release();
  await readStore.close();
  await store.close();
  process.stdout.write(`done ${reached}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
