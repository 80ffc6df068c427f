import { applyDecorators, Controller, HttpCode, Type } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import type { StreamKind } from '../core/commands/stream-kind';
import { ID_PATTERN } from '../core/identifiers';
import { ApiCommandEndpoint, ApiInteger } from '../core/http/openapi-shapes';
import type { StreamCommands } from '../core/http/stream-commands';
import { ApiActor } from '../identity/public';
import { customerDecider, customerStreamName, customerViolation, samePurchase, type CustomerCommand } from './domain/customer.decider';
import type { CustomerState } from './domain/customer.state';
import type { CustomerEvent } from './domain/customer.events';
import { CUSTOMER_UPCASTERS } from './domain/customer.upcasters';

export type CustomerStream = StreamKind<CustomerCommand, CustomerEvent, CustomerState>;

/**
 * The customer stream kind: `customer-<customerId>`. A purchase's command id comes from its order, so a
 * repeated order is answered from the log; the replay check adds what the log alone cannot: the repeat must
 * say what the original said, or it is a conflict (409), never a silent success.
 */
export const customerStream: CustomerStream = {
  idName: 'customerId',
  entity: 'customer',
  streamName: customerStreamName,
  decider: customerDecider,
  events: CUSTOMER_UPCASTERS,
  location: (customerId) => `/customers/${encodeURIComponent(customerId)}`,
  verifyReplay(result, command) {
    if (command.type !== 'RecordPurchase') return;
    const original = result.events.find((event) => event.type === 'PurchaseRecorded');
    if (original?.type === 'PurchaseRecorded' && !samePurchase(original.data, command.data)) {
      const { orderId, amount, currency, at } = original.data;
      throw customerViolation('order-already-recorded', `Order ${orderId} was recorded as ${amount} ${currency} at ${at}.`);
    }
  },
};

export const CUSTOMER_COMMANDS = Symbol('CustomerCommands');
export type CustomerCommands = StreamCommands<CustomerCommand, CustomerEvent, CustomerState>;

/** Path parameters of the customer routes. */
export class CustomerIdParams {
  @ApiProperty({ description: 'The customer, as your other systems name them', example: 'cust-10293' })
  @Matches(ID_PATTERN, { message: '$property may hold only letters, digits and - _ . : (1 to 128 characters)' })
  customerId!: string;
}

/** The answer to a customer command; commands that record something extend it with that thing's id. */
export class CustomerCommandResponseDto {
  @ApiProperty({ description: 'The customer the command applied to', example: 'cust-10293' }) customerId!: string;
  @ApiInteger({ description: "The customer stream's revision after the command; also the ETag", minimum: 0, example: 3 }) revision!: number;
  @ApiInteger({ description: 'Global log position of the last event appended; pass it as minPosition to read your write', example: 42 })
  position!: number;
}

/** A controller of customer-stream commands: `/customers`, grouped in the API document. */
export function CustomerCommandsController() {
  return applyDecorators(ApiTags('customer commands'), Controller('customers'));
}

export interface CustomerCommandEndpointOptions {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly status: 200 | 201;
  /** The body's DTO; documented as optional when every field is. */
  readonly body: Type<object>;
  readonly bodyRequired?: boolean;
  /** What an Idempotency-Key does on this route. */
  readonly idempotency: string;
  /** The success body, when the command records something with an id of its own. */
  readonly response?: Type<CustomerCommandResponseDto>;
}

/** Everything a customer command declares beside its route: status, documentation and problems. */
export function CustomerCommandEndpoint({
  operationId,
  summary,
  description,
  status,
  body,
  bodyRequired,
  idempotency,
  response,
}: CustomerCommandEndpointOptions) {
  return applyDecorators(
    HttpCode(status),
    ApiOperation({ operationId, summary, description }),
    ...(bodyRequired ? [] : [ApiBody({ type: body, required: false })]),
    ApiActor(),
    ApiCommandEndpoint(status, {
      type: response ?? CustomerCommandResponseDto,
      idempotency,
      ...(status === 201 ? { location: 'The customer the record was added to: /customers/{customerId}' } : {}),
    }),
  );
}
