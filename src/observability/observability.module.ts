import { DynamicModule, Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { CORE_OBSERVER } from '../core/observer';
import { flushTraces } from '../core/tracing';
import { ProjectionsService } from '../core/projections/projections.service';
import { MetricsController, PublicMetricsController } from './metrics.controller';
import { RedressMetrics } from './metrics';

/** Metrics (and what reports to them): the application's RedressMetrics is also the framework's CoreObserver. */
@Global()
@Module({})
export class ObservabilityModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(RedressMetrics) private readonly metrics: RedressMetrics,
    @Inject(ProjectionsService) private readonly projections: ProjectionsService,
  ) {}

  static forRoot(metrics: RedressMetrics, options: { readonly metricsPublic: boolean }): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [options.metricsPublic ? PublicMetricsController : MetricsController],
      providers: [
        { provide: RedressMetrics, useValue: metrics },
        { provide: CORE_OBSERVER, useValue: metrics },
      ],
      exports: [RedressMetrics, CORE_OBSERVER],
    };
  }

  onModuleInit(): void {
    this.metrics.watchProjections(() => this.projections.statuses());
  }

  /** The last spans leave before the process does. */
  onApplicationShutdown(): Promise<void> {
    return flushTraces();
  }
}
