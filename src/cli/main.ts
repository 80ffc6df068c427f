#!/usr/bin/env node
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, LOG_LEVELS, type LogLevel } from '../config/app-config';
import { systemClock } from '../core/clock';
import { openEventStore } from '../core/event-store/open-event-store';
import { UpcastingEventStore } from '../core/event-store/upcasting-event-store';
import { EVENT_UPCASTERS, REDRESS_STREAM_PREFIXES } from '../event-schemas';
import { ProcessLock, projectionLockPath } from '../core/projections/process-lock';
import { ProjectionRunner } from '../core/projections/projection-runner';
import { capRebuildHeapGrowth } from '../core/projections/rebuild-heap';
import { checkpointMigrations } from '../core/projections/checkpoints';
import { migrateReadStore, openReadStore } from '../core/read-store/read-store';
import { createRootLogger, nestLoggerOver } from '../observability/logging';
import { PERSONAL_FIELDS } from '../personal-fields';
import { READ_MODELS, openTextWith, readModels, type ReadModelTables } from '../read-models';
import { PersonalDataProtection } from '../privacy/headless';
import { exportCommand, verifyCommand } from './audit-commands';
import { DEMO_DESCRIPTION, demoCommand } from './demo';
import { AuditUsageError, auditCommand } from './ledger-witness';
import { ImportUsageError, importCommand } from './import-purchases';
import { ProgressBar } from './progress-bar';
import { formatProjectionsStatus, projectionsStatus } from './projections-status';
import { API_ROLES, tokenCommand, TokenUsageError } from '../identity/headless';
import { LOYALTY_GROUP_BY } from '../loyalty/headless';

/** The exit codes every subcommand keeps to. */
export const EXIT = { ok: 0, checkFailed: 1, usage: 2 } as const;

const EXIT_CODES_HELP = `
Exit codes: 0 ok; 1 a check failed (a broken chain, invalid rows, a failed witness) or the command could not
run (configuration, stores); 2 usage (unknown command or option, missing argument).
Progress goes to stderr (with rate and ETA); results to stdout. Configuration comes from the same
environment variables as the service (DATA_DIR, READ_STORE_URL, EVENTSTORE_URL, LOG_LEVEL, …).`;

/** Thrown for arguments a command cannot work with: exit 2. */
class UsageError extends Error {}

function version(): string {
  // dist/cli/main.js and src/cli/main.ts both sit two levels below package.json.
  return (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;
}

function wholeNumber(name: string, min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max)
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
    return value;
  };
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Rebuild the named read models (default: all) from the whole event log. */
async function rebuild(names: string[], json: boolean): Promise<void> {
  const config = loadConfig();
  capRebuildHeapGrowth(config.rebuildHeapGrowthPercent);
  // The search index is rebuilt with the customers' words opened (and erased customers' left out).
  const models = readModels(openTextWith(PersonalDataProtection.open(config, PERSONAL_FIELDS, { lazy: true })));
  const known = models.projections.map((projection) => projection.name);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new UsageError(`Unknown projection(s): ${unknown.join(', ')}. Known: ${known.join(', ')}`);
  const chosen = models.projections.filter((projection) => names.length === 0 || names.includes(projection.name));

  const store = new UpcastingEventStore(openEventStore(config, REDRESS_STREAM_PREFIXES), EVENT_UPCASTERS);
  const readStore = await openReadStore<ReadModelTables>({
    url: config.readStoreUrl,
    schema: config.readStoreSchema,
    dataDir: config.dataDir,
  });
  const lock = readStore.dialect === 'sqlite' ? ProcessLock.acquire(projectionLockPath(config), 'redress rebuild') : undefined;
  const rebuilt: { name: string; checkpoint: number }[] = [];
  try {
    await migrateReadStore(readStore, { ...checkpointMigrations, ...models.migrations });
    // One pass over the log for all of them: each event read and verified once, each case written once per transaction (about 20,000 events).
    const runners = chosen.map(
      (projection) => new ProjectionRunner(store, readStore, projection, { clock: systemClock, batchSize: config.projectionBatchSize }),
    );
    const bar = new ProgressBar(`Rebuilding ${chosen.map((projection) => projection.name).join(', ')}`);
    await ProjectionRunner.rebuildTogether(runners, (done, total) => bar.update(done, total));
    for (const runner of runners) {
      await runner.stop();
      const status = await runner.status();
      process.stderr.write(`${runner.name}: rebuilt to position ${status.checkpoint}\n`);
      rebuilt.push({ name: runner.name, checkpoint: status.checkpoint });
    }
  } finally {
    lock?.release();
    await readStore.close();
    await store.close();
  }
  if (json) printJson({ rebuilt });
}

