/**
 * The HTTP end-to-end suites again, with the service on the EventStoreDB adapter: every test
 * server below talks to an in-process EventStoreDB protocol double over real gRPC through the
 * official client (see test/support/test-server.ts). `npm run test:esdb` runs every e2e suite so.
 */
process.env['REDRESS_TEST_EVENT_STORE'] = 'esdb';

/* eslint-disable @typescript-eslint/no-require-imports -- the suites are loaded again, here, after the event store is chosen */
describe('on EventStoreDB (the EsdbEventStore adapter against the protocol double)', () => {
  require('./case-lifecycle.e2e.spec');
  require('./idempotency-and-concurrency.e2e.spec');
  require('./case-views.e2e.spec');
  require('./read-your-writes.e2e.spec');
});
