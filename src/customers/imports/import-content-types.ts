import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { IMPORT_PURCHASES_PATH } from './import-purchases.controller';

const STREAMED_TYPES = [
  'text/csv',
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
  'application/jsonlines',
];

/**
 * Lets the import route read CSV and NDJSON bodies as streams (no buffering, no body limit). Every other
 * route refuses these types with 415 exactly as before, when no parser knew them. Registered at module
 * init, after `createApp` has reset the parsers to JSON only.
 */
@Injectable()
export class ImportContentTypes implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || typeof fastify.addContentTypeParser !== 'function') return;
    for (const type of STREAMED_TYPES) {
      if (fastify.hasContentTypeParser(type)) continue;
      fastify.addContentTypeParser(type, (request, payload, done) => {
        if (request.routeOptions.url === IMPORT_PURCHASES_PATH) {
          done(null, payload);
          return;
        }
        // Shaped like Fastify's own error, which Nest maps to an HttpException and the problem filter to 415.
        const error = Object.assign(new Error(`Unsupported Media Type: ${type}`), {
          name: 'FastifyError',
          statusCode: 415,
          code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
        });
        done(error, undefined);
      });
    }
  }
}
