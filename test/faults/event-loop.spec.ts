/**
 * Fault suite: work that used to freeze the API. A large purchase import (a few MB, most rows invalid) and a
 * projection rebuild over HTTP run in a real service process while a front desk keeps sending commands and a
 * prober keeps asking for liveness; the service's own event-loop delay is measured with
 * perf_hooks.monitorEventLoopDelay (test/support/event-loop-probe.js, preloaded into the process).
 *
 * Scale: the file is the 50 MB of the original report (10,000 valid rows, the rest invalid: about 800,000), so the
 * log holds 10,000+ events for the rebuild; FAULTS_IMPORT_MB=6 makes a quicker run while working on the suite
 * (the import's cost per row and its slices do not depend on the size, its memory must not).
 * The data directory is in memory (/dev/shm) where there is one, as in the demo: every append is fsynced, and a
 * disk's fsync is not what this measures.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ServiceProcess } from '../support/service-process';
import { testToken } from '../support/test-tokens';
import { CommandLoad, call, pause, percentile, until } from './fault-helpers';
import { recordFigure } from './figures';

const IMPORT_MB = Number(process.env['FAULTS_IMPORT_MB'] ?? 50);
const VALID_ROWS = 10_000;
/** The service's resident set while it imports (356 to 432 MB measured; the heap alone reached 734 MB when every line read was kept): the file streams through. */
const RSS_BOUND_MB = 640;
/**
 * The target for the event loop's p99 delay under imports and rebuilds, asserted on the service's own delay
 * (the probe's ownP99Ms): monitorEventLoopDelay's wall-clock figure also counts the time the service's thread waited
 * for a core taken by other processes, which on a shared 2-core machine is most of it (a 6 MB import: wall-clock p99
 * 59 ms on a quiet machine, 157 ms at a load average of 11; own p99 18 to 26 ms), and a baseline window without the
 * import would not remove it: an idle service is woken promptly, a busy one waits its turn. The wall-clock figure is
 * reported beside it.
 */
const TARGET_P99_MS = 50;
const PROBE = resolve(__dirname, '../support/event-loop-probe.js');

interface LoopDelay {
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  samples: number;
  rssMaxMb: number;
  /** Less the time the thread waited for a core (Linux); absent elsewhere, where the wall-clock figure stands. */
  ownP99Ms?: number;
  ownMaxMs?: number;
  runQueueShare?: number;
}

/** The delay held to the target: the service's own where the probe could measure it. */
const ownP99 = (loop: LoopDelay) => loop.ownP99Ms ?? loop.p99Ms;

/** The figures of a measured window, for the README table. */
function loopFigures(loop: LoopDelay): string[] {
  return [
    `event-loop delay p99 / max, own: ${ownP99(loop)} / ${loop.ownMaxMs ?? loop.maxMs} ms (target ${TARGET_P99_MS})`,
    `wall clock (monitorEventLoopDelay): ${loop.p99Ms} / ${loop.maxMs} ms, ${Math.round((loop.runQueueShare ?? 0) * 100)}% of the time waiting for a core`,
  ];
}

/** A CSV of `VALID_ROWS` purchases (many customers) with invalid rows (a malformed amount) between them, about IMPORT_MB in all. */
function purchaseFile(): { csv: string; valid: number; invalid: number } {
  const lines = ['customerId,orderId,amount,currency,at'];
  const target = IMPORT_MB * 1024 * 1024;
  let size = lines[0].length + 1;
  let valid = 0;
  let invalid = 0;
  while (size < target || valid < VALID_ROWS) {
    const line =
      valid < VALID_ROWS && (invalid >= 4 * valid || size >= target)
        ? `loop-${valid % 500},loop-order-${valid++},${1000 + (valid % 90)},GBP,2026-01-0${1 + (valid % 9)}T10:00:00Z`
        : `loop-${invalid % 500},bad-order-${invalid++},twelve pounds,GBP,2026-01-05T10:00:00Z`;
    lines.push(line);
    size += line.length + 1;
  }
  return { csv: `${lines.join('\n')}\n`, valid, invalid };
}

