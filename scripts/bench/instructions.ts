/**
 * What a command costs in instructions, for comparing builds on a shared, noisy machine: the service runs under
 * valgrind's callgrind, which counts the instructions each thread executes, whatever else the machine is doing. The
 * same fixed sequence of commands (the HTTP mix's three kinds, real bearer tokens, eight at a time) is sent to each
 * build; only the measured stretch after a warm-up is counted, on the main thread (the one that serves every request),
 * with V8 on that thread alone. The program's own instructions are given apart from the collector's and the compilers'.
 *
 *   npx ts-node --transpile-only scripts/bench/instructions.ts [--requests 2000] [--warm 3000] <main.js> [<main.js> …]
 *
 * With no main.js, the repository's own build (dist/main.js). A development tool beside profile.ts, not part of
 * `npm run bench` (several minutes per build: valgrind runs the service some fifty times slower).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTACT, purchaseBody, RECEIVE, seedCases, startRedress, tokenFor } from './http';

const CASES = 100;
const CUSTOMERS = 25;
const IN_FLIGHT = 8;

interface BuildCount {
  readonly service: string;
  /** Instructions per command on the main thread: the program's own, the garbage collector's, V8's compilers'. */
  readonly program: number;
  readonly collector: number;
  readonly compiler: number;
}

/** The n-th command of the fixed sequence: 20 % new complaints, 60 % contacts on known cases, 20 % purchases. */
function nthCommand(n: number, caseIds: readonly string[]): { path: string; body: object } {
  const kind = n % 10;
  if (kind < 2) return { path: '/cases', body: { ...RECEIVE, customerId: `customer-${n % CUSTOMERS}` } };
  if (kind < 8) return { path: `/cases/${caseIds[n % caseIds.length]}/log-contact`, body: CONTACT };
  return { path: `/customers/customer-${n % CUSTOMERS}/purchases`, body: purchaseBody(`order-${n}`) };
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

/** The main thread's file: callgrind writes one per thread (`--separate-threads`), the main thread's first. */
function mainThreadFile(directory: string): string {
  const first = readdirSync(directory)
    .filter((name) => /^cg\.out-\d+$/.test(name))
    .sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1]))[0];
  if (!first) throw new Error(`callgrind wrote nothing in ${directory}`);
  return join(directory, first);
}

/** V8's collector and its compilers, by symbol; everything else is the program's own work (JavaScript, builtins, natives). */
const GARBAGE_COLLECTION = /Scaveng|MarkCompact|Marking|Sweep|Evacuat|heap::base::|Heap::|RememberedSet|SlotSet|MarkingBarrier|WeakObjects/;
const COMPILATION = /compiler::|[Mm]aglev|baseline::|interpreter::|BytecodeGenerator|Parser|Zone::|Scope::|AstNode|Deoptimiz/;

/**
 * Instructions by kind: a collection's cost depends on when it falls (a mark-compact in the counted stretch or not
 * moved one build's count by a quarter between runs), so the program's own work is given apart from it.
 */
function byKind(file: string): { program: number; collector: number; compiler: number } {
  const listing = execFileSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const kinds = { program: 0, collector: 0, compiler: 0 };
  for (const line of listing.split('\n')) {
    const row = /^\s*([\d,]+) \([^)]*\)\s+(.*)$/.exec(line);
    if (!row || row[2].startsWith('PROGRAM TOTALS')) continue;
    const count = Number(row[1].replace(/,/g, ''));
    if (GARBAGE_COLLECTION.test(row[2])) kinds.collector += count;
    else if (COMPILATION.test(row[2])) kinds.compiler += count;
    else kinds.program += count;
  }
  return kinds;
}

/** Turns callgrind's counting on or off in the running service (`--instr-atstart=no` starts it off). */
function instrumentation(pid: number, state: 'on' | 'off', env: Record<string, string>): void {
  // vgdb names its pipes after USER, LOGNAME and HOST; the service's environment sets HOST (startRedress): the same here.
  const said = execFileSync('callgrind_control', ['-i', state, String(pid)], {
    env: { ...process.env, ...env, HOST: '127.0.0.1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (!/OK\.|instrumentation (on|off)/.test(said)) throw new Error(`callgrind_control -i ${state} failed: ${said}`);
}

async function count(service: string, warm: number, requests: number): Promise<BuildCount> {
  const outDir = mkdtempSync(join(tmpdir(), 'redress-instructions-'));
  // vgdb names its pipes after the user: without USER and LOGNAME callgrind_control cannot find them.
  const env = { USER: process.env['USER'] || 'root', LOGNAME: process.env['LOGNAME'] || 'root' };
  const redress = await startRedress({
    service,
    env,
    // One thread for everything V8 does (no concurrent compiler or parallel GC helpers): which thread does that work
    // otherwise depends on timing, and moved the main thread's count by 5–6 % between two runs of one build.
    nodeArgs: ['--single-threaded'],
    wrapper: ['valgrind', '--tool=callgrind', '--instr-atstart=no', '--separate-threads=yes', `--callgrind-out-file=${join(outDir, 'cg.out')}`],
  });
  try {
    const authorization = await tokenFor(redress.dataDir!)({ id: 'bench-agent', role: 'agent' });
    const caseIds = await seedCases(redress.url, authorization, CASES, CUSTOMERS);
    await send(redress.url, authorization, caseIds, 0, warm);
    instrumentation(redress.pid!, 'on', env);
    await send(redress.url, authorization, caseIds, warm, warm + requests);
    instrumentation(redress.pid!, 'off', env);
  } finally {
    await redress.stop();
  }
  const kinds = byKind(mainThreadFile(outDir));
  rmSync(outDir, { recursive: true, force: true });
  if (kinds.program === 0) throw new Error(`callgrind counted nothing for ${service}`);
  return { service, program: kinds.program / requests, collector: kinds.collector / requests, compiler: kinds.compiler / requests };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: number) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? Number(args.splice(at, 2)[1]) : fallback;
  };
  const requests = option('requests', 2000);
  const warm = option('warm', 3000);
  const services = args.length > 0 ? args : [join(__dirname, '../../dist/main.js')];
  const counts: BuildCount[] = [];
  for (const service of services) {
    counts.push(await count(service, warm, requests));
    process.stderr.write(`${service}: counted\n`);
  }
  const first = counts[0];
  const millions = (n: number) => (n / 1e6).toFixed(3);
  for (const { service, program, collector, compiler } of counts) {
    console.log(
      `${service}\n  ${millions(program)} M instructions per command (${(program / first.program).toFixed(3)}×)` +
        `; garbage collection ${millions(collector)} M, compilation ${millions(compiler)} M`,
    );
  }
}

if (require.main === module) void main();
