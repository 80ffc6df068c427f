import { FastifyOtelInstrumentation } from '@fastify/otel';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { tracingEnabled } from './tracing-config';
import { ATTR_CORRELATION_ID } from '../core/tracing';

export { tracingEnabled };

type Env = Record<string, string | undefined>;

/** Health checks and scrapes are not traced: they would drown the requests that matter. */
const UNTRACED = /^\/(metrics|health)(\/|\?|$)/;

/**
 * Starts the OpenTelemetry SDK (HTTP, Fastify, PostgreSQL and gRPC instrumentations; exporter, endpoint and
 * sampling from the standard OTEL_* variables, OTLP by default) before the service's modules load, so their
 * libraries are instrumented. `spanProcessors` replaces the configured exporter (tests). Undefined when off.
 */
export function startTracing(options: { readonly env?: Env; readonly spanProcessors?: SpanProcessor[] } = {}): NodeSDK | undefined {
  const env = options.env ?? process.env;
  if (!options.spanProcessors && !tracingEnabled(env)) return undefined;
  const sdk = new NodeSDK({
    serviceName: env['OTEL_SERVICE_NAME'] || 'redress',
    ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}),
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => UNTRACED.test(request.url ?? '') }),
      new FastifyOtelInstrumentation({
        registerOnInitialization: true,
        ignorePaths: (route) => UNTRACED.test(route.url ?? ''),
        requestHook: (span, request) => span.setAttribute(ATTR_CORRELATION_ID, request.id),
      }),
      new PgInstrumentation(),
      new GrpcInstrumentation(),
    ],
  });
  sdk.start();
  return sdk;
}