describe('fault: a large import and a rebuild while commands and probes keep coming', () => {
  let service: ServiceProcess;
  let dataDir: string;
  const probeFile = join(tmpdir(), `redress-loop-${process.pid}-${Date.now()}.json`);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'redress-fault-loop-'));
    service = await ServiceProcess.start(dataDir, {
      NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --require ${PROBE}`.trim(),
      EVENT_LOOP_PROBE_FILE: probeFile,
      LOG_LEVEL: 'warn',
      ...(process.env['PBS'] ? { PROJECTION_BATCH_SIZE: process.env['PBS'] } : {}),
    });
  }, 90_000);

  afterAll(async () => {
    await service?.crash();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    rmSync(probeFile, { force: true });
  });

  /** Restarts the service's event-loop measurement (the probe reports and resets on SIGWINCH). */
  async function measureLoop(): Promise<LoopDelay> {
    const before = existsSync(probeFile) ? statSync(probeFile).mtimeMs : 0;
    service.signal('SIGWINCH');
    await until('the event-loop probe to report', async () =>
      existsSync(probeFile) && statSync(probeFile).mtimeMs > before ? true : undefined,
    );
    return JSON.parse(readFileSync(probeFile, 'utf8')) as LoopDelay;
  }

  /** Runs `work` while commands and liveness probes keep coming; what they saw, and the loop's delay meanwhile. */
  async function underLoad<T>(work: () => Promise<T>): Promise<{ result: T; loop: LoopDelay; commands: CommandLoad; liveMs: number[] }> {
    const commands = new CommandLoad(service.url, 50);
    const liveMs: number[] = [];
    let probing = true;
    const prober = (async () => {
      while (probing) {
        liveMs.push((await call(service.url, 'GET', '/health/live', { anonymous: true })).ms);
        await pause(50);
      }
    })();
    await measureLoop();
    const result = await work();
    const loop = await measureLoop();
    probing = false;
    await prober;
    await commands.stop();
    return { result, loop, commands, liveMs };
  }

  it('imports 50 MB of purchases while commands commit and liveness answers; the answer lists the first invalid rows only', async () => {
    const file = purchaseFile();
    const { result, loop, commands, liveMs } = await underLoad(async () => {
      const started = performance.now();
      const answer = await fetch(`${service.url}/imports/purchases`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${await testToken({ sub: 'admin-1', role: 'admin' })}` },
        body: file.csv,
      });
      const text = await answer.text();
      return { status: answer.status, bytes: text.length, report: JSON.parse(text), seconds: (performance.now() - started) / 1000 };
    });
    expect(result.status).toBe(200);
    expect(result.report).toMatchObject({
      rows: file.valid + file.invalid,
      recorded: file.valid,
      invalidCount: file.invalid,
      invalidTruncated: true,
    });
    expect(result.report.invalid).toHaveLength(100);
    expect(result.bytes).toBeLessThan(64 * 1024);
    expect(commands.refused).toEqual([]);
    expect(commands.acknowledged.length).toBeGreaterThan(0);
    expect(ownP99(loop)).toBeLessThanOrEqual(TARGET_P99_MS);
    expect(loop.rssMaxMb).toBeLessThan(RSS_BOUND_MB);
    recordFigure('import-large', {
      fault: `Purchase import of ${IMPORT_MB} MB (${file.valid.toLocaleString('en')} valid rows, ${file.invalid.toLocaleString('en')} invalid) under command load`,
      outcome: 'commands keep committing and /health/live keeps answering; the answer lists the first 100 invalid rows and the count',
      figures: [
        `import: ${result.seconds.toFixed(1)} s`,
        ...loopFigures(loop),
        `liveness p99: ${Math.round(percentile(liveMs, 99))} ms`,
        `commands during it: ${commands.acknowledged.length}, p99 ${Math.round(percentile(commands.latenciesMs, 99))} ms`,
        `answer: ${(result.bytes / 1024).toFixed(1)} KB`,
        `service RSS at most: ${loop.rssMaxMb} MB`,
      ],
    });
  }, 300_000);

  it('streams the whole invalid-row list as NDJSON on request', async () => {
    const csv = [
      'customerId,orderId,amount,currency,at',
      ...Array.from({ length: 500 }, (_, index) => `nd-${index},nd-${index},oops,GBP,2026-01-01`),
    ].join('\n');
    const answer = await fetch(`${service.url}/imports/purchases`, {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        accept: 'application/x-ndjson',
        authorization: `Bearer ${await testToken({ sub: 'admin-1', role: 'admin' })}`,
      },
      body: csv,
    });
    expect(answer.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await answer.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(501);
    expect(lines[0]).toMatchObject({ invalid: { line: 2 } });
    expect(lines[500]).toMatchObject({ report: { rows: 500, invalidCount: 500, invalid: [] } });
  });

  it('rebuilds a projection over HTTP without stalling commands', async () => {
    const { loop, commands, liveMs } = await underLoad(async () => {
      const started = await call(service.url, 'POST', '/projections/loyalty-facts/rebuild');
      expect(started.status).toBe(202);
      await until(
        'the rebuild to finish',
        async () => {
          const statuses = (await call<Array<{ name: string; state: string }>>(service.url, 'GET', '/projections')).body;
          return statuses.find((status) => status.name === 'loyalty-facts')?.state === 'running' ? true : undefined;
        },
        120_000,
        200,
      );
    });
    const events = (await call<Array<{ headPosition: number }>>(service.url, 'GET', '/projections')).body[0].headPosition;
    expect(commands.refused).toEqual([]);
    expect(ownP99(loop)).toBeLessThanOrEqual(TARGET_P99_MS);
    recordFigure('rebuild-http', {
      fault: `Projection rebuild over HTTP (loyalty-facts, ${events.toLocaleString('en')} events) under command load`,
      outcome: 'commands keep committing, liveness keeps answering: the runner yields between batches',
      figures: [
        ...loopFigures(loop),
        `liveness p99: ${Math.round(percentile(liveMs, 99))} ms`,
        `commands during it: ${commands.acknowledged.length}, p99 ${Math.round(percentile(commands.latenciesMs, 99))} ms`,
      ],
    });
  }, 180_000);
});
