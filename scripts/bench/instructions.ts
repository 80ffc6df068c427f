/**
 * What a command costs in instructions, for comparing builds on a shared, noisy machine: the service runs under
 * valgrind's callgrind, which counts the instructions each thread executes, whatever else the machine is doing. The
 * same fixed sequence of commands (the HTTP mix's three kinds, real bearer tokens, eight at a time) is sent to each
 * build; only the measured stretch after a warm-up is counted. The main thread is what bounds throughput (one thread
 * serves every request); V8's compiler and GC helper threads are reported apart.
 *
 *   npx ts-node --transpile-only scripts/bench/instructions.ts [--requests 800] [--warm 1500] <main.js> [<main.js> …]
 *
 * With no main.js, the repository's own build (dist/main.js). A development tool beside profile.ts, not part of
 * `npm run bench` (several minutes per build: valgrind runs the service some fifty times slower).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTACT, RECEIVE, seedCases, startRedress, tokenFor } from './http';

const CASES = 100;
const CUSTOMERS = 25;
const IN_FLIGHT = 8;

interface BuildCount {
  readonly service: string;
  /** Instructions per command on the main thread, and on every other thread together. */
  readonly mainPerCommand: number;
  readonly othersPerCommand: number;
}

/** The n-th command of the fixed sequence: 20 % new complaints, 60 % contacts on known cases, 20 % purchases. */
function nthCommand(n: number, caseIds: readonly string[]): { path: string; body: object } {
  const kind = n % 10;
  if (kind < 2) return { path: '/cases', body: { ...RECEIVE, customerId: `customer-${n % CUSTOMERS}` } };
  if (kind < 8) return { path: `/cases/${caseIds[n % caseIds.length]}/log-contact`, body: CONTACT };
  return {
    path: `/customers/customer-${n % CUSTOMERS}/purchases`,
    body: { orderId: `order-${n}`, amount: 4999, currency: 'GBP', at: '2026-11-20T14:32:00Z' },
  };
}

/** Sends commands `from` … `to - 1` of the sequence, IN_FLIGHT at a time; any answer but 2xx stops the count. */
async function send(url: string, authorization: string, caseIds: readonly string[], from: number, to: number): Promise<void> {
  let next = from;
  const sender = async () => {
    while (next < to) {
      const { path, body } = nthCommand(next++, caseIds);
      const response = await fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
}

/** callgrind writes one file per thread (`--separate-threads`); each ends with `totals: <instructions>`. */
function threadTotals(directory: string): number[] {
  return readdirSync(directory)
    .filter((name) => /^cg\.out-\d+$/.test(name))
    .sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1]))
    .map((name) => Number(/^totals: (\d+)$/m.exec(readFileSync(join(directory, name), 'utf8'))?.[1] ?? 0));
}

async function count(service: string, warm: number, requests: number): Promise<BuildCount> {
  const outDir = mkdtempSync(join(tmpdir(), 'redress-instructions-'));
  // vgdb names its pipes after the user; without USER and LOGNAME callgrind_control cannot find them.
  const env = { USER: process.env['USER'] || 'root', LOGNAME: process.env['LOGNAME'] || 'root' };
  const redress = await startRedress({
    service,
    env,
    wrapper: ['valgrind', '--tool=callgrind', '--instr-atstart=no', '--separate-threads=yes', `--callgrind-out-file=${join(outDir, 'cg.out')}`],
  });
  try {
    const authorization = await tokenFor(redress.dataDir!)({ id: 'bench-agent', role: 'agent' });
    const caseIds = await seedCases(redress.url, authorization, CASES, CUSTOMERS);
    await send(redress.url, authorization, caseIds, 0, warm);
    // vgdb also names its pipes after HOST, which the service's environment sets (startRedress): the same here.
    const control = (state: 'on' | 'off') => {
      const said = execFileSync('callgrind_control', ['-i', state, String(redress.pid)], {
        env: { ...process.env, ...env, HOST: '127.0.0.1' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      if (!/OK\.|instrumentation (on|off)/.test(said)) throw new Error(`callgrind_control -i ${state} failed: ${said}`);
    };
    control('on');
    await send(redress.url, authorization, caseIds, warm, warm + requests);
    control('off');
  } finally {
    await redress.stop();
  }
  const [main = 0, ...others] = threadTotals(outDir);
  if (main === 0) throw new Error(`callgrind counted nothing for ${service} (${outDir})`);
  rmSync(outDir, { recursive: true, force: true });
  return { service, mainPerCommand: main / requests, othersPerCommand: others.reduce((sum, n) => sum + n, 0) / requests };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: number) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? Number(args.splice(at, 2)[1]) : fallback;
  };
  const requests = option('requests', 800);
  const warm = option('warm', 1500);
  const services = args.length > 0 ? args : [join(__dirname, '../../dist/main.js')];
  const counts: BuildCount[] = [];
  for (const service of services) {
    counts.push(await count(service, warm, requests));
    process.stderr.write(`${service}: counted\n`);
  }
  const first = counts[0];
  for (const { service, mainPerCommand, othersPerCommand } of counts) {
    console.log(
      `${service}\n  main thread ${(mainPerCommand / 1e6).toFixed(3)} M instructions per command (${(mainPerCommand / first.mainPerCommand).toFixed(3)}×)` +
        `, other threads ${(othersPerCommand / 1e6).toFixed(3)} M`,
    );
  }
}

if (require.main === module) void main();
