import fastifyMultipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { AppModule, AppOptions } from './app.module';
import type { AppConfig } from './config/app-config';
import { parseJsonBody } from './core/http/json-body';
import { declareCorrelationId } from './core/http/openapi-shapes';
import { PROBLEM_CONTENT_TYPE, problemTypePath, sendProblem } from './core/http/problem-details';
import { createValidationPipe } from './core/http/validation';
import { boundRequestBodies } from './core/http/request-bounds';
import { addSecurityHeaders } from './core/http/security-headers';
import { API_ROLES, BEARER_SCHEME, RequestAuthentication, secureDocument } from './identity/public';
import { createRootLogger, nestLoggerOver } from './observability/logging';
import { CORRELATION_HEADER, fastifyLogging, installRequestLogging } from './observability/request-logging';
import { PERSONAL_FIELDS } from './personal-fields';
import { openPersonalDataInAnswers, PersonalDataProtection } from './privacy/public';
import { RedressMetrics } from './observability/metrics';

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
const CORS_EXPOSED_HEADERS = ['ETag', 'Location', 'Retry-After', 'X-Correlation-Id', 'Idempotency-Key', 'Idempotent-Replayed', 'Link'];

/** Builds the HTTP application; `main.ts` listens on it, the end-to-end tests too. */
export async function createApp(options: AppOptions): Promise<NestFastifyApplication> {
  const { config } = options;
  const root = createRootLogger({
    level: config.logLevel,
    format: config.logFormat,
    personalFields: PERSONAL_FIELDS,
    destination: options.logDestination,
    production: config.ledger.production,
  });
  // Before the module is composed: what it logs while opening its stores is a JSON line too.
  const logger = nestLoggerOver(root);
  Logger.overrideLogger(logger);
  const adapter = new FastifyAdapter({
    ...fastifyLogging(root),
    bodyLimit: config.bodyLimitBytes,
    // Node refuses a request head larger than this with 431, and one slower than headersTimeout with 408, before any of Redress runs.
    http: {
      maxHeaderSize: config.maxHeaderBytes,
      headersTimeout: config.requestBounds.headersTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, config.requestBounds.headersTimeoutMs),
    },
    // A socket silent both ways this long is closed; idle keep-alive connections sooner. Bodies: boundRequestBodies.
    connectionTimeout: config.requestBounds.connectionTimeoutMs,
    keepAliveTimeout: config.requestBounds.keepAliveTimeoutMs,
    clientErrorHandler: (error, socket) => answerClientError(error, socket, config),
    // Ids may be up to 128 characters; Fastify's default refuses path parameters over 100.
    routerOptions: { maxParamLength: 1024 },
    // Errors Fastify raises before routing (a malformed URL) are problems too.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      void reply.header(CORRELATION_HEADER, request.id);
      sendProblem(new HttpException(error.message, error.statusCode ?? 400), request, reply, config.publicBaseUrl);
    },
  });
  const metrics = options.metrics ?? new RedressMetrics();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ ...options, metrics }), adapter, {
    logger,
    bodyParser: false,
  });
  installRequestLogging(app.getHttpAdapter().getInstance());
  metrics.installHttpMetrics(app.getHttpAdapter().getInstance());
  openPersonalDataInAnswers(app.getHttpAdapter().getInstance(), app.get(PersonalDataProtection));
  // Before any route exists, so their hooks reach every route (rate-limit attaches on onRoute).
  await harden(app, config);
  // JSON is the only body the API takes: any other content type is answered with 415.
  const fastify = app.getHttpAdapter().getInstance();
  boundRequestBodies(fastify, config.requestBounds);
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
  setUpOpenApi(app, config);
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
  addSecurityHeaders(app.getHttpAdapter().getInstance(), {
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
  const body = JSON.stringify({ type: `${config.publicBaseUrl}${problemTypePath(code)}`, title, status, detail });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** The OpenAPI document of the application, as `/docs-json` serves it and `npm run openapi` writes it. */
export function openApiDocument(app: NestFastifyApplication, config: AppConfig): OpenAPIObject {
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
      .setLicense('UNLICENSED (proprietary)', 'https://spdx.org/licenses/')
      .addServer(config.publicBaseUrl, 'This service (PUBLIC_BASE_URL)')
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: `A token with \`sub\` (the actor) and \`role\` (${API_ROLES.join(', ')})`,
        },
        BEARER_SCHEME,
      )
      .build(),
  );
  return declareCorrelationId(declareTags(secureDocument(document)));
}

function setUpOpenApi(app: NestFastifyApplication, config: AppConfig): void {
  SwaggerModule.setup('docs', app, openApiDocument(app, config), { jsonDocumentUrl: 'docs-json' });
}

/** What each group of operations is for; a tag with no line here is still declared, in order of first use. */
const TAG_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'case commands': 'Commands on complaint cases: each appends events to the case stream and answers its revision (ETag) and position',
  cases: 'Reading cases: the case view, lists, raw events and live updates',
  customers: "Reading customers: a customer's complaints and how each ended",
  'customer commands': 'Commands on customer streams: purchases, referrals, churn, erasure, bulk imports',
  analytics: 'Loyalty outcomes, systemic issues and deadline reports from the loyalty read model',
  audit: 'History, time travel, hash-chain verification and the signed Merkle ledger',
  operations: 'Health and projections',
  pages: 'The browser pages (HTML)',
  problems: 'What each problem `type` means',
};

/** Declares every tag the operations use at the top of the document, so generators and linters see them. */
function declareTags(document: OpenAPIObject): OpenAPIObject {
  const used = new Set<string>();
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      if (operation && typeof operation === 'object' && 'tags' in operation) for (const tag of operation.tags ?? []) used.add(tag);
    }
  }
  document.tags = [...used].sort().map((name) => ({ name, ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}) }));
  return document;
}
