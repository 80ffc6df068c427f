import { describeWithPostgres, postgresUrl, useTemporarySchemas } from '../support/postgres';
import { analyticsOverDataset } from './analytics-dataset';

describeWithPostgres('analytics over HTTP on the PostgreSQL read store: the same shop, the same exact figures', () => {
  const schema = useTemporarySchemas();
  const chosen = schema();
  analyticsOverDataset(() => ({ READ_STORE_URL: postgresUrl(), READ_STORE_SCHEMA: chosen }));
});
