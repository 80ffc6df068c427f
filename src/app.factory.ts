import fastifyMultipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { HttpException, HttpStatus } from '@nestjs/common';
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { AppModule, AppOptions } from './app.module';
import type { AppConfig } from './config/app-config';
import { parseJsonBody } from './core/http/json-body';
import { PROBLEM_CONTENT_TYPE, sendProblem } from './core/http/problem-details';
import { createValidationPipe } from './core/http/validation';
import { BEARER_SCHEME, RequestAuthentication, secureDocument } from './identity/public';

/** Headers a browser client may send, and those it may read, across origins. */
const CORS_REQUEST_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'If-Match',
  'If-None-Match',
  'X-Correlation-Id',
  'X-Min-Position',
];
const CORS_EXPOSED_HEADERS = ['ETag', 'Location', 'Retry-After', 'X-Correlation-Id', 'Idempotent-Replayed'];

/** Builds the HTTP application; `main.ts` listens on it, the end-to-end tests too. */
export async function createApp(options: AppOptions): Promise<NestFastifyApplication> {
  const { config } = options;
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // Node refuses a request head larger than this with 431, before any of Redress runs.
    http: { maxHeaderSize: config.maxHeaderBytes },
    clientErrorHandler: (error, socket) => answerClientError(error, socket, config),
    // Ids may be up to 128 characters; Fastify's default refuses path parameters over 100.
    routerOptions: { maxParamLength: 1024 },
    // Errors Fastify raises before routing (a malformed URL) are problems too.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) =>
      sendProblem(new HttpException(error.message, error.statusCode ?? 400), request, reply),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    logger: loggerLevels(config.logLevel),
    bodyParser: false,
  });
  // Before any route exists, so their hooks reach every route (rate-limit attaches on onRoute).
  await harden(app, config);
  // JSON is the only body the API takes: any other content type is answered with 415.
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  // Attachments only (the route keeps multipart to itself): streamed, never buffered; limits are set per upload.
  await app.register(fastifyMultipart, { throwFileSizeLimit: true });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  setUpOpenApi(app);
  return app;
}

/**
 * Browser access and abuse limits, in the order a request meets them (all onRequest, before the
 * AuthGuard): CORS answers preflights (which carry no token) at once; helmet sets the security
 * headers; the rate limiter counts per token subject, else per client address.
 */
async function harden(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const allowed = new Set(config.corsOrigins);
  await app.register(fastifyCors, {
    // Only listed origins get Access-Control-Allow-Origin; others are answered without it (the browser refuses).
    origin: (origin, done) => done(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_REQUEST_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
    strictPreflight: true,
  });
  await app.register(fastifyHelmet, {
    // Swagger UI at /docs is served from 'self' (its bundle, preset and init script); its page has inline styles.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
      },
    },
    xFrameOptions: { action: 'deny' },
    // The API is served over plain HTTP on loopback by default; TLS, and so HSTS, are the proxy's.
    strictTransportSecurity: false,
  });
  const authentication = app.get(RequestAuthentication);
  await app.register(fastifyRateLimit, {
    max: config.rateLimit.max,
    timeWindow: config.rateLimit.windowMs,
    // A verified token's subject (shared with the guard: verified once per request), else the address.
    keyGenerator: async (request) => {
      const result = await authentication.of(request).catch(() => undefined);
      return result?.outcome === 'authenticated' ? `sub:${result.actor.id}` : `ip:${request.ip}`;
    },
    allowList: (request) => request.url === '/health' || request.url.startsWith('/health/') || request.url.startsWith('/health?'),
    // Thrown, so Nest's error handler and the ProblemDetailsFilter answer it as a 429 problem; Retry-After is already set.
    errorResponseBuilder: (_request, context) =>
      new HttpException(
        `Too many requests: at most ${context.max} per ${context.after}; retry after the number of seconds in Retry-After.`,
        HttpStatus.TOO_MANY_REQUESTS,
      ),
  });
}

/** Errors Node's HTTP parser meets before Fastify sees a request (a head too large, a timeout): problems too. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket, config: AppConfig): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers-too-large', `The request's headers exceed ${config.maxHeaderBytes} bytes.`]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request-timeout', 'The request did not arrive in time.']
        : [400, 'malformed-request', 'The request is not valid HTTP.'];
  const title = STATUS_CODES[status] ?? 'Client error';
  const body = JSON.stringify({ type: `/problems/${code}`, title, status, detail });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

function setUpOpenApi(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Redress')
      .setDescription(
        'Event-sourced complaint handling and service recovery. Errors are RFC 9457 application/problem+json. ' +
          'Every operation but the public ones needs `Authorization: Bearer <JWT>` (claims `sub`, `role`, `exp`); ' +
          'each lists the roles it admits under `x-roles`.',
      )
      .setVersion('1')
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A token with `sub` (the actor) and `role` (agent, supervisor, auditor, analyst, admin)',
        },
        BEARER_SCHEME,
      )
      .build(),
  );
  SwaggerModule.setup('docs', app, secureDocument(document), { jsonDocumentUrl: 'docs-json' });
}

const LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
function loggerLevels(level: (typeof LEVELS)[number]) {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}
