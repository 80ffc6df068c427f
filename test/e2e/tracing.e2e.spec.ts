import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing, tracingEnabled } from '../../src/observability/tracing';
import { agent, validComplaint, withTestServer } from './e2e-helpers';

/** An operator following one command through its trace: HTTP → command → decide → append → projection apply. */
describe('OpenTelemetry tracing', () => {
  const exporter = new InMemorySpanExporter();
  const sdk = startTracing({ spanProcessors: [new SimpleSpanProcessor(exporter)] })!;
  const logLines: string[] = [];
  const server = withTestServer({ env: { LOG_LEVEL: 'info' }, logDestination: { write: (line) => void logLines.push(line) } });
  // Declared after the server's, so it runs after the server has closed.
  afterAll(() => sdk.shutdown());

  async function spansUntil(found: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]> {
    for (let tries = 0; ; tries++) {
      const spans = exporter.getFinishedSpans();
      if (found(spans)) return spans;
      if (tries > 100) throw new Error(`not traced: ${spans.map((span) => span.name).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it("traces a command from its HTTP request to the projection that applies its events, each span with the request's correlation id", async () => {
    const created = await server.post('/cases', validComplaint, { ...agent, 'X-Correlation-Id': 'traced-1' });
    expect(created.status).toBe(201);
    const spans = await spansUntil((all) =>
      all.some((span) => span.name === 'projection apply case-views' && span.attributes['redress.correlation_id'] === 'traced-1'),
    );

    const command = spans.find(
      (span) => span.name === 'command ReceiveComplaint' && span.attributes['redress.correlation_id'] === 'traced-1',
    )!;
    expect(command).toBeDefined();
    const trace = spans.filter((span) => span.spanContext().traceId === command.spanContext().traceId);
    const byId = new Map(trace.map((span) => [span.spanContext().spanId, span]));
    const parentOf = (span: ReadableSpan) => byId.get(span.parentSpanContext?.spanId ?? '');
    const ancestors = (span: ReadableSpan): string[] => {
      const parent = parentOf(span);
      return parent ? [parent.name, ...ancestors(parent)] : [];
    };

    const request = trace.find((span) => span.name === 'request')!;
    expect(request.attributes).toMatchObject({
      'redress.correlation_id': 'traced-1',
      'http.route': '/cases',
      'http.request.method': 'POST',
    });
    expect(ancestors(command)).toContain('request');
    expect(command.attributes).toMatchObject({ 'redress.command.type': 'ReceiveComplaint', 'redress.command.outcome': 'committed' });

    const decide = trace.find((span) => span.name === 'decide ReceiveComplaint')!;
    const append = trace.find((span) => span.name === 'event-store append')!;
    expect(parentOf(decide)?.name).toBe('command ReceiveComplaint');
    expect(parentOf(append)?.name).toBe('command ReceiveComplaint');
    expect(append.attributes).toMatchObject({ 'redress.events': 1, 'redress.stream': `complaint-${created.body.caseId}` });

    // The request's log line names the trace.
    const logged = logLines
      .map((line) => JSON.parse(line) as { correlationId?: string; traceId?: string })
      .find((line) => line.correlationId === 'traced-1');
    expect(logged?.traceId).toBe(command.spanContext().traceId);

    const projected = trace.filter((span) => span.name.startsWith('projection apply '));
    expect(projected.map((span) => span.name)).toContain('projection apply case-views');
    for (const span of projected) {
      expect(parentOf(span)?.name).toBe('event-store append');
      expect(span.attributes['redress.correlation_id']).toBe('traced-1');
    }
  });

  it('leaves health checks and scrapes out of the traces', async () => {
    exporter.reset();
    await server.request('GET', '/health', { anonymous: true });
    await server.get('/cases?limit=1');
    const spans = await spansUntil((all) => all.some((span) => span.attributes['http.route'] === '/cases'));
    expect(spans.filter((span) => String(span.attributes['http.route'] ?? '').startsWith('/health'))).toEqual([]);
  });
});

describe('whether tracing starts', () => {
  it('is off by default, on with OTEL_ENABLED=true or a standard exporter setting, and OTEL_ENABLED=false wins', () => {
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled({ OTEL_ENABLED: 'true' })).toBe(true);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingEnabled({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(tracingEnabled({ OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(tracingEnabled({ OTEL_ENABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
    expect(tracingEnabled({ OTEL_SDK_DISABLED: 'true', OTEL_ENABLED: 'true' })).toBe(false);
    expect(() => tracingEnabled({ OTEL_ENABLED: 'yes' })).toThrow(/OTEL_ENABLED must be true or false/);
    expect(startTracing({ env: {} })).toBeUndefined();
  });
});
