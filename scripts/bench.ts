/**
 * `npm run bench`: what a complaints desk would feel, measured on this machine's embedded profile
 * (SQLite event log and read models on disk, fsync on every command).
 *
 *   - command latency and throughput: case lifecycles posted by concurrent clients over real HTTP;
 *   - read-your-writes: how long a GET with the last command's position waits;
 *   - projection rebuild: events per second replayed into the case views;
 *   - ledger proofs: inclusion and consistency proofs from a ledger of a million events (scripts/bench/ledger-proofs.ts).
 *
 * Options: --cases N (default 200), --clients N (default 8), --ledger-leaves N (default 1,000,000), --out FILE (default bench-results.json).
 * Results are printed and written as JSON; goals are judged by people, not asserted here.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/app-config';
import { bearerFor } from '../src/identity/public';
import { ProjectionsService } from '../src/core/projections/projections.service';
import { benchLedgerProofs } from './bench/ledger-proofs';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] ? args[at + 1] : fallback;
};
const CASES = Number(option('cases', '200'));
const CLIENTS = Number(option('clients', '8'));
const OUT = option('out', 'bench-results.json');
const LEDGER_LEAVES = Number(option('ledger-leaves', '1000000'));

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    count: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1] ?? 0),
  };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-bench-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error', RATE_LIMIT_MAX: '1000000' });
  const app = await createApp({ config });
  const bearer = bearerFor(config);
  const agent = { authorization: await bearer({ id: 'bench-agent', role: 'agent' }) };
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const post = async (path: string, body: unknown) => {
    const started = performance.now();
    const response = await fetch(url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...agent },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as { caseId: string; position: number };
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
    return { ...json, ms: performance.now() - started };
  };

  const commandMs: number[] = [];
  const readMs: number[] = [];
  const lifecycle = async (n: number) => {
    const received = await post('/cases', { customerId: `bench-${n % 50}`, channel: 'email', summary: `Complaint ${n}` });
    commandMs.push(received.ms);
    const at = `/cases/${received.caseId}`;
    const steps: Array<[string, unknown]> = [
      ['acknowledge', { channel: 'email', message: 'Received' }],
      ['assess', { category: 'delivery', severity: 'medium', justified: 'yes', rootCause: 'one-off', findings: 'Late courier' }],
      ['apologize', { channel: 'email', message: 'Sorry' }],
      ['resolve', { resolution: 'Refunded shipping', outcome: 'upheld' }],
      ['follow-up', { satisfied: true, csat: 5 }],
      ['close', {}],
    ];
    let last = received;
    for (const [action, body] of steps) {
      last = await post(`${at}/${action}`, body);
      commandMs.push(last.ms);
    }
    const started = performance.now();
    const read = await fetch(`${url}${at}?minPosition=${last.position}`, { headers: agent });
    if (!read.ok) throw new Error(`read-your-writes: ${read.status}`);
    await read.json();
    readMs.push(performance.now() - started);
  };

  process.stderr.write(`Benchmark: ${CASES} case lifecycles (7 commands each) from ${CLIENTS} concurrent clients, data in ${dataDir}\n`);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < CASES) await lifecycle(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;

  const runner = app.get(ProjectionsService).runner('case-views');
  const events = (await runner.status()).headPosition;
  const rebuildStarted = performance.now();
  await runner.rebuild();
  const rebuildSeconds = (performance.now() - rebuildStarted) / 1000;
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });

  const results = {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    profile: 'embedded (SQLite on disk, synchronous=FULL)',
    parameters: { cases: CASES, clients: CLIENTS },
    commands: { ...summary(commandMs), perSecond: Math.round(commandMs.length / seconds) },
    readYourWrites: summary(readMs),
    rebuild: { events, seconds: Math.round(rebuildSeconds * 100) / 100, eventsPerSecond: Math.round(events / rebuildSeconds) },
  };
  console.log(`ledger proofs: writing a ledger of ${LEDGER_LEAVES.toLocaleString('en')} events…`);
  const ledgerProofs = await benchLedgerProofs(LEDGER_LEAVES);
  writeFileSync(OUT, `${JSON.stringify({ ...results, ledgerProofs }, null, 2)}\n`);
  console.log(
    `commands        ${results.commands.count} in ${seconds.toFixed(1)} s = ${results.commands.perSecond}/s; latency p50 ${results.commands.p50Ms} ms, p95 ${results.commands.p95Ms} ms, p99 ${results.commands.p99Ms} ms`,
  );
  console.log(`read-your-writes p50 ${results.readYourWrites.p50Ms} ms, p95 ${results.readYourWrites.p95Ms} ms`);
  console.log(`rebuild         ${events} events in ${results.rebuild.seconds} s = ${results.rebuild.eventsPerSecond} events/s`);
  const { lookup, inclusion, consistency } = ledgerProofs;
  console.log(
    `ledger proofs   at ${ledgerProofs.leaves} events: inclusion p50 ${inclusion.p50Ms} ms / p99 ${inclusion.p99Ms} ms (${inclusion.ratioToLookupP50}× one row lookup, p50 ${lookup.p50Ms} ms); consistency p50 ${consistency.p50Ms} ms / p99 ${consistency.p99Ms} ms (${consistency.ratioToLookupP50}×)`,
  );
  console.log(`written to ${OUT}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
