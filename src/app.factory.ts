import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { HttpException } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppModule, AppOptions } from './app.module';
import { parseJsonBody } from './core/http/json-body';
import { sendProblem } from './core/http/problem-details';
import { createValidationPipe } from './core/http/validation';

/** Builds the HTTP application; `main.ts` listens on it, the end-to-end tests too. */
export async function createApp(options: AppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.config.bodyLimitBytes,
    // Ids may be up to 128 characters; Fastify's default refuses path parameters over 100.
    routerOptions: { maxParamLength: 1024 },
    // Errors Fastify raises before routing (a malformed URL) are problems too.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => sendProblem(new HttpException(error.message, error.statusCode ?? 400), request, reply),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    logger: loggerLevels(options.config.logLevel),
    bodyParser: false,
  });
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
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  setUpOpenApi(app);
  return app;
}

function setUpOpenApi(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('Redress')
    .setDescription('Event-sourced complaint handling and service recovery. Errors are RFC 9457 application/problem+json.')
    .setVersion('1')
    .build());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

const LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
function loggerLevels(level: (typeof LEVELS)[number]) {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}
