import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportUsageError, parseImportArguments } from '../../src/cli/import-purchases';
import { SqliteEventStore } from '../../src/core/event-store/sqlite-event-store';
import { runCli } from '../support/run-cli';

/** Runs the CLI on a data directory, as `npm run import` would run the build. */
const cli = (dataDir: string, args: string[]) => runCli(args, { DATA_DIR: dataDir });

describe('redress import purchases FILE', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'redress-import-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records every valid row with a progress bar, lists each invalid row with its line, exits 1; a re-run appends nothing', async () => {
    const file = join(dir, 'purchases.csv');
    const rows = Array.from({ length: 60 }, (_, index) => `cli-${index % 4},cli-order-${index},${500 + index},GBP,2025-02-01T10:00:00Z`);
    rows.splice(10, 0, 'cli-1,cli-bad-1,-5,GBP,2025-02-01T10:00:00Z');
    rows.splice(30, 0, 'cli-3,cli-order-3,999,GBP,2025-02-01T10:00:00Z');
    writeFileSync(file, ['customerId,orderId,amount,currency,at', ...rows].join('\n'));
    const data = join(dir, 'data');

    const first = await cli(data, ['import', 'purchases', file, '--actor', 'nightly-import']);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/Importing .*purchases\.csv: 100% /);
    expect(first.stderr).toContain('line 12: amount: must not be less than 0');
    expect(first.stderr).toMatch(/line 32: An order is recorded once per customer.*Order cli-order-3 was recorded as 503 GBP/);
    expect(first.stderr).toContain('62 rows, 60 recorded, 0 already recorded, 2 invalid');

    const again = await cli(data, ['import', 'purchases', file]);
    expect(again.stderr).toContain('62 rows, 0 recorded, 60 already recorded, 2 invalid');

    const store = new SqliteEventStore(join(data, 'events.db'));
    try {
      const events = await store.readStream('customer-cli-3');
      expect(events).toHaveLength(15);
      expect(events[0]).toMatchObject({
        type: 'PurchaseRecorded',
        data: {
          customerId: 'cli-3',
          orderId: 'cli-order-3',
          amount: 503,
          currency: 'GBP',
          at: '2025-02-01T10:00:00.000Z',
          by: { id: 'nightly-import', role: 'agent' },
        },
        metadata: { commandId: 'purchase:cli-order-3', actor: { id: 'nightly-import', role: 'agent' } },
      });
      expect(await store.headPosition()).toBe(60);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('explains what it needs: the kind, a file, a known format', async () => {
    expect(parseImportArguments(['purchases', 'a.ndjson'])).toEqual({ file: 'a.ndjson', format: 'ndjson', actor: 'import' });
    expect(parseImportArguments(['purchases', 'a.txt', '--format', 'csv'])).toEqual({ file: 'a.txt', format: 'csv', actor: 'import' });
    for (const args of [
      [],
      ['refunds', 'a.csv'],
      ['purchases'],
      ['purchases', 'a.txt'],
      ['purchases', 'a.csv', 'b.csv'],
      ['purchases', 'a.csv', '--actor', 'x y'],
      ['purchases', 'a.csv', '--dry-run'],
    ]) {
      expect(() => parseImportArguments(args)).toThrow(ImportUsageError);
    }
    const usage = await cli(join(dir, 'unused'), ['import', 'purchases']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('import purchases needs a FILE');
  }, 60_000);
});
