import 'reflect-metadata';
import { ConfigError } from './config/app-config';
import { startTracing } from './observability/tracing';

function fail(error: unknown): never {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

try {
  // Before the service's modules load, so the instrumentations patch http, pg and gRPC as they are required.
  startTracing();
} catch (error) {
  fail(error);
}
import('./serve').then(({ serve }) => serve()).catch(fail);
