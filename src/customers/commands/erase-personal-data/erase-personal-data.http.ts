import { Delete, HttpCode, Inject, Param } from '@nestjs/common';
import { ApiOperation, ApiProperty } from '@nestjs/swagger';
import { CLOCK, type Clock } from '../../../core/clock';
import { NotFoundError } from '../../../core/errors';
import { EVENT_STORE, type EventStore } from '../../../core/event-store/event-store.port';
import { ApiCommandEndpoint } from '../../../core/http/openapi-shapes';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { ApiActor } from '../../../identity/public';
import { ErasureFollowUps, PersonalDataKeys } from '../../../privacy/public';
import {
  CUSTOMER_COMMANDS,
  CustomerCommandResponseDto,
  CustomerCommands,
  CustomerCommandsController,
  CustomerIdParams,
} from '../../customer-commands';
import { customerStreamName, erasePersonalDataCommandId } from '../../domain/customer.decider';
import type { ErasePersonalData } from './erase-personal-data.decide';

export class ErasePersonalDataResponseDto extends CustomerCommandResponseDto {
  @ApiProperty({ format: 'date-time', description: "When the customer's key was destroyed: the same on every repeat" }) erasedAt!: string;
}

@CustomerCommandsController()
export class ErasePersonalDataController {
  constructor(
    @Inject(CUSTOMER_COMMANDS) private readonly customers: CustomerCommands,
    @Inject(PersonalDataKeys) private readonly keys: PersonalDataKeys,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly followUps: ErasureFollowUps,
  ) {}

  @Delete(':customerId/personal-data')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'erasePersonalData',
    summary: "Erase the customer's personal data (crypto-shredding)",
    description:
      "Destroys the customer's data key, then records PersonalDataErased on the customer stream. Every personal field sealed " +
      'with that key (names, contact details, what the customer said) then reads as `[erased]` everywhere; the events, their hash chain ' +
      "and every figure stay as they were. The customer's attachment files are removed from the store, unless the same bytes are attached " +
      'to a case of someone not erased; downloading an erased attachment answers 410. Asking again answers the same and appends nothing. ' +
      '404 for a customer Redress has no record of.',
  })
  @ApiActor()
  @ApiCommandEndpoint(200, {
    type: ErasePersonalDataResponseDto,
    notFound: 'No record of the customer: no case, purchase or key',
    idempotency: 'Not needed: a repeat finds the key gone and answers from the log, appending nothing',
  })
  async erasePersonalData(@Param() { customerId }: CustomerIdParams, @Exchange() http: HttpExchange): Promise<CommandResponse> {
    if (!this.keys.knows(customerId) && (await this.store.readStream(customerStreamName(customerId), { maxCount: 1 })).length === 0) {
      throw new NotFoundError(`Customer ${customerId} has no case, purchase or key here: nothing to erase`);
    }
    // The key first: if recording fails after it, the data is already unreadable and a retry records it.
    const erasure = await this.keys.erase(customerId, this.clock.now().toISOString());
    const recorded = await this.customers.handle<ErasePersonalData>(http, {
      id: customerId,
      commandId: erasePersonalDataCommandId(customerId, erasure.keyGeneration),
      build: () => ({ type: 'ErasePersonalData', data: { customerId, keyGeneration: erasure.keyGeneration, erasedAt: erasure.erasedAt } }),
      respondWith: (command) => ({ erasedAt: command.data.erasedAt }),
    });
    // Then what the modules keep outside the log (attachment files); a repeat finishes what a crash interrupted.
    await this.followUps.run({ customerId, position: recorded.position });
    return recorded;
  }
}
