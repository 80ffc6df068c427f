import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CommandOutcome, CoreObserver } from '../core/observer';
import type { ProjectionStatus } from '../core/projections/projection-runner';

/** Latencies from a millisecond to ten seconds: commands fsync, reads may wait for the projections. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/** Node's process metrics (CPU, memory, event loop, GC) are the process's: registered once, shown by every app's /metrics. */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * Redress's Prometheus metrics, one registry per application. The command path, the event store, the
 * read-your-writes wait and the live streams report through CoreObserver; HTTP through a Fastify hook;
 * projection lag is read from the runners' status when scraped.
 */
export class RedressMetrics implements CoreObserver {
  readonly registry = new Registry();
  private projectionStatuses?: () => Promise<ProjectionStatus[]>;

  private readonly httpDuration = new Histogram({
    name: 'redress_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status, from arrival to the last byte of the answer',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly commands = new Counter({
    name: 'redress_commands_total',
    help: 'Commands handled, by type and outcome (committed, replayed, rule_refused, conflict, failed)',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly commandDuration = new Histogram({
    name: 'redress_command_duration_seconds',
    help: 'Command latency (read, decide, append), by type and outcome',
    labelNames: ['type', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly appendDuration = new Histogram({
    name: 'redress_event_store_append_duration_seconds',
    help: 'Event-store appends, from call to durable acknowledgement',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly appendSize = new Histogram({
    name: 'redress_event_store_append_events',
    help: 'Events per event-store append',
    buckets: BATCH_BUCKETS,
    registers: [this.registry],
  });
  private readonly eventsAppendedTotal = new Counter({
    name: 'redress_events_appended_total',
    help: 'Events appended to the event store by this instance',
    registers: [this.registry],
  });
  private readonly readWaits = new Histogram({
    name: 'redress_read_wait_duration_seconds',
    help: 'Read-your-writes waits (minPosition) for a projection, by outcome (reached, timed_out)',
    labelNames: ['projection', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly readModelBehind = new Counter({
    name: 'redress_read_model_behind_total',
    help: 'Reads answered 503 read-model-behind because the projection did not reach minPosition in time',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });
  private readonly liveStreams = new Gauge({
    name: 'redress_sse_connections',
    help: 'Open live (Server-Sent Events) connections',
    registers: [this.registry],
  });

  constructor() {
    // A read store that does not answer leaves the lag out of this scrape rather than failing it.
    const statuses = async () => (this.projectionStatuses ? await this.projectionStatuses().catch(() => []) : []);
    let lastScrape: Promise<ProjectionStatus[]> | undefined;
    // Both lag gauges are collected in one scrape: read the statuses once for both.
    const once = () => (lastScrape ??= statuses().finally(() => setImmediate(() => (lastScrape = undefined))));
    new Gauge({
      name: 'redress_projection_lag_events',
      help: 'Events in the log the projection has not applied yet',
      labelNames: ['projection'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const status of await once()) this.set({ projection: status.name }, status.lag.events);
      },
    });
    new Gauge({
      name: 'redress_projection_lag_seconds',
      help: 'Age of the oldest event the projection has not applied yet (0 when caught up)',
      labelNames: ['projection'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const status of await once()) this.set({ projection: status.name }, status.lag.seconds);
      },
    });
  }

  /** Where the projection lag is read from at each scrape. */
  watchProjections(statuses: () => Promise<ProjectionStatus[]>): void {
    this.projectionStatuses = statuses;
  }

  /** Every request's duration by route pattern (not path: a case id is not a label) and status. */
  installHttpMetrics(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', (request, reply, done) => {
      this.httpDuration.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
      done();
    });
  }

  async scrape(): Promise<{ contentType: string; text: string }> {
    const merged = Registry.merge([processMetrics(), this.registry]);
    return { contentType: merged.contentType, text: await merged.metrics() };
  }

  commandHandled(commandType: string, outcome: CommandOutcome, seconds: number): void {
    this.commands.inc({ type: commandType, outcome });
    this.commandDuration.observe({ type: commandType, outcome }, seconds);
  }

  eventsAppended(events: number, seconds: number): void {
    this.appendDuration.observe(seconds);
    this.appendSize.observe(events);
    this.eventsAppendedTotal.inc(events);
  }

  readWaited(projection: string, reached: boolean, seconds: number): void {
    this.readWaits.observe({ projection, outcome: reached ? 'reached' : 'timed_out' }, seconds);
    if (!reached) this.readModelBehind.inc({ projection });
  }

  liveStreamOpened(): void {
    this.liveStreams.inc();
  }

  liveStreamClosed(): void {
    this.liveStreams.dec();
  }
}
