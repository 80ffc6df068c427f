/**
 * Runs the EventStoreDB protocol double standalone, so the whole service can be tried against
 * the EventStoreDB adapter without a server:
 *
 *   npm run esdb:double                      # a free port
 *   npm run esdb:double -- --port 2113       # a fixed one
 *   EVENTSTORE_URL=<printed url> npm start   # in another terminal
 *
 * Events live in memory: they are gone when it stops (Ctrl-C).
 */
import { EsdbDouble } from '../test/support/esdb-double';

function portArgument(argv: string[]): number {
  const at = argv.findIndex((arg) => arg === '--port' || arg.startsWith('--port='));
  if (at < 0) return Number(process.env['ESDB_DOUBLE_PORT'] ?? 0);
  const raw = argv[at].includes('=') ? argv[at].split('=')[1] : argv[at + 1];
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got "${raw}"`);
  return port;
}

async function main(): Promise<void> {
  const double = await EsdbDouble.start({
    port: portArgument(process.argv.slice(2)),
    host: process.env['ESDB_DOUBLE_HOST'] || '127.0.0.1',
  });
  process.stdout.write(`EventStoreDB protocol double listening; connect with:\n${double.url}\n`);
  process.stdout.write(`e.g. EVENTSTORE_URL='${double.url}' npm start\n`);
  const stop = async () => {
    await double.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
