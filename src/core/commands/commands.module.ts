import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ExecuteStreamCommandHandler } from './execute-stream-command';

/** The command bus and its one handler, for every stream kind. */
@Global()
@Module({
  imports: [CqrsModule],
  providers: [ExecuteStreamCommandHandler],
  exports: [CqrsModule],
})
export class CommandsModule {}
