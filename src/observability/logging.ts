/*
 * The process's one logger, for the service and the CLI alike; what only HTTP requests need (their lines, the
 * correlation id) is in request-logging.ts, so that the CLI does not load Fastify.
 */

import { LoggerService } from '@nestjs/common';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
// Not re-exported by nestjs-pino's index: the store its loggers read the request's logger from.
import { storage } from 'nestjs-pino/storage';
import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/app-config';
import type { PersonalFieldRegistry } from '../kernel/personal-data';

const REDACTED = '[redacted]';

/** Secrets, wherever a log call might carry them: headers of a logged request, token and key fields. */
const SECRET_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.password',
  '*.masterKey',
  'token',
  'secret',
  'password',
];

/**
 * Redaction paths for the personal fields events carry (`contact.email`, `summary`, …): at the top of a
 * logged object, in an event's `data`, or one level down (`{ event: { data: … } }`, `{ body: … }`).
 */
export function redactPaths(personalFields: PersonalFieldRegistry): string[] {
  const fields = [...new Set(Object.values(personalFields).flat())];
  const personal = fields.flatMap((field) => [field, `data.${field}`, `*.${field}`, `*.data.${field}`]);
  return [...SECRET_PATHS, ...personal];
}

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly format: 'json' | 'pretty' | 'auto';
  readonly personalFields: PersonalFieldRegistry;
  /** Where lines go; default process.stdout (a test passes its own to read them). */
  readonly destination?: DestinationStream;
  readonly production?: boolean;
}

/** The one pino logger of the process: Fastify's, Nest's (through nestjs-pino) and every `new Logger(context)`'s. */
export function createRootLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? prettyOnTerminal(options) ?? process.stdout;
  return pino(
    {
      level: options.level,
      base: { service: 'redress', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths(options.personalFields), censor: REDACTED },
      serializers: { err: pino.stdSerializers.err },
      mixin: traceOfLine,
    },
    destination,
  );
}

/** With tracing on, each line names the trace and span it was written in, so logs and traces meet. */
function traceOfLine(): object {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return {};
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

/** pino-pretty (a development dependency) for a person at a terminal; never in production, never when piped. */
function prettyOnTerminal({ format, production }: LoggerOptions): DestinationStream | undefined {
  const wanted = format === 'pretty' || (format === 'auto' && !production && process.stdout.isTTY === true);
  if (!wanted) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as (options: object) => DestinationStream;
    return pretty({ colorize: true, translateTime: 'SYS:standard', ignore: 'pid,hostname,service' });
  } catch {
    return undefined;
  }
}

/** nestjs-pino's PinoLogger, bound to this application's root logger rather than the first one the process made. */
class AppPinoLogger extends PinoLogger {
  constructor(private readonly root: Logger) {
    super({ pinoHttp: { logger: root } });
  }

  override get logger(): Logger {
    return storage.getStore()?.logger ?? this.root;
  }
}

/** Nest's LoggerService over the root logger: `new Logger('Projections').warn(…)` becomes a JSON line with `context`. */
export function nestLoggerOver(root: Logger): LoggerService {
  return new NestPinoLogger(new AppPinoLogger(root), {});
}
