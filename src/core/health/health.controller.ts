import { Controller, Get, Inject, Logger, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { brokenChainsSeen } from '../command-handling';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { ApiInteger, RETRY_AFTER_HEADER } from '../http/openapi-shapes';
import { Public } from '../http/public-route';
import { ProjectionsService } from '../projections/projections.service';
import { READ_STORE, ReadStore, pingReadStore } from '../read-store/read-store';
import { CORE_SETTINGS, type CoreSettings } from '../settings';
import { timedOut, withinTimeout } from './within-timeout';

/** Seconds a prober (load balancer, orchestrator) is asked to wait before asking again after a 503. */
const RETRY_AFTER_SECONDS = 5;

class BrokenChainDto {
  @ApiProperty({ description: 'The stream whose hash chain is broken', example: 'complaint-case-1' }) stream!: string;
  @ApiInteger({ minimum: 0, description: 'The first revision at which its chain breaks', example: 2 }) revision!: number;
  @ApiProperty({ description: 'Why it does not verify there', example: 'revision 2 is missing' }) reason!: string;
}

class HealthCheckDto {
  @ApiProperty({ enum: ['ok', 'degraded', 'error'], description: '`degraded`: serving, with streams whose hash chain is broken' })
  status!: string;
  @ApiPropertyOptional({ description: 'The checks that passed, by name (eventStore, readStore, projections, chains)' })
  info?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'The checks that failed, by name, with why' }) error?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Every check, by name' }) details?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'With 503: the names of the failing checks', example: ['readStore'] }) failing?: string[];
  @ApiPropertyOptional({
    type: [BrokenChainDto],
    description: 'Streams whose hash chain is broken: their commands are refused with 503 broken-chain',
  })
  brokenChains?: BrokenChainDto[];
}

/**
 * Liveness and readiness, through @nestjs/terminus. Live: the process answers (restart it if not). Ready:
 * the event store and the read store each answer within HEALTH_TIMEOUT_MS, and every projection is
 * running with a lag under HEALTH_MAX_LAG_SECONDS (route traffic elsewhere if not). `/health` is
 * readiness, so existing probes of it keep their meaning and gain the dependencies.
 */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');
  private lastFailing = '';

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore<unknown>,
    private readonly projections: ProjectionsService,
    @Inject(CORE_SETTINGS) private readonly settings: CoreSettings,
  ) {}

  @Get('live')
  @ApiOperation({ operationId: 'healthLive', summary: 'Liveness: 200 while the process answers; depends on nothing else' })
  @ApiOkResponse({ type: HealthCheckDto })
  live(): HealthCheckResult {
    return { status: 'ok', info: { process: { status: 'up' } }, error: {}, details: { process: { status: 'up' } } };
  }

  @Get('ready')
  @ApiOperation({
    operationId: 'healthReady',
    summary: 'Readiness: the event store and read store answer in time, and every projection keeps up',
    description:
      '503 (with Retry-After) names the failing checks in `failing` and says why under `error`; `degraded` (200) lists streams with a broken hash chain.',
  })
  @ApiOkResponse({ type: HealthCheckDto })
  @ApiResponse({
    status: 503,
    description: 'Not ready: `failing` names the checks; ask again after Retry-After seconds',
    type: HealthCheckDto,
    headers: RETRY_AFTER_HEADER,
  })
  ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckDto> {
    return this.readiness(reply);
  }

  @Get()
  @ApiOperation({ operationId: 'health', summary: 'Same as /health/ready (kept for existing probes)' })
  @ApiOkResponse({ type: HealthCheckDto })
  @ApiResponse({
    status: 503,
    description: 'Not ready: `failing` names the checks; ask again after Retry-After seconds',
    type: HealthCheckDto,
    headers: RETRY_AFTER_HEADER,
  })
  check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckDto> {
    return this.readiness(reply);
  }

  private async readiness(reply: FastifyReply): Promise<HealthCheckDto> {
    void reply.header('cache-control', 'no-store');
    let result: HealthCheckResult;
    try {
      result = await this.health.check([
        () => this.eventStoreCheck(),
        () => this.readStoreCheck(),
        () => this.projectionsCheck(),
        () => this.chainsCheck(),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      result = error.getResponse() as HealthCheckResult;
      void reply.status(503).header('retry-after', String(RETRY_AFTER_SECONDS));
    }
    const failing = Object.keys(result.error ?? {});
    this.noteChange(failing, result);
    const brokenChains = brokenChainsSeen();
    return { ...result, ...(failing.length > 0 ? { failing } : {}), ...(brokenChains.length > 0 ? { brokenChains } : {}) };
  }

  /** Logged when readiness changes, not on every probe. */
  private noteChange(failing: string[], result: HealthCheckResult): void {
    const key = failing.join(',');
    if (key === this.lastFailing) return;
    if (failing.length > 0) this.logger.warn(`not ready: ${failing.map((name) => `${name} (${reason(result.error?.[name])})`).join('; ')}`);
    else this.logger.log('ready again');
    this.lastFailing = key;
  }

  private async eventStoreCheck(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('eventStore');
    try {
      const headPosition = await withinTimeout(this.eventStore.headPosition(), this.settings.health.timeoutMs);
      const subscription = this.eventStore.subscriptionStatus?.();
      return check.up({ headPosition, ...(subscription ? { subscription: subscription.state } : {}) });
    } catch (error) {
      return check.down({ message: message(error) });
    }
  }

  private async readStoreCheck(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('readStore');
    try {
      await withinTimeout(pingReadStore(this.readStore), this.settings.health.timeoutMs);
      return check.up({ dialect: this.readStore.dialect });
    } catch (error) {
      return check.down({ dialect: this.readStore.dialect, message: message(error) });
    }
  }

  private async projectionsCheck(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('projections');
    const maxLagSeconds = this.settings.health.maxLagSeconds;
    try {
      const statuses = await withinTimeout(this.projections.statuses(), this.settings.health.timeoutMs);
      const summary = Object.fromEntries(
        statuses.map((status) => [
          status.name,
          { state: status.state, lag: status.lag, ...(status.lastError ? { lastError: status.lastError, since: status.since } : {}) },
        ]),
      );
      const behind = statuses
        .filter((status) => status.state === 'failed' || status.state === 'stopped' || status.lag.seconds > maxLagSeconds)
        .map(
          (status) =>
            `${status.name} ${status.state === 'failed' || status.state === 'stopped' ? status.state : `lags ${Math.round(status.lag.seconds)} s`}`,
        );
      if (behind.length === 0) return check.up({ maxLagSeconds, projections: summary });
      return check.down({ message: `${behind.join(', ')} (bound ${maxLagSeconds} s)`, maxLagSeconds, projections: summary });
    } catch (error) {
      return check.down({ message: message(error) });
    }
  }

  private chainsCheck(): HealthIndicatorResult {
    const check = this.indicators.check('chains');
    const broken = brokenChainsSeen();
    return broken.length === 0 ? check.up() : check.degraded({ brokenChains: broken.length });
  }
}

function message(error: unknown): string {
  if (timedOut(error)) return error.message;
  return error instanceof Error ? error.message || error.name : String(error);
}

function reason(detail: unknown): string {
  const text = (detail as { message?: unknown } | undefined)?.message;
  return typeof text === 'string' ? text : 'down';
}
