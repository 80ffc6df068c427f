import { Logger } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpoint } from '../../src/core/projections/checkpoints';
import { ProjectionRunner } from '../../src/core/projections/projection-runner';
import { ReadStore, migrateReadStore, openReadStore } from '../../src/core/read-store/read-store';
import { caseViewProjection } from '../../src/complaints/projections/case-view/case-view.projection';
import { ListCasesHandler } from '../../src/complaints/queries/list-cases/list-cases.query';
import { readCaseViews } from '../support/complaint-history';
import { describeWithPostgres, postgresUrl, useTemporarySchemas } from '../support/postgres';
import {
  CONTRACT_MIGRATIONS,
  queueTablesOf,
  ContractTables,
  LIST_QUERIES,
  disposeSharedComplaintLog,
  listAllPages,
  readStoreContract,
  sharedComplaintLog,
} from './read-store.contract';

/** Read before any deadline fell due, so the views read back exactly as the projection stored them (see caseViewAt). */
const BEFORE_ANY_DEADLINE = { now: () => new Date(0) };

const dirs: string[] = [];
const sqliteDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-read-store-'));
  dirs.push(dir);
  return dir;
};

afterAll(async () => {
  await disposeSharedComplaintLog();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

readStoreContract('SQLite', () => openReadStore<ContractTables>({ dataDir: sqliteDir() }));

describeWithPostgres('PostgreSQL read store', () => {
  const schema = useTemporarySchemas();
  const openPostgres = () => openReadStore<ContractTables>({ url: postgresUrl(), schema: schema(), dataDir: sqliteDir() });

  readStoreContract('PostgreSQL', openPostgres);

  describe('next to SQLite', () => {
    beforeAll(() => Logger.overrideLogger(false));

    it('gives each schema its own migrations: a second schema in the same database migrates too', async () => {
      const first = await openPostgres();
      const second = await openPostgres();
      try {
        await migrateReadStore(first, CONTRACT_MIGRATIONS);
        await migrateReadStore(second, CONTRACT_MIGRATIONS);
        for (const store of [first, second]) {
          const applied = await store.db.selectFrom('kysely_migration').select('name').execute();
          expect(applied.map((row) => row.name).sort()).toEqual(Object.keys(CONTRACT_MIGRATIONS).sort());
          expect(await store.db.selectFrom('case_views').selectAll().execute()).toEqual([]);
        }
      } finally {
        await first.close();
        await second.close();
      }
    });

    it('projects identical rows and answers every listing identically on both dialects', async () => {
      const log = await sharedComplaintLog();
      const stores: ReadStore<ContractTables>[] = [await openReadStore<ContractTables>({ dataDir: sqliteDir() }), await openPostgres()];
      try {
        const results = [];
        for (const store of stores) {
          await migrateReadStore(store, CONTRACT_MIGRATIONS);
          const runner = new ProjectionRunner(log.store, store, caseViewProjection, {
            clock: { now: () => new Date() },
            batchSize: 13,
            idlePollMs: 60_000,
          });
          await runner.start();
          expect(await runner.waitForPosition(log.head, 20_000)).toBe(true);
          await runner.stop();
          const handler = new ListCasesHandler(queueTablesOf(store), BEFORE_ANY_DEADLINE);
          const listings = [];
          for (const query of LIST_QUERIES) listings.push(await listAllPages(handler, query));
          results.push({
            rows: await readCaseViews(store.db),
            checkpoint: await readCheckpoint(store.db, caseViewProjection.name),
            listings,
          });
        }
        const [sqlite, postgres] = results;
        expect(postgres.rows).toEqual(sqlite.rows);
        expect(postgres.listings).toEqual(sqlite.listings);
        expect({ ...postgres.checkpoint, updated_at: undefined }).toEqual({ ...sqlite.checkpoint, updated_at: undefined });
        expect(sqlite.rows.length).toBe(30);
      } finally {
        for (const store of stores) await store.close();
      }
    });
  });
});
