import { Queryable, narrowTables } from '../../core/read-store/read-store';
import { LEDGER_TABLES, LedgerTables } from './ledger.tables';

/** Per stream the ledger has seen: how many leaves, and the last revision and hash it committed to. */
export interface LedgerStream {
  readonly stream: string;
  readonly leaves: number;
  readonly lastRevision: number;
  readonly lastHash: string;
}

export async function ledgerStreams<DB extends LedgerTables>(db: Queryable<DB>): Promise<Map<string, LedgerStream>> {
  const ledger = narrowTables<DB, LedgerTables>(db);
  const rows = await ledger
    .selectFrom(LEDGER_TABLES.leaves)
    .select((eb) => ['stream_name', eb.fn.countAll().as('leaves'), eb.fn.max('leaf_index').as('last_leaf')])
    .groupBy('stream_name')
    .execute();
  const result = new Map<string, LedgerStream>();
  for (const row of rows) {
    const last = await ledger
      .selectFrom(LEDGER_TABLES.leaves)
      .select(['revision', 'event_hash'])
      .where('leaf_index', '=', Number(row.last_leaf))
      .executeTakeFirstOrThrow();
    result.set(row.stream_name, {
      stream: row.stream_name,
      leaves: Number(row.leaves),
      lastRevision: Number(last.revision),
      lastHash: last.event_hash,
    });
  }
  return result;
}
