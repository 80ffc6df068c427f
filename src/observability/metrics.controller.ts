import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../identity/public';
import { RedressMetrics } from './metrics';

/** Prometheus' scrape endpoint: a monitor's (or admin's) token, per the role matrix. */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: RedressMetrics) {}

  @Get()
  @ApiOperation({
    operationId: 'getMetrics',
    summary: 'Prometheus metrics: HTTP, commands, event-store appends, projection lag, read-your-writes waits, live streams, process',
    description: 'Open without a token when the service runs with METRICS_PUBLIC=true (a scrape on a private network).',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The Prometheus text exposition format, version 0.0.4', schema: { type: 'string' } })
  async metricsText(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const { contentType, text } = await this.metrics.scrape();
    void reply.header('content-type', contentType);
    return text;
  }
}

/** The same endpoint, open to anyone: chosen by METRICS_PUBLIC=true. */
@Public()
@Controller('metrics')
export class PublicMetricsController extends MetricsController {}
