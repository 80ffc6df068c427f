import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { complaintStreamName } from '../../src/complaints/domain/complaint.decider';
import type { RecordedEvent } from '../../src/core/event-store/event-store.port';
import { verifyChain } from '../../src/core/event-store/hash-chain';
import { SqliteEventStore } from '../../src/core/event-store/sqlite-event-store';
import { UpcastingEventStore } from '../../src/core/event-store/upcasting-event-store';
import { EVENT_UPCASTERS } from '../../src/event-schemas';
import { writeComplaintHistory } from '../support/complaint-history';
import { runCli } from '../support/run-cli';

const CASES = 8;
const OTHER_STREAM = 'customer-cust-0';

/** Runs the CLI on a data directory, as `npm run verify` / `npm run export` would run the build. */
const cli = (dataDir: string, args: string[]) => runCli(args, { DATA_DIR: dataDir });

/** A data directory holding a realistic complaint log (plus one stream of another kind), every event hash-chained. */
async function seed(prefix: string): Promise<{ dataDir: string; caseIds: readonly string[]; events: RecordedEvent[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), `redress-cli-${prefix}-`));
  const raw = new SqliteEventStore(join(dataDir, 'events.db'));
  const store = new UpcastingEventStore(raw, EVENT_UPCASTERS);
  try {
    const history = await writeComplaintHistory(store, { cases: CASES, idPrefix: prefix });
    await raw.appendToStream(OTHER_STREAM, [
      { id: `${prefix}-other`, type: 'CustomerRegistered', data: { customerId: 'cust-0' }, metadata: {} },
    ]);
    return { dataDir, caseIds: history.caseIds, events: await raw.readAll() };
  } finally {
    await store.close();
  }
}

function editLog(dataDir: string, edit: (db: Database.Database) => void): void {
  const db = new Database(join(dataDir, 'events.db'));
  try {
    edit(db);
  } finally {
    db.close();
  }
}

