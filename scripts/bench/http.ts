/**
 * HTTP commands against the framework's floor, in one run: the same autocannon load (1, 16, 64 connections)
 * against a bare NestJS + Fastify endpoint and against Redress on its embedded profile, interleaved.
 * Redress gets a realistic mix over many cases with real bearer tokens: a new complaint (20 %), a logged
 * contact on one of the existing cases (60 %) and a purchase on one of the customers (20 %).
 */
import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../src/config/app-config';
import { bearerFor } from '../../src/identity/public';
import { builtService, COMPILED_ENV, compiledCopy } from './compiled';
import { interleaved, ratios, spread, type Spread } from './stats';

const REPO = resolve(__dirname, '../..');
const AUTH_SECRET = `bench-${randomUUID()}-${randomUUID()}`;

export interface Child {
  readonly url: string;
  readonly dataDir?: string;
  /** CPU time the child has used so far (user + system), in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** A process's CPU time (user + system) from /proc, in ms; NaN where /proc is not there. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
const CLOCK_TICKS = 100;

export interface LoadFigures {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Answers other than 2xx, connection errors and timeouts (no answer within autocannon's 10 s), together. */
  readonly non2xx: number;
  /** Of those, the requests that got no answer within 10 s. */
  readonly timeouts: number;
}

function waitForUrl(child: ChildProcess, viaHealth?: string, startupMs = 120_000): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no URL within ${startupMs / 1000} s:\n${output}`)), startupMs);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
    if (viaHealth) {
      const poll = async () => {
        try {
          if ((await fetch(`${viaHealth}/health`)).ok) {
            clearTimeout(timer);
            return resolveUrl(viaHealth);
          }
        } catch {
          // not listening yet
        }
        setTimeout(() => void poll(), 100);
      };
      void poll();
      return;
    }
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /http:\/\/\S+/.exec(output)?.[0];
      if (!url) return;
      clearTimeout(timer);
      resolveUrl(url);
    });
  });
}

function stopper(child: ChildProcess, dataDir?: string) {
  return async () => {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}

export async function startBare(): Promise<Child> {
  const child = spawn(process.execPath, [join(compiledCopy(), 'scripts/bench/bare-server.js')], {
    cwd: REPO,
    env: { ...process.env, ...COMPILED_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { url: await waitForUrl(child), cpuMs: () => cpuMsOf(child.pid), stop: stopper(child) };
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const probe = createServer();
  await new Promise<void>((listening) => probe.listen(0, '127.0.0.1', listening));
  const port = (probe.address() as { port: number }).port;
  await new Promise((closed) => probe.close(closed));
  return port;
}

/**
 * Redress as `npm start` runs it (compiled, dist/main.js), optionally with extra node flags such as --cpu-prof, or another
 * build's main.js (`service`) to compare two builds side by side.
 */
export async function startRedress(
  options: { dataDir?: string; nodeArgs?: string[]; env?: Record<string, string>; service?: string; wrapper?: string[] } = {},
): Promise<Child & { readonly pid?: number }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'redress-bench-http-'));
  const port = await freePort();
  // `wrapper`: a program the service runs under (valgrind, for instructions.ts), given node's own command line.
  const [program, ...wrapperArgs] = [...(options.wrapper ?? []), process.execPath];
  const child = spawn(program, [...wrapperArgs, ...(options.nodeArgs ?? []), options.service ?? builtService()], {
    cwd: REPO,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      AUTH_SECRET,
      RATE_LIMIT_MAX: '1000000',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = `http://127.0.0.1:${port}`;
  // Under valgrind the service takes a minute or two to start.
  await waitForUrl(child, url, options.wrapper ? 600_000 : undefined);
  return { url, dataDir, pid: child.pid, cpuMs: () => cpuMsOf(child.pid), stop: stopper(child, options.dataDir ? undefined : dataDir) };
}

export function tokenFor(dataDir: string) {
  return bearerFor(loadConfig({ DATA_DIR: dataDir, AUTH_SECRET }));
}

export const RECEIVE = { customerId: 'customer-0', channel: 'email', summary: 'The parcel arrived late and damaged.' };
/** A purchase of the mix; `orderId` makes it a new one. */
export const purchaseBody = (orderId: string) => ({ orderId, amount: 4999, currency: 'GBP', at: '2026-11-20T14:32:00Z' });
export const CONTACT = { direction: 'outbound', channel: 'phone', summary: 'Called the customer back about the damaged parcel.' };

