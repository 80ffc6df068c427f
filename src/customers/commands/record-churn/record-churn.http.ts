import { TextField, TimestampField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import {
  CUSTOMER_COMMANDS,
  CustomerCommandEndpoint,
  CustomerCommands,
  CustomerCommandsController,
  CustomerIdParams,
} from '../../customer-commands';
import type { RecordChurn } from './record-churn.decide';

/** The body of `POST /customers/:customerId/churn`: the customer left (closed the account, cancelled, said goodbye). */
export class RecordChurnDto {
  @TextField({
    description: 'Why the customer left, if known',
    optional: true,
    maxLength: 2000,
    example: 'Closed the account after the second late delivery',
  })
  reason?: string;

  @TimestampField({
    description: 'When the customer left; never in the future. Defaults to now.',
    optional: true,
    example: '2026-12-02T16:00:00Z',
  })
  at?: string;
}

@CustomerCommandsController()
export class RecordChurnController {
  constructor(@Inject(CUSTOMER_COMMANDS) private readonly customers: CustomerCommands) {}

  @Post(':customerId/churn')
  @CustomerCommandEndpoint({
    operationId: 'recordChurn',
    status: 200,
    body: RecordChurnDto,
    summary: 'Record that the customer left',
    description: 'Refused (409, `customer-already-churned`) while an earlier churn stands, i.e. until the customer buys again.',
    idempotency: 'Retrying with the same key returns the first answer and appends nothing',
  })
  recordChurn(
    @Param() { customerId }: CustomerIdParams,
    @CommandBody() body: RecordChurnDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.customers.handle<RecordChurn>(http, {
      id: customerId,
      build: ({ now }) => ({
        type: 'RecordChurn',
        data: {
          customerId,
          ...(body.reason !== undefined ? { reason: body.reason } : {}),
          at: body.at === undefined ? now : new Date(body.at).toISOString(),
        },
      }),
    });
  }
}
