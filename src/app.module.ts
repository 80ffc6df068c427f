import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuditModule } from './audit/audit.module';
import { ComplaintsModule } from './complaints/complaints.module';
import { CustomersModule } from './customers/customers.module';
import { LoyaltyModule } from './loyalty/loyalty.module';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { CLOCK, Clock, systemClock } from './core/clock';
import { EventStoreModule } from './core/event-store/event-store.module';
import { ProjectionsModule } from './core/projections/projections.module';
import { EVENT_UPCASTERS } from './event-schemas';
import { READ_MODELS } from './read-models';
import { ProblemDetailsFilter } from './core/http/problem-details';
import { HealthController } from './core/http/health.controller';

export interface AppOptions {
  readonly config: AppConfig;
  readonly clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot({ config, clock = systemClock }: AppOptions): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        EventStoreModule.forRoot({ upcasters: EVENT_UPCASTERS }),
        ProjectionsModule.forRoot(READ_MODELS),
        ComplaintsModule,
        CustomersModule,
        LoyaltyModule,
        AuditModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
      exports: [APP_CONFIG, CLOCK],
    };
  }
}