/** Nest's loggers (the stores, the projections) write pino JSON lines to stderr, at LOG_LEVEL (default warn). */
function logToStderr(): void {
  const requested = process.env['LOG_LEVEL'];
  const aliases: Record<string, LogLevel> = { log: 'info', verbose: 'trace' };
  const level =
    aliases[requested ?? ''] ?? ((LOG_LEVELS as readonly string[]).includes(requested ?? '') ? (requested as LogLevel) : 'warn');
  const format = process.env['LOG_FORMAT'] === 'pretty' ? 'pretty' : 'json';
  Logger.overrideLogger(nestLoggerOver(createRootLogger({ level, format, personalFields: PERSONAL_FIELDS, destination: process.stderr })));
}

/** Where commander writes help, version and usage errors (the process's streams, or a test's). */
export interface CliOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}
const STANDARD_OUTPUT: CliOutput = { writeOut: (text) => process.stdout.write(text), writeErr: (text) => process.stderr.write(text) };

/** The `redress` program: every subcommand with its options, help and exit codes. */
export function program(output: CliOutput = STANDARD_OUTPUT): Command {
  const redress = new Command('redress')
    .configureOutput(output)
    .description('Redress: event-sourced complaint handling. The service, and the operations around its event log.')
    .version(version(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for the command')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .addHelpText('after', EXIT_CODES_HELP)
    .hook('preAction', logToStderr);

  redress
    .command('serve')
    .description('Serve the HTTP API (as npm start does) until a signal stops it')
    .option('--port <port>', 'port to listen on (default PORT, 3000)', wholeNumber('--port', 0, 65535))
    .option('--host <host>', 'address to listen on (default HOST, 127.0.0.1)')
    .action(async (options: { port?: number; host?: string }) => {
      // Imported here: the application (Nest, Fastify) loads only for the service, after tracing starts (OTEL_ENABLED).
      const { tracingEnabled } = await import('../observability/tracing-config');
      if (tracingEnabled()) (await import('../observability/tracing')).startTracing();
      const { serve } = await import('../serve');
      await serve(options);
    });

  redress
    .command('demo')
    .summary('Simulate a shop through the API and print the loyalty-outcome table')
    .description(DEMO_DESCRIPTION)
    .option('--customers <n>', 'customers in the shop', wholeNumber('--customers', 1, 1_000_000), 1000)
    .option('--months <m>', 'length of the cohort period in months', wholeNumber('--months', 1, 120), 6)
    .option('--seed <seed>', 'the same seed gives the same shop, events and table', '2026')
    .option('--data-dir <dir>', 'keep the data here (a new or empty directory), to explore it with DATA_DIR=DIR npm start')
    .option('--keep', 'keep the temporary data directory and print where it is', false)
    .addOption(new Option('--group-by <field>', 'also print the table by this field').choices(LOYALTY_GROUP_BY))
    .option('--serve', "then keep serving the demo's data on 127.0.0.1 with a ready-made dashboard link; Ctrl-C stops it", false)
    .option('--port <port>', 'the port to serve on', wholeNumber('--port', 0, 65535), 3000)
    .action(
      (options: {
        customers: number;
        months: number;
        seed: string;
        dataDir?: string;
        keep: boolean;
        groupBy?: string;
        serve: boolean;
        port: number;
      }) => demoCommand(options),
    );

  redress
    .command('rebuild')
    .summary('Rebuild read models from the event log')
    .description('Empty the named read models (default: all) and replay the whole event log into them (stop the service first)')
    .argument('[projection...]', `read models: ${READ_MODELS.projections.map((projection) => projection.name).join(', ')}`)
    .option('--json', 'print {"rebuilt":[{name, checkpoint}]} on stdout')
    .action((names: string[], options: { json?: boolean }) => rebuild(names, options.json === true));

  redress
    .command('verify')
    .summary('Recompute the hash chains; exit 1 on any break')
    .description('Recompute the hash chains of the named cases (default: every stream, compared with the ledger); exit 1 on any break')
    .argument('[caseId...]', 'cases to verify')
    .option('--json', 'print {"verified", "broken", "streams":[{stream, status, revision, hash}]} on stdout')
    .action(async (caseIds: string[], options: { json?: boolean }) => {
      if (!(await verifyCommand(loadConfig(), caseIds, process.stdout, { json: options.json }))) process.exitCode = EXIT.checkFailed;
    });

  redress
    .command('export')
    .summary("Write each case's history as NDJSON files")
    .description(
      "Write each case's history (default: all cases) as DIR/<caseId>.ndjson, as stored (personal fields opened or [erased], their stored form under `sealed`)",
    )
    .requiredOption('--out <dir>', 'directory to write to (created if missing)')
    .argument('[caseId...]', 'cases to export')
    .option('--json', 'print {"exported", "out"} on stdout')
    .action(async (caseIds: string[], options: { out: string; json?: boolean }) => {
      const exported = await exportCommand(loadConfig(), options.out, caseIds);
      if (options.json) printJson({ exported, out: options.out });
    });

  redress
    .command('import')
    .description('Import records into the event log')
    .command('purchases')
    .description(
      'Record purchases from a CSV (header: customerId,orderId,amount,currency,at) or NDJSON file; lists each invalid row with its line number; exit 1 if there were any',
    )
    .argument('[file]', 'a .csv, .ndjson or .jsonl file')
    .addOption(new Option('--format <format>', 'the file format, when its name does not say').choices(['csv', 'ndjson']))
    .option('--actor <id>', 'the actor recorded on the purchases', 'import')
    .option('--json', 'print the report {"rows", "recorded", "duplicates", "invalidCount", "invalid"} on stdout')
    .action(async (file: string | undefined, options: { format?: string; actor: string; json?: boolean }) => {
      const args = [
        'purchases',
        ...(file ? [file] : []),
        ...(options.format ? ['--format', options.format] : []),
        '--actor',
        options.actor,
      ];
      const report = await importCommand(loadConfig(), args);
      if (options.json) printJson(report);
      if (report.invalidCount > 0) process.exitCode = EXIT.checkFailed;
    });

  redress
    .command('token')
    .description('Print a bearer token, signed with AUTH_SECRET or the secret in DATA_DIR/auth-secret (stdout holds the token alone)')
    .requiredOption('--sub <id>', 'the actor the token names')
    .requiredOption('--role <role>', `one of ${API_ROLES.join(', ')}`)
    .option('--ttl <ttl>', 'lifetime: 90s | 15m | 8h | 7d', '8h')
    .option('--json', 'print {"token", "sub", "role", "ttl"} instead of the token alone')
    .action(async (options: { sub: string; role: string; ttl: string; json?: boolean }) => {
      const args = ['--sub', options.sub, '--role', options.role, '--ttl', options.ttl];
      if (!options.json) return tokenCommand(loadConfig(), args);
      let token = '';
      await tokenCommand(loadConfig(), args, {
        write: (chunk: string) => ((token += chunk), true),
      } as NodeJS.WritableStream);
      printJson({ token: token.trim(), sub: options.sub, role: options.role, ttl: options.ttl });
    });

  redress
    .command('projections')
    .description('Operate the read models')
    .command('status')
    .description("Each read model's checkpoint against the log's head, from the stores (the service may run); exit 1 if one has failed")
    .option('--json', 'print [{name, checkpoint, headPosition, behind, failure?}] on stdout')
    .action(async (options: { json?: boolean }) => {
      const statuses = await projectionsStatus(loadConfig());
      if (options.json) printJson(statuses);
      else process.stdout.write(`${formatProjectionsStatus(statuses)}\n`);
      if (statuses.some((status) => status.failure)) process.exitCode = EXIT.checkFailed;
    });

  const audit = redress.command('audit').description("Check the audit ledger's signed checkpoints and proofs (see Tamper evidence)");
  audit
    .command('witness')
    .description(
      'Fetch the latest signed checkpoint, verify its signature and that it extends the one kept in FILE, spot-check N events, then keep it; exit 1 naming any failure',
    )
    .requiredOption('--url <url>', "the service's base URL")
    .requiredOption('--state <file>', 'where the witnessed checkpoint is kept')
    .option('--public-key <file>', 'the trusted public key (JWK); default: the one kept, else the one served')
    .option('--token <token>', 'a bearer token (or REDRESS_TOKEN)')
    .option('--spot-check <n>', 'events to check against their history records', wholeNumber('--spot-check', 0, 1_000_000))
    .action(async (options: { url: string; state: string; publicKey?: string; token?: string; spotCheck?: number }) => {
      const args = ['witness', '--url', options.url, '--state', options.state];
      if (options.publicKey) args.push('--public-key', options.publicKey);
      if (options.token) args.push('--token', options.token);
      if (options.spotCheck !== undefined) args.push('--spot-check', String(options.spotCheck));
      if (!(await auditCommand(args))) process.exitCode = EXIT.checkFailed;
    });
  audit
    .command('prove')
    .description('Every event of the case with its inclusion proof against the latest checkpoint, as JSON')
    .requiredOption('--case <id>', 'the case')
    .option('--url <url>', "the service's base URL (or REDRESS_URL; default http://127.0.0.1:3000)")
    .option('--token <token>', 'a bearer token (or REDRESS_TOKEN)')
    .option('--out <file>', 'write the proof here instead of stdout')
    .action(async (options: { case: string; url?: string; token?: string; out?: string }) => {
      const args = ['prove', '--case', options.case];
      for (const [flag, value] of [
        ['--url', options.url],
        ['--token', options.token],
        ['--out', options.out],
      ] as const) {
        if (value !== undefined) args.push(flag, value);
      }
      if (!(await auditCommand(args))) process.exitCode = EXIT.checkFailed;
    });
  audit
    .command('check-proof')
    .description('Verify a proof file offline; exit 1 naming any failure')
    .argument('<file>', 'the file audit prove wrote')
    .option('--public-key <file>', 'the trusted public key (JWK); default: the one in the file')
    .action(async (file: string, options: { publicKey?: string }) => {
      const args = ['check-proof', file, ...(options.publicKey ? ['--public-key', options.publicKey] : [])];
      if (!(await auditCommand(args))) process.exitCode = EXIT.checkFailed;
    });

  return redress;
}

/** Runs the program on `argv` (without node and the script) and settles on the exit code. */
export async function run(argv: readonly string[], output: CliOutput = STANDARD_OUTPUT): Promise<number> {
  try {
    await program(output).parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    // Commander has printed its own message (or the help, or the version).
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const usage = [UsageError, ImportUsageError, TokenUsageError, AuditUsageError].some((type) => error instanceof type);
    output.writeErr(`${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
    return usage ? EXIT.usage : EXIT.checkFailed;
  }
}

if (require.main === module) {
  // A server (serve, demo --serve) keeps running after its action, other commands end when their stores are closed;
  // a failure ends the process at once, whatever it left open.
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
    if (code !== EXIT.ok) process.exit(code);
  });
}
