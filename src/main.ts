import 'reflect-metadata';
import { ConfigError } from './config/app-config';
import { tracingEnabled } from './observability/tracing-config';

async function main(): Promise<void> {
  // The SDK loads only when tracing is on, and before the service's modules, so its instrumentations patch http,
  // pg and gRPC as they are required.
  if (tracingEnabled()) (await import('./observability/tracing')).startTracing();
  const { serve } = await import('./serve');
  await serve();
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
