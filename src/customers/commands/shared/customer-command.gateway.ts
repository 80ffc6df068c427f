import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { CLOCK, Clock } from '../../../core/clock';
import { uuidV5 } from '../../../core/deterministic-id';
import { commandContext, readCommandHeaders } from '../../../core/http/command-request';
import type { CustomerCommand } from '../../domain/customer.commands';
import { ExecuteCustomerCommand } from './execute-customer-command';

export interface CustomerCommandResponse {
  customerId: string;
  revision: number;
  position: number;
  [extra: string]: string | number | undefined;
}

type Unissued = CustomerCommand extends infer C ? (C extends CustomerCommand ? Omit<C, 'by' | 'decidedAt'> : never) : never;

export interface CustomerCommandRequest {
  readonly customerId: string;
  /** A command id fixed by the payload (a purchase's order), which then wins over the Idempotency-Key. */
  readonly commandId?: string;
  /** Builds the command; `now` is the instant it is decided at, `newId` repeats when the request is retried with the same key. */
  build(ids: { now: string; newId(kind: string): string }): Unissued;
  respondWith?(command: Unissued): Record<string, string | undefined>;
}

/** Turns an HTTP request into a customer command on the bus and its result into the response (body and ETag). */
@Injectable()
export class CustomerCommandGateway {
  constructor(private readonly commandBus: CommandBus, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute(http: FastifyRequest, reply: FastifyReply, request: CustomerCommandRequest): Promise<CustomerCommandResponse> {
    const headers = readCommandHeaders(http);
    const now = this.clock.now().toISOString();
    const keyed = request.commandId ?? headers.idempotencyKey;
    const commandId = keyed ?? randomUUID();
    const newId = (kind: string) => uuidV5(`${kind}/${request.customerId}/${commandId}`);
    const unissued = request.build({ now, newId });
    const command = { ...unissued, by: headers.actor, decidedAt: now } as CustomerCommand;
    const result = await this.commandBus.execute(new ExecuteCustomerCommand(request.customerId, command, commandContext(headers, commandId, now)));
    void reply.header('etag', `"${result.revision}"`);
    return { customerId: request.customerId, revision: result.revision, position: result.position, ...request.respondWith?.(unissued) };
  }
}
