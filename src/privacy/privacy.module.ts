import { DynamicModule, Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ErasureFollowUps } from './erasure-follow-ups';
import { PersonalDataKeys } from './key-store';
import { PersonalDataProtection } from './personal-data';

/**
 * Customers' personal data, sealed where events are written (the event-store decorator the composition hands to
 * EventStoreModule) and opened where the API answers (openPersonalDataInAnswers; streaming routes open their events
 * with PersonalDataProtection). PersonalDataKeys is the key store, for erasure; ErasureFollowUps what else an erasure removes.
 */
@Global()
@Module({})
export class PrivacyModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(PersonalDataProtection) private readonly protection: PersonalDataProtection) {}

  static forRoot(protection: PersonalDataProtection): DynamicModule {
    return {
      module: PrivacyModule,
      providers: [
        { provide: PersonalDataProtection, useValue: protection },
        { provide: PersonalDataKeys, useValue: protection.keys },
        ErasureFollowUps,
      ],
      exports: [PersonalDataProtection, PersonalDataKeys, ErasureFollowUps],
    };
  }

  onModuleInit(): void {
    this.protection.logMasterKeyMade();
  }

  onApplicationShutdown(): void {
    this.protection.close();
  }
}
