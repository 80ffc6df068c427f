import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { accessSync, constants, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../app.factory';
import { loadConfig } from '../../config/app-config';
import { bearerFor } from '../../identity/public';
import type { Clock } from '../../core/clock';
import { ProjectionsService } from '../../core/projections/projections.service';
import type { LoyaltyOutcomes } from '../../loyalty/public';
import type { SystemicIssues } from '../../loyalty/public';
import { SimulationOptions, SimulationPlan, WINDOW_DAYS, planSimulation } from './shop-simulation';

export interface DemoOptions extends SimulationOptions {
  /** Where the service keeps its data; default a temporary directory, removed afterwards unless `keep`. */
  readonly dataDir?: string;
  readonly keep?: boolean;
  /** Extra environment for the service (tests pass READ_STORE_URL and READ_STORE_SCHEMA). */
  readonly env?: Record<string, string>;
  /** Also ask for the loyalty table grouped by this. */
  readonly groupBy?: string;
  readonly onProgress?: (done: number, total: number) => void;
  /** Progress of the read models catching up with the log after the simulation. */
  readonly onProjectionProgress?: (done: number, total: number) => void;
}

export interface DemoResult {
  readonly plan: SimulationPlan;
  readonly loyalty: LoyaltyOutcomes;
  readonly grouped?: LoyaltyOutcomes;
  readonly systemic: SystemicIssues;
  readonly requests: number;
  readonly lastPosition: number;
  readonly dataDir: string;
  readonly kept: boolean;
}

/**
 * Where a throw-away data directory goes: memory (/dev/shm) where there is one. The event log fsyncs every
 * command (synchronous=FULL); on a disk that alone would take the demo minutes, and its data is not kept anyway.
 */
function scratchDirectory(): string {
  const memory = '/dev/shm';
  try {
    if (process.platform === 'linux' && statSync(memory).isDirectory()) {
      accessSync(memory, constants.W_OK);
      return memory;
    }
  } catch {
    // no usable memory file system: the usual temporary directory
  }
  return tmpdir();
}

/** The service's clock during the demo: it reads whatever instant the simulation has reached. */
class SimulatedClock implements Clock {
  constructor(public current: number) {}

  now(): Date {
    return new Date(this.current);
  }
}

/**
 * Plays the simulated shop through the real service: an in-process Redress (the same module, DTOs,
 * command path, event log and projections as `npm start`) on its own data directory, every request
 * injected over its HTTP interface at the simulated instant. Then asks the analytics for the report.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const plan = planSimulation(options);
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(scratchDirectory(), 'redress-demo-'));
  if (existsSync(join(dataDir, 'events.db'))) {
    throw new Error(`${dataDir} already holds an event log: give the demo a new or empty directory.`);
  }
  const clock = new SimulatedClock(Date.parse(plan.period.from));
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: 'warn',
    // The report counts deadlines past due itself; the clock's background sweep would only race the simulated time.
    DEADLINE_CHECK_INTERVAL_MS: '86400000',
    READ_WAIT_TIMEOUT_MS: '60000',
    PROJECTION_BATCH_SIZE: '2000',
    // One simulated desk sends months of requests in seconds; the per-token limit is for real clients.
    RATE_LIMIT_MAX: '1000000',
    ...options.env,
    DATA_DIR: dataDir,
  });
  const app: NestFastifyApplication = await createApp({ config, clock });
  await app.init();
  const bearer = bearerFor(config);
  let lastPosition = 0;
  try {
    // The projections catch up once the simulation is over, a batch of thousands of events per transaction, as after
    // a rebuild; running them alongside would fold every command's events in a transaction of its own.
    const projections = app.get(ProjectionsService);
    const names = (await projections.statuses()).map((status) => status.name);
    for (const name of names) await projections.runner(name).stop();
    for (let index = 0; index < plan.requests.length; index++) {
      const request = plan.requests[index];
      clock.current = Date.parse(request.at);
      const { id, role } = request.actor;
      // What a customer says reaches Redress through the service desk, under a desk agent's token.
      const authorization = await bearer(role === 'customer' ? SERVICE_DESK : { id, role });
      const response = await app.inject({
        method: request.method,
        url: request.url,
        headers: { ...request.headers, authorization },
        payload: JSON.stringify(request.body),
      });
      if (response.statusCode >= 300) {
        throw new Error(
          `The simulation's ${request.method} ${request.url} at ${request.at} was answered ${response.statusCode}: ${response.body}`,
        );
      }
      lastPosition = Math.max(lastPosition, (JSON.parse(response.body) as { position: number }).position);
      options.onProgress?.(index + 1, plan.requests.length);
    }
    clock.current = Date.parse(plan.end);
    for (const name of names) await projections.runner(name).start();
    await catchUp(projections, lastPosition, options.onProjectionProgress);
    const query = `from=${plan.period.from}&to=${plan.period.to}&windowDays=${WINDOW_DAYS}&minPosition=${lastPosition}`;
    const analyst = await bearer({ id: 'demo-analyst', role: 'analyst' });
    const loyalty = await getJson<LoyaltyOutcomes>(app, `/analytics/loyalty-outcomes?${query}`, analyst);
    const grouped = options.groupBy
      ? await getJson<LoyaltyOutcomes>(app, `/analytics/loyalty-outcomes?${query}&groupBy=${options.groupBy}`, analyst)
      : undefined;
    const systemic = await getJson<SystemicIssues>(app, `/analytics/systemic-issues?minPosition=${lastPosition}`, analyst);
    return {
      plan,
      loyalty,
      ...(grouped ? { grouped } : {}),
      systemic,
      requests: plan.requests.length,
      lastPosition,
      dataDir,
      kept: !ownsDir || options.keep === true,
    };
  } finally {
    await app.close();
    if (ownsDir && !options.keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

const SERVICE_DESK = { id: 'service-desk', role: 'agent' } as const;

async function catchUp(
  projections: ProjectionsService,
  position: number,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const report = async () => {
    const statuses = await projections.statuses();
    const done = statuses.reduce((sum, status) => sum + Math.min(status.checkpoint, position), 0);
    onProgress?.(done, position * statuses.length);
    return statuses;
  };
  for (;;) {
    const statuses = await report();
    const failed = statuses.find((status) => status.state === 'failed');
    if (failed) throw new Error(`The ${failed.name} projection failed: ${failed.failure?.error ?? 'unknown error'}`);
    if (statuses.every((status) => status.checkpoint >= position)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function getJson<T>(app: NestFastifyApplication, url: string, authorization: string): Promise<T> {
  const response = await app.inject({ method: 'GET', url, headers: { authorization } });
  if (response.statusCode !== 200) throw new Error(`GET ${url} was answered ${response.statusCode}: ${response.body}`);
  return JSON.parse(response.body) as T;
}
