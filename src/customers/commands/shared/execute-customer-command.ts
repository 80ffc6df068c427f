import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, CommandResult, handleCommand } from '../../../core/command-handling';
import { EVENT_STORE, EventStore } from '../../../core/event-store/event-store.port';
import type { CustomerCommand } from '../../domain/customer.commands';
import { customerDecider, customerStreamName, samePurchase } from '../../domain/customer.decider';
import type { CustomerEvent } from '../../domain/customer.events';
import { customerViolation } from '../../domain/customer.rules';

/** Every customer-stream command travels the bus as this one message. */
export class ExecuteCustomerCommand extends Command<CommandResult<CustomerEvent>> {
  constructor(readonly customerId: string, readonly command: CustomerCommand, readonly context: CommandContext) {
    super();
  }
}

/**
 * The one command path (`handleCommand`) on the customer stream. A purchase's command id comes from its
 * order, so a repeated order is answered from the log; this handler adds the check the log alone cannot
 * make: the repeat must say the same as the original, or it is a conflict (409), never a silent success.
 */
export async function executeCustomerCommand(store: EventStore, customerId: string, command: CustomerCommand, context: CommandContext): Promise<CommandResult<CustomerEvent>> {
  const result = await handleCommand(store, customerDecider, customerStreamName(customerId), command, context);
  if (result.replayed && command.type === 'RecordPurchase') {
    const original = result.events.find((event) => event.type === 'PurchaseRecorded');
    if (original && original.type === 'PurchaseRecorded' && !samePurchase(original.data, command.data)) {
      const { orderId, amount, currency, at } = original.data;
      throw customerViolation('order-already-recorded', `Order ${orderId} was recorded as ${amount} ${currency} at ${at}.`);
    }
  }
  return result;
}

@CommandHandler(ExecuteCustomerCommand)
export class ExecuteCustomerCommandHandler implements ICommandHandler<ExecuteCustomerCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ customerId, command, context }: ExecuteCustomerCommand): Promise<CommandResult<CustomerEvent>> {
    return executeCustomerCommand(this.store, customerId, command, context);
  }
}