describe('redress verify', () => {
  let intact: Awaited<ReturnType<typeof seed>>;
  let tampered: Awaited<ReturnType<typeof seed>>;
  beforeAll(async () => {
    intact = await seed('intact');
    tampered = await seed('tampered');
    editLog(tampered.dataDir, (db) => {
      const stream = complaintStreamName(tampered.caseIds[1]);
      const { data } = db.prepare('SELECT data FROM events WHERE stream_name = ? AND stream_revision = 2').get(stream) as { data: string };
      expect(
        db
          .prepare('UPDATE events SET data = ? WHERE stream_name = ? AND stream_revision = 2')
          .run(JSON.stringify({ ...JSON.parse(data), findings: 'Nothing to see here' }), stream).changes,
      ).toBe(1);
      expect(
        db.prepare('DELETE FROM events WHERE stream_name = ? AND stream_revision = 1').run(complaintStreamName(tampered.caseIds[2]))
          .changes,
      ).toBe(1);
    });
  });
  afterAll(() => {
    for (const { dataDir } of [intact, tampered]) rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits 0 on an untouched log, having verified every stream, and prints progress', async () => {
    const run = await cli(intact.dataDir, ['verify']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.pop()).toBe(`${CASES + 1} stream(s) verified, 0 broken`);
    // Every stream's head: its last revision and hash, to compare with a later run.
    expect(lines).toHaveLength(CASES + 1);
    for (const line of lines) expect(line).toMatch(/^[a-z]+-\S+: ok, revision \d+, head [0-9a-f]{64}$/);
    expect(run.stderr).toMatch(/Verifying\b.*\b0%/);
    expect(run.stderr).toMatch(new RegExp(`Verifying\\b.*100%.*${intact.events.length}/${intact.events.length}`));
  }, 90_000);

  it('exits 1 and names each broken stream and the exact revision', async () => {
    const run = await cli(tampered.dataDir, ['verify']);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${complaintStreamName(tampered.caseIds[1])}: BROKEN at revision 2\\b`)),
        expect.stringMatching(new RegExp(`^${complaintStreamName(tampered.caseIds[2])}: BROKEN at revision 1\\b.*missing`)),
      ]),
    );
    expect(lines[lines.length - 1]).toBe(`${CASES + 1} stream(s) verified, 2 broken`);
    expect(lines).toHaveLength(CASES + 2);
  }, 90_000);

  it('verifies only the named cases: 0 for untouched ones, 1 when one of them is broken or unknown', async () => {
    const untouched = await cli(tampered.dataDir, ['verify', tampered.caseIds[0], tampered.caseIds[3]]);
    expect(untouched.code).toBe(0);
    expect(untouched.stdout.trim().split('\n').pop()).toBe('2 stream(s) verified, 0 broken');

    const broken = await cli(tampered.dataDir, ['verify', tampered.caseIds[0], tampered.caseIds[1]]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`${complaintStreamName(tampered.caseIds[1])}: BROKEN at revision 2`);
    expect(broken.stdout).toContain(`${complaintStreamName(tampered.caseIds[0])}: ok, revision`);

    const unknown = await cli(intact.dataDir, ['verify', 'no-such-case']);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain(`${complaintStreamName('no-such-case')}: no such stream`);
  }, 120_000);
});

describe('redress export', () => {
  let intact: Awaited<ReturnType<typeof seed>>;
  const outDirs: string[] = [];
  const outDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-export-'));
    outDirs.push(dir);
    return join(dir, 'nested', 'out');
  };
  beforeAll(async () => {
    intact = await seed('export');
  });
  afterAll(() => {
    rmSync(intact.dataDir, { recursive: true, force: true });
    for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
  });

  const readExport = (dir: string, caseId: string) => {
    const text = readFileSync(join(dir, `${caseId}.ndjson`), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    return text
      .slice(0, -1)
      .split('\n')
      .map((line) => JSON.parse(line) as RecordedEvent);
  };

  it('writes one NDJSON file per case, each line an event as stored, re-verifiable offline', async () => {
    const dir = outDir();
    const run = await cli(intact.dataDir, ['export', '--out', dir]);
    expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 0, stderr: expect.stringContaining(`Exported ${CASES} case(s)`) });
    expect(run.stderr).toMatch(/Exporting\b.*100%/);
    expect(readdirSync(dir).sort()).toEqual(intact.caseIds.map((caseId) => `${caseId}.ndjson`).sort());
    for (const caseId of intact.caseIds) {
      const lines = readExport(dir, caseId);
      const stored = intact.events.filter((event) => event.streamName === complaintStreamName(caseId));
      expect(lines).toEqual(stored);
      expect(verifyChain(lines)).toEqual({ valid: true, events: stored.length });
    }
  }, 90_000);

  it('exports only the named cases', async () => {
    const dir = outDir();
    const chosen = [intact.caseIds[2], intact.caseIds[5]];
    const run = await cli(intact.dataDir, ['export', '--out', dir, ...chosen]);
    expect(run.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(chosen.map((caseId) => `${caseId}.ndjson`).sort());
    for (const caseId of chosen) {
      const lines = readExport(dir, caseId);
      expect(verifyChain(lines.map((line) => ({ ...line, streamName: complaintStreamName(caseId) })))).toMatchObject({ valid: true });
    }
  }, 90_000);

  it('refuses an export without --out (usage error, exit 2)', async () => {
    const run = await cli(intact.dataDir, ['export']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--out');
  }, 90_000);
});

describe('redress verify and export over a log longer than one page', () => {
  const STREAMS = ['long-a', 'long-b', 'long-c'];
  const PER_STREAM = 420;
  const BATCH = 60;
  let dataDir: string;
  let out: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-cli-long-'));
    out = join(dataDir, 'export');
    const store = new SqliteEventStore(join(dataDir, 'events.db'));
    try {
      // Interleaved batches, so every stream spans the CLI's pages of 1000 events.
      for (let from = 0; from < PER_STREAM; from += BATCH) {
        for (const caseId of STREAMS) {
          const events = Array.from({ length: BATCH }, (_, index) => ({
            id: `${caseId}-${from + index}`,
            type: 'CustomerContactLogged',
            data: {
              direction: 'inbound',
              channel: 'email',
              summary: `Contact ${from + index}`,
              by: { id: 'a', role: 'agent' },
              at: '2025-03-03T09:00:00.000Z',
            },
            metadata: { schemaVersion: 2 },
          }));
          await store.appendToStream(complaintStreamName(caseId), events);
        }
      }
    } finally {
      await store.close();
    }
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exports every event of each case across pages, in order, and the files verify', async () => {
    const run = await cli(dataDir, ['export', '--out', out]);
    expect(run.code).toBe(0);
    for (const caseId of STREAMS) {
      const lines = readFileSync(join(out, `${caseId}.ndjson`), 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as RecordedEvent);
      expect(lines.map((line) => line.revision)).toEqual(Array.from({ length: PER_STREAM }, (_, revision) => revision));
      expect(verifyChain(lines.map((line) => ({ ...line, streamName: complaintStreamName(caseId) })))).toEqual({
        valid: true,
        events: PER_STREAM,
      });
    }
  }, 90_000);

  it('verifies across pages, and names a break found on a later page', async () => {
    const intactRun = await cli(dataDir, ['verify']);
    expect(intactRun.code).toBe(0);
    expect(intactRun.stdout).toMatch(
      /^(complaint-long-[abc]: ok, revision 419, head [0-9a-f]{64}\n){3}3 stream\(s\) verified, 0 broken\n$/,
    );
    editLog(dataDir, (db) => {
      const { position } = db
        .prepare('SELECT position FROM events WHERE stream_name = ? AND stream_revision = 400')
        .get(complaintStreamName('long-b')) as { position: number };
      expect(position).toBeGreaterThan(1000);
      db.prepare("UPDATE events SET data = json_set(data, '$.summary', 'edited') WHERE stream_name = ? AND stream_revision = 400").run(
        complaintStreamName('long-b'),
      );
    });
    const run = await cli(dataDir, ['verify']);
    expect({ code: run.code, stdout: run.stdout }).toEqual({
      code: 1,
      stdout: expect.stringMatching(
        new RegExp(`\\n${complaintStreamName('long-b')}: BROKEN at revision 400\\b.*\\n.*\\n3 stream\\(s\\) verified, 1 broken\\n$`),
      ),
    });
  }, 120_000);
});
