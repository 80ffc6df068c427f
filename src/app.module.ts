import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuditModule } from './audit/public';
import { ComplaintsModule } from './complaints/public';
import { CustomersModule } from './customers/public';
import { LoyaltyModule } from './loyalty/public';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { CLOCK, Clock, systemClock } from './core/clock';
import { CORE_SETTINGS } from './core/settings';
import { EventStoreModule } from './core/event-store/event-store.module';
import { ProjectionsModule } from './core/projections/projections.module';
import { EVENT_UPCASTERS, REDRESS_STREAM_PREFIXES } from './event-schemas';
import { openTextWith, readModels } from './read-models';
import { ProblemDetailsFilter } from './core/http/problem-details';
import { HealthController } from './core/http/health.controller';
import { CommandsModule } from './core/commands/commands.module';
import { IdentityModule } from './identity/public';
import { PERSONAL_FIELDS } from './personal-fields';
import { PersonalDataProtection, PrivacyModule } from './privacy/public';
import { PagesModule } from './pages/pages.module';

export interface AppOptions {
  readonly config: AppConfig;
  readonly clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot({ config, clock = systemClock }: AppOptions): DynamicModule {
    // Personal fields are sealed on their way into the log, and opened on their way out of the API.
    const personalData = PersonalDataProtection.open(config, PERSONAL_FIELDS);
    return {
      module: AppModule,
      global: true,
      imports: [
        EventStoreModule.forRoot({
          catalogue: EVENT_UPCASTERS,
          streamPrefixes: REDRESS_STREAM_PREFIXES,
          sealOnAppend: (raw) => personalData.sealing(raw),
        }),
        PrivacyModule.forRoot(personalData),
        ProjectionsModule.forRoot(readModels(openTextWith(personalData))),
        CommandsModule,
        IdentityModule,
        ComplaintsModule,
        CustomersModule,
        LoyaltyModule,
        AuditModule,
        PagesModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CORE_SETTINGS, useValue: config },
        { provide: CLOCK, useValue: clock },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
      exports: [APP_CONFIG, CORE_SETTINGS, CLOCK],
    };
  }
}
