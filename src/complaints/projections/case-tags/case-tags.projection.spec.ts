import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '../../../core/event-store/event-store.port';
import { ReadStore, migrateReadStore, openReadStore } from '../../../core/read-store/read-store';
import type { ComplaintEvent } from '../../domain/complaint.events';
import { CASE_TAGS_TABLE, type CaseTagTables, caseTagsMigrations, caseTagsProjection } from './case-tags.projection';

let position = 0;
const tagEvent = (type: 'CaseTagged' | 'CaseUntagged', caseId: string, tag: string): RecordedEvent<ComplaintEvent> => ({
  id: `id-${++position}`,
  streamName: `complaint-${caseId}`,
  type,
  data: { tag, at: '2025-03-03T09:00:00.000Z', by: { id: 'agent', role: 'agent' } },
  metadata: {},
  revision: position,
  position,
  recordedAt: '2025-03-03T09:00:00.000Z',
});

describe('The case tags projection', () => {
  let dir: string;
  let store: ReadStore<CaseTagTables>;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redress-case-tags-'));
    store = await openReadStore<CaseTagTables>({ dataDir: dir });
    await migrateReadStore(store, caseTagsMigrations);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const tags = async () =>
    (await store.db.selectFrom(CASE_TAGS_TABLE).selectAll().orderBy('case_id').orderBy('tag').execute()).map(
      (row) => `${row.case_id}:${row.tag}`,
    );

  it('leaves each tag of a case as the last of its events in the batch left it, whatever came before', async () => {
    await caseTagsProjection.apply(store.db, [
      tagEvent('CaseTagged', 'a', 'kept'),
      tagEvent('CaseTagged', 'a', 'dropped'),
      tagEvent('CaseTagged', 'b', 'again'),
    ]);
    await caseTagsProjection.apply(store.db, [
      tagEvent('CaseTagged', 'a', 'kept'),
      tagEvent('CaseUntagged', 'a', 'dropped'),
      tagEvent('CaseUntagged', 'b', 'again'),
      tagEvent('CaseTagged', 'b', 'again'),
      tagEvent('CaseTagged', 'c', 'brief'),
      tagEvent('CaseUntagged', 'c', 'brief'),
      tagEvent('CaseUntagged', 'c', 'never'),
    ]);
    expect(await tags()).toEqual(['a:kept', 'b:again']);
  });
});
