import { describeWithPostgres, postgresUrl, useTemporarySchemas } from '../support/postgres';
import { searchOverCases } from './desk/desk-search';

describe('GET /cases?q= on the embedded profile (SQLite FTS5)', () => {
  searchOverCases(() => ({}));
});

describeWithPostgres('GET /cases?q= on the PostgreSQL read store (tsvector, GIN)', () => {
  const schema = useTemporarySchemas();
  const chosen = schema();
  searchOverCases(() => ({ READ_STORE_URL: postgresUrl(), READ_STORE_SCHEMA: chosen }));
});
