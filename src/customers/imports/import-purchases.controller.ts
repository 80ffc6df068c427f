import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { CLOCK, Clock } from '../../core/clock';
import { ACTOR_OF_REQUEST, ActorOfRequest, readCommandHeaders } from '../../core/http/command-request';
import { ExecuteStreamCommand } from '../../core/commands/execute-stream-command';
import { ApiProblems } from '../../core/http/openapi-shapes';
import { PROBLEM_CONTENT_TYPE, RequestValidationError } from '../../core/http/problem-details';
import { customerStream } from '../customer-commands';
import type { Actor } from '../../kernel/actor';
import { purchaseCommandId } from '../domain/customer.decider';
import { ImportReport, importPurchases } from './import-purchases';
import { ImportFileError, PURCHASE_COLUMNS, formatOfContentType, readPurchaseLines } from './purchase-rows';

export const IMPORT_PURCHASES_PATH = '/imports/purchases';

@ApiTags('customer commands')
@Controller('imports')
export class ImportPurchasesController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ACTOR_OF_REQUEST) private readonly actorOf: ActorOfRequest<Actor>,
  ) {}

  @Post('purchases')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'importPurchases',
    summary: 'Import purchases in bulk from CSV or NDJSON',
    description:
      `Streams the body (no size limit, never held in memory) and records each row as POST /customers/:customerId/purchases would, ` +
      `idempotent on (customerId, orderId): re-importing a file appends nothing new. Every valid row is kept; every invalid row is reported ` +
      `with its line number and reason. CSV (text/csv) has a header naming the columns ${PURCHASE_COLUMNS.join(', ')} in any order; ` +
      'NDJSON (application/x-ndjson) has one JSON object with those fields per line.',
  })
  @ApiConsumes('text/csv', 'application/x-ndjson')
  @ApiBody({ schema: { type: 'string', example: 'customerId,orderId,amount,currency,at\ncust-1,order-1,4999,GBP,2026-11-20T14:32:00Z\n' } })
  @ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Recorded on every purchase of the import; generated when absent' })
  @ApiOkResponse({ description: '{ format, rows, recorded, duplicates, invalidCount, invalid: [{ line, reason, rule? }], position }' })
  @ApiProblems(
    [400, 'A CSV header without the purchase columns, or an invalid header'],
    [415, 'The body is neither text/csv nor application/x-ndjson'],
  )
  async import(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const format = formatOfContentType(request.headers['content-type']);
    const body = request.body;
    if (!format || !(body instanceof Readable)) {
      void reply.status(415).header('content-type', PROBLEM_CONTENT_TYPE).send({
        type: '/problems/unsupported-media-type',
        title: 'Unsupported media type',
        status: 415,
        detail: 'Send purchases as text/csv (with a header) or application/x-ndjson (one JSON object per line).',
        instance: request.url,
      });
      return;
    }
    const actor = this.actorOf(request);
    const headers = readCommandHeaders(request);
    let report: ImportReport;
    try {
      report = await importPurchases(format, readPurchaseLines(body, format), async (row) => {
        const commandId = purchaseCommandId(row.orderId);
        const now = this.clock.now().toISOString();
        const result = await this.commandBus.execute(
          new ExecuteStreamCommand(
            customerStream,
            row.customerId,
            {
              type: 'RecordPurchase',
              data: row,
              by: actor,
              at: now,
            },
            {
              commandId,
              correlationId: headers.correlationId,
              causationId: commandId,
              actor,
              occurredAt: now,
            },
          ),
        );
        return { replayed: result.replayed, position: result.position };
      });
    } catch (error) {
      await drain(body);
      if (error instanceof ImportFileError) throw new RequestValidationError([{ field: 'body', message: error.message }]);
      throw error;
    }
    void reply.status(200).header('content-type', 'application/json; charset=utf-8').send(report);
  }
}

/** Reads what is left of the body, so the client is answered after it finished sending, not mid-upload. */
function drain(body: Readable): Promise<void> {
  if (body.readableEnded || body.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    body
      .on('end', resolve)
      .on('error', () => resolve())
      .on('close', resolve);
    body.resume();
  });
}
