import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, CommandResult, handleCommand } from '../../../core/command-handling';
import { Decider } from '../../../core/decider';
import { EVENT_STORE, EventStore } from '../../../core/event-store/event-store.port';
import { ComplaintCommand } from '../../domain/complaint.commands';
import { complaintStreamName } from '../../domain/complaint.decider';
import { ComplaintEvent } from '../../domain/complaint.events';
import { ComplaintState } from '../../domain/complaint.state';

export const COMPLAINT_DECIDER = Symbol('ComplaintDecider');
export type ComplaintDecider = Decider<ComplaintCommand, ComplaintEvent, ComplaintState>;

/** Every complaint-case command travels the bus as this one message. */
export class ExecuteCaseCommand extends Command<CommandResult<ComplaintEvent>> {
  constructor(readonly caseId: string, readonly command: ComplaintCommand, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(ExecuteCaseCommand)
export class ExecuteCaseCommandHandler implements ICommandHandler<ExecuteCaseCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(COMPLAINT_DECIDER) private readonly decider: ComplaintDecider,
  ) {}

  execute({ caseId, command, context }: ExecuteCaseCommand): Promise<CommandResult<ComplaintEvent>> {
    return handleCommand(this.store, this.decider, complaintStreamName(caseId), command, context);
  }
}
