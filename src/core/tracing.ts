import {
  context,
  INVALID_SPAN_CONTEXT,
  ProxyTracerProvider,
  trace,
  SpanStatusCode,
  type Attributes,
  type Link,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import type { DomainEvent } from './decider';
import type { RecordedEvent } from './event-store/event-store.port';
import type { Projection } from './projections/projection';

/**
 * Spans of the command path through the OpenTelemetry API only: without an SDK (tracing off, the default)
 * every call is a no-op. src/observability/tracing.ts starts the SDK when configured.
 */
const tracer = () => trace.getTracer('redress');

/** What the API's provider delegates to while no SDK is registered. */
const NO_SDK = new ProxyTracerProvider().getDelegate();
/** The span `work` gets while tracing is off: records nothing, like the API's own no-op spans. */
const UNTRACED_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * Whether an SDK is registered. Without one every span is a no-op, but making it still costs a tracer, a span,
 * a context and closures per call on the command path: the helpers below skip all of that instead.
 */
function tracing(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NO_SDK;
}

export const ATTR_CORRELATION_ID = 'redress.correlation_id';

/**
 * Runs `work` in a span, the active one while it runs; an exception marks the span as failed.
 * `attributes` are asked for only when tracing is on.
 */
export async function inSpan<T>(name: string, attributes: () => Attributes, work: (span: Span) => Promise<T>): Promise<T> {
  if (!tracing()) return work(UNTRACED_SPAN);
  return tracer().startActiveSpan(name, { attributes: attributes() }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The synchronous `inSpan`, for pure steps (deciding). */
export function inSyncSpan<T>(name: string, attributes: () => Attributes, work: () => T): T {
  if (!tracing()) return work();
  return tracer().startActiveSpan(name, { attributes: attributes() }, (span) => {
    try {
      return work();
    } finally {
      span.end();
    }
  });
}

/**
 * The span that appended each event, for the projection that applies it later, in another task: kept for the
 * last MAX_REMEMBERED events appended by this process, and only while tracing records.
 */
const appendedIn = new Map<string, SpanContext>();
const MAX_REMEMBERED = 10_000;

export function rememberAppendSpan(events: readonly { readonly id: string }[]): void {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return;
  for (const { id } of events) appendedIn.set(id, span.spanContext());
  for (const oldest of appendedIn.keys()) {
    if (appendedIn.size <= MAX_REMEMBERED) break;
    appendedIn.delete(oldest);
  }
}

/**
 * The projection, each batch it applies in a span: the child of the append of its last event (so the
 * command's trace goes on into its projection), linked to the appends of the batch's other events.
 */
export function tracedProjection<E extends DomainEvent, Tables>(projection: Projection<E, Tables>): Projection<E, Tables> {
  // Everything else of the projection stays as it is (its prototype): only `apply` is wrapped.
  const traced = Object.create(projection) as Projection<E, Tables>;
  traced.apply = (trx, events) => {
    if (!tracing()) return projection.apply(trx, events);
    const appends = [...new Set(events.map((event) => appendedIn.get(event.id)).filter((span) => span !== undefined))];
    const parent = appends.at(-1);
    const links: Link[] = appends.slice(0, -1).map((span) => ({ context: span }));
    const active = parent ? trace.setSpanContext(context.active(), parent) : context.active();
    return context.with(active, () =>
      inSpan(
        `projection apply ${projection.name}`,
        () => projectionAttributes(projection.name, events),
        async (span) => {
          span.addLinks(links);
          await projection.apply(trx, events);
        },
      ),
    );
  };
  return traced;
}

function projectionAttributes(name: string, events: readonly RecordedEvent[]): Attributes {
  const correlationIds = [...new Set(events.map((event) => event.metadata['correlationId']).filter((id) => typeof id === 'string'))];
  return {
    'redress.projection': name,
    'redress.events': events.length,
    'redress.position': events.at(-1)?.position ?? 0,
    ...(correlationIds.length > 0 ? { [ATTR_CORRELATION_ID]: correlationIds.length === 1 ? correlationIds[0] : correlationIds } : {}),
  };
}

/** Exports the spans still buffered (at shutdown); nothing when tracing is off. */
export async function flushTraces(): Promise<void> {
  const provider = trace.getTracerProvider() as { getDelegate?: () => { forceFlush?: () => Promise<void> } };
  await provider.getDelegate?.().forceFlush?.();
}