/** Creates `cases` cases over `customers` customers; returns their ids. */
export async function seedCases(url: string, authorization: string, cases: number, customers: number): Promise<string[]> {
  const ids: string[] = [];
  const post = async (n: number) => {
    const response = await fetch(`${url}/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ ...RECEIVE, customerId: `customer-${n % customers}` }),
    });
    if (!response.ok) throw new Error(`seed: ${response.status} ${await response.text()}`);
    ids.push(((await response.json()) as { caseId: string }).caseId);
  };
  for (let n = 0; n < cases; n += 16) await Promise.all(Array.from({ length: Math.min(16, cases - n) }, (_, k) => post(n + k)));
  return ids;
}

interface MixOptions {
  readonly caseIds: readonly string[];
  readonly customers: number;
  readonly authorization: string;
}

let purchaseCounter = 0;
/**
 * The next request of the mix, as autocannon's setupRequest builds it. Contacts go to any case known so far, the
 * seeded ones and those the run opened (`opened`), as on a desk where new cases keep coming: aiming them all at the
 * seeded cases would pile hundreds of contacts onto each, which no real case carries.
 */
function mixRequest({ caseIds, customers }: MixOptions, opened: readonly string[]) {
  return (request: autocannon.Request, context: MixContext): autocannon.Request => {
    const roll = Math.random();
    context.opening = roll < 0.2;
    if (roll < 0.2) {
      request.path = '/cases';
      request.body = JSON.stringify({ ...RECEIVE, customerId: `customer-${Math.floor(Math.random() * customers)}` });
    } else if (roll < 0.8) {
      const pick = Math.floor(Math.random() * (caseIds.length + opened.length));
      request.path = `/cases/${pick < caseIds.length ? caseIds[pick] : opened[pick - caseIds.length]}/log-contact`;
      request.body = JSON.stringify(CONTACT);
    } else {
      request.path = `/customers/customer-${Math.floor(Math.random() * customers)}/purchases`;
      request.body = JSON.stringify(purchaseBody(`order-${process.pid}-${purchaseCounter++}`));
    }
    request.method = 'POST';
    return request;
  };
}

/** Per connection (one request in flight on each): whether its request opens a case. */
interface MixContext {
  opening?: boolean;
}

/** Cases the mix opens, for its later contacts: kept across runs against one service (see `mixRequest`). */
const openedBy = new WeakMap<MixOptions, string[]>();

function casesOpenedBy(mix: MixOptions): string[] {
  let opened = openedBy.get(mix);
  if (!opened) openedBy.set(mix, (opened = []));
  return opened;
}

export async function load(url: string, connections: number, seconds: number, mix?: MixOptions): Promise<LoadFigures> {
  if (!mix) return loadContacts(url, connections, seconds, CONTACT);
  return figures(
    await autocannon({
      url,
      connections,
      duration: seconds,
      headers: { 'content-type': 'application/json', authorization: mix.authorization },
      requests: [mixRequests(mix)],
    }),
  );
}

/** The same contact on `case-1` on every request: the bare endpoint's load, and `loadRefused`'s. */
async function loadContacts(url: string, connections: number, seconds: number, contact: object, authorization?: string): Promise<LoadFigures> {
  return figures(
    await autocannon({
      url,
      connections,
      duration: seconds,
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      requests: [{ method: 'POST', path: '/cases/case-1/log-contact', body: JSON.stringify(contact) }],
    }),
  );
}

/** A contact whose `direction` no rule allows: the service authenticates the request, validates its body and refuses it (400). */
const REFUSED_CONTACT = { ...CONTACT, direction: 'sideways' };

/**
 * Redress's HTTP stack without a command: requests with a valid bearer token and a body validation refuses (400), so each
 * goes through everything a command request does before its handler (Fastify and Nest, security headers, rate limit,
 * metrics, request logging, authentication, body parsing and validation) and through the problem answer, and nothing after.
 */
export function loadRefused(url: string, connections: number, seconds: number, authorization: string): Promise<LoadFigures> {
  return loadContacts(url, connections, seconds, REFUSED_CONTACT, authorization);
}

function mixRequests(mix: MixOptions): autocannon.Request {
  const opened = casesOpenedBy(mix);
  return {
    setupRequest: mixRequest(mix, opened),
    onResponse: (status: number, body: string, context: MixContext) => {
      if (!context.opening || status !== 201) return;
      opened.push((JSON.parse(body) as { caseId: string }).caseId);
    },
  };
}

/**
 * Waits until the service has finished what it does once on a log it has not served before: its deadline clock appends
 * the breaches of every case past its deadline (about 90,000 events on the 1M log) and the projections apply them, which
 * would otherwise be measured as the queries' latency. Settled: every projection at the log's head, and the head still.
 */
export async function settled(url: string, authorization: string, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastHead = -1;
  let stillSince = Date.now();
  for (;;) {
    const response = await fetch(`${url}/projections`, { headers: { authorization } });
    if (!response.ok) throw new Error(`GET /projections: ${response.status} ${await response.text()}`);
    const statuses = (await response.json()) as { checkpoint: number; headPosition: number }[];
    const head = Math.max(...statuses.map((status) => status.headPosition));
    if (head !== lastHead) [lastHead, stillSince] = [head, Date.now()];
    if (statuses.every((status) => status.checkpoint === head) && Date.now() - stillSince >= 3000) return;
    if (Date.now() > deadline) throw new Error(`the service did not settle in ${timeoutMs} ms (head ${head})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** GET `path` over one connection for `seconds`. */
export async function getLoad(url: string, path: string, seconds: number, authorization?: string): Promise<LoadFigures> {
  return figures(
    await autocannon({ url: url + path, connections: 1, duration: seconds, headers: authorization ? { authorization } : {} }),
  );
}

function figures(result: autocannon.Result): LoadFigures {
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx + result.errors + result.timeouts,
    timeouts: result.timeouts,
  };
}

export interface HttpResults {
  readonly secondsPerRun: number;
  readonly cases: number;
  readonly byConnections: Record<
    string,
    {
      readonly bare: Record<keyof LoadFigures, Spread>;
      readonly redress: Record<keyof LoadFigures, Spread>;
      readonly ratio: { readonly requestsPerSecond: Spread; readonly p99: Spread };
    }
  >;
  /** At the most connections: requests refused by validation (`loadRefused`), against the same bare runs. */
  readonly refused: {
    readonly connections: number;
    readonly redress: Record<keyof LoadFigures, Spread>;
    readonly ratio: { readonly requestsPerSecond: Spread };
  };
}

function summarise(runs: LoadFigures[]): Record<keyof LoadFigures, Spread> {
  return {
    requestsPerSecond: spread(runs.map((run) => run.requestsPerSecond)),
    p50Ms: spread(runs.map((run) => run.p50Ms)),
    p99Ms: spread(runs.map((run) => run.p99Ms)),
    maxMs: spread(runs.map((run) => run.maxMs)),
    non2xx: spread(runs.map((run) => run.non2xx)),
    timeouts: spread(runs.map((run) => run.timeouts)),
  };
}

export async function benchHttp(options: { seconds: number; repetitions: number; cases: number; connections: readonly number[] }): Promise<HttpResults> {
  const bare = await startBare();
  const redress = await startRedress();
  try {
    const authorization = await tokenFor(redress.dataDir!)({ id: 'bench-agent', role: 'agent' });
    const customers = Math.max(1, Math.floor(options.cases / 4));
    const caseIds = await seedCases(redress.url, authorization, options.cases, customers);
    const mix = { caseIds, customers, authorization };
    // Warm both (JIT, connection pools) before anything is measured.
    await load(bare.url, 16, 1);
    await load(redress.url, 16, 2, mix);
    const byConnections: HttpResults['byConnections'] = {};
    const most = Math.max(...options.connections);
    const refusedRuns: LoadFigures[] = [];
    let refused: HttpResults['refused'] | undefined;
    for (const connections of options.connections) {
      const bareRuns: LoadFigures[] = [];
      const redressRuns: LoadFigures[] = [];
      const variants: Record<string, () => Promise<number>> = {
        bare: async () => (bareRuns.push(await load(bare.url, connections, options.seconds)), 0),
        redress: async () => (redressRuns.push(await load(redress.url, connections, options.seconds, mix)), 0),
      };
      if (connections === most)
        variants['refused'] = async () => (refusedRuns.push(await loadRefused(redress.url, connections, options.seconds, authorization)), 0);
      await interleaved(options.repetitions, variants);
      if (connections === most)
        refused = {
          connections,
          redress: summarise(refusedRuns),
          ratio: {
            requestsPerSecond: ratios(
              refusedRuns.map((run) => run.requestsPerSecond),
              bareRuns.map((run) => run.requestsPerSecond),
            ),
          },
        };
      byConnections[String(connections)] = {
        bare: summarise(bareRuns),
        redress: summarise(redressRuns),
        ratio: {
          requestsPerSecond: ratios(
            redressRuns.map((run) => run.requestsPerSecond),
            bareRuns.map((run) => run.requestsPerSecond),
          ),
          // autocannon reports whole milliseconds: a p99 under 1 ms counts as 1 ms, so the ratio stays finite.
          p99: ratios(
            redressRuns.map((run) => Math.max(run.p99Ms, 1)),
            bareRuns.map((run) => Math.max(run.p99Ms, 1)),
          ),
        },
      };
    }
    return { secondsPerRun: options.seconds, cases: options.cases, byConnections, refused: refused! };
  } finally {
    await bare.stop();
    await redress.stop();
  }
}

if (require.main === module) {
  const seconds = Number(process.argv[2] ?? 5);
  void benchHttp({ seconds, repetitions: 1, cases: 200, connections: [1, 16, 64] }).then((results) => console.log(JSON.stringify(results, null, 1)));
}
