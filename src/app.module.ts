import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuditModule } from './audit/public';
import { COMPLAINT_RULES, ComplaintsModule } from './complaints/public';
import { CUSTOMER_RULES, CustomersModule } from './customers/public';
import { LoyaltyModule } from './loyalty/public';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { CLOCK, Clock, systemClock } from './core/clock';
import { CORE_SETTINGS } from './core/settings';
import { EventStoreModule } from './core/event-store/event-store.module';
import { ProjectionsModule } from './core/projections/projections.module';
import { EVENT_UPCASTERS, REDRESS_STREAM_PREFIXES } from './event-schemas';
import { openTextWith, readModels } from './read-models';
import { ProblemDetailsFilter } from './core/http/problem-details';
import { HealthModule } from './core/health/health.module';
import { PROBLEM_RULES, ProblemsController } from './core/http/problems.controller';
import { CommandsModule } from './core/commands/commands.module';
import { IdentityModule } from './identity/public';
import { PERSONAL_FIELDS } from './personal-fields';
import { PersonalDataProtection, PrivacyModule } from './privacy/public';
import { PagesModule } from './pages/pages.module';
import type { DestinationStream } from 'pino';
import { observeAppends } from './core/observer';
import { tracedProjection } from './core/tracing';
import { RedressMetrics } from './observability/metrics';
import { ObservabilityModule } from './observability/observability.module';

export interface AppOptions {
  readonly config: AppConfig;
  readonly clock?: Clock;
  /** Where log lines go; default stdout (tests read them from here). */
  readonly logDestination?: DestinationStream;
  /** The application's metrics; made here unless given. */
  readonly metrics?: RedressMetrics;
}

/** Each projection's batches as spans of the trace that appended them (a no-op unless tracing is on). */
function traced(models: ReturnType<typeof readModels>): ReturnType<typeof readModels> {
  return { ...models, projections: models.projections.map(tracedProjection) };
}

@Module({})
export class AppModule {
  static forRoot({ config, clock = systemClock, metrics = new RedressMetrics() }: AppOptions): DynamicModule {
    // Personal fields are sealed on their way into the log, and opened on their way out of the API.
    const personalData = PersonalDataProtection.open(config, PERSONAL_FIELDS);
    return {
      module: AppModule,
      global: true,
      imports: [
        EventStoreModule.forRoot({
          catalogue: EVENT_UPCASTERS,
          streamPrefixes: REDRESS_STREAM_PREFIXES,
          sealOnAppend: (raw) => personalData.sealing(observeAppends(raw, metrics)),
        }),
        PrivacyModule.forRoot(personalData),
        ProjectionsModule.forRoot(traced(readModels(openTextWith(personalData)))),
        CommandsModule,
        IdentityModule,
        ComplaintsModule,
        CustomersModule,
        LoyaltyModule,
        AuditModule,
        PagesModule,
        ObservabilityModule.forRoot(metrics, { metricsPublic: config.metricsPublic }),
        HealthModule,
      ],
      controllers: [ProblemsController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CORE_SETTINGS, useValue: config },
        { provide: CLOCK, useValue: clock },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        // Every rule a command may be refused with, so each problem `type` dereferences to the rule in words.
        { provide: PROBLEM_RULES, useValue: { ...COMPLAINT_RULES, ...CUSTOMER_RULES } },
      ],
      exports: [APP_CONFIG, CORE_SETTINGS, CLOCK],
    };
  }
}
