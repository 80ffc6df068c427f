import { describeWithPostgres, postgresUrl, useTemporarySchemas } from '../support/postgres';
import { queuesOverDesk } from './desk/desk-queues';

describeWithPostgres("the desk's queues over HTTP on the PostgreSQL read store: the same cases, the same answers", () => {
  const schema = useTemporarySchemas();
  const chosen = schema();
  queuesOverDesk(() => ({ READ_STORE_URL: postgresUrl(), READ_STORE_SCHEMA: chosen }));
});
