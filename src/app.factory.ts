import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule, AppOptions } from './app.module';
import { createValidationPipe } from './core/http/validation';

/** Builds the HTTP application; `main.ts` listens on it, the end-to-end tests too. */
export async function createApp(options: AppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: options.config.bodyLimitBytes });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    logger: loggerLevels(options.config.logLevel),
  });
  // Commands take JSON only: without its text/plain parser Fastify answers other bodies with 415.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
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
