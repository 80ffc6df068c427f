import { Inject, Optional } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, CommandResult, handleCommand } from '../command-handling';
import type { DomainCommand, DomainEvent } from '../decider';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { eventStoreOfKind } from '../event-store/upcasting-event-store';
import type { StreamKind } from './stream-kind';
import { ATTR_CORRELATION_ID, inSpan } from '../tracing';
import { commandOutcomeOf, CORE_OBSERVER, secondsSince, UNOBSERVED, type CoreObserver } from '../observer';

/** Every command of every stream kind travels the bus as this one message. */
export class ExecuteStreamCommand<C extends DomainCommand, E extends DomainEvent, S> extends Command<CommandResult<E>> {
  constructor(
    readonly kind: StreamKind<C, E, S>,
    readonly id: string,
    readonly command: C,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** The one handler: the generic command path on the stream the message names. */
@CommandHandler(ExecuteStreamCommand)
export class ExecuteStreamCommandHandler implements ICommandHandler<ExecuteStreamCommand<DomainCommand, DomainEvent, unknown>> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(CORE_OBSERVER) private readonly observer: CoreObserver = UNOBSERVED,
  ) {}

  async execute<C extends DomainCommand, E extends DomainEvent, S>({
    kind,
    id,
    command,
    context,
  }: ExecuteStreamCommand<C, E, S>): Promise<CommandResult<E>> {
    const attributes = () => ({
      'redress.command.type': command.type,
      'redress.stream': kind.streamName(id),
      [ATTR_CORRELATION_ID]: context.correlationId,
    });
    return inSpan(`command ${command.type}`, attributes, async (span) => {
      const startedAt = process.hrtime.bigint();
      try {
        const result = await executeStreamCommand(this.store, kind, id, command, context);
        const outcome = result.replayed ? 'replayed' : 'committed';
        span.setAttribute('redress.command.outcome', outcome);
        this.observer.commandHandled(command.type, outcome, secondsSince(startedAt));
        return result;
      } catch (error) {
        span.setAttribute('redress.command.outcome', commandOutcomeOf(error));
        this.observer.commandHandled(command.type, commandOutcomeOf(error), secondsSince(startedAt));
        throw error;
      }
    });
  }
}

/** The generic command path on one stream of a kind, for callers off the bus (the CLI, tests). */
export async function executeStreamCommand<C extends DomainCommand, E extends DomainEvent, S>(
  store: EventStore,
  kind: StreamKind<C, E, S>,
  id: string,
  command: C,
  context: CommandContext,
): Promise<CommandResult<E>> {
  const result = await handleCommand(eventStoreOfKind(store, kind.events), kind.decider, kind.streamName(id), command, context);
  if (result.replayed) kind.verifyReplay?.(result, command);
  return result;
}
