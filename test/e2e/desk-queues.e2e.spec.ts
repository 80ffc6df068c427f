import { queuesOverDesk } from './desk/desk-queues';

describe("the desk's queues over HTTP on the embedded SQLite read store", () => {
  queuesOverDesk(() => ({}));
});
