import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { READ_STORE, type ReadStore } from '../read-store/read-store';
import { CORE_SETTINGS, type CoreSettings } from '../settings';
import { ExecuteStreamCommandHandler } from './execute-stream-command';
import { IDEMPOTENCY_KEYS, IdempotencyKeys, type IdempotencyKeyTables } from './idempotency-keys';

/** The command bus and its one handler, for every stream kind; and the Idempotency-Keys HTTP commands are bound by. */
@Global()
@Module({
  imports: [CqrsModule],
  providers: [
    ExecuteStreamCommandHandler,
    {
      provide: IDEMPOTENCY_KEYS,
      inject: [READ_STORE, CORE_SETTINGS],
      useFactory: (store: ReadStore<IdempotencyKeyTables>, settings: CoreSettings) =>
        new IdempotencyKeys(store, settings.idempotencyRetentionMs),
    },
  ],
  exports: [CqrsModule, IDEMPOTENCY_KEYS],
})
export class CommandsModule {}
