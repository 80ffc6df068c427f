import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { CLOCK, Clock } from '../../core/clock';
import { ACTOR_OF_REQUEST, ActorOfRequest, readCommandHeaders } from '../../core/http/command-request';
import { ExecuteStreamCommand } from '../../core/commands/execute-stream-command';
import { ApiInteger, ApiProblems } from '../../core/http/openapi-shapes';
import { ProblemError, RequestValidationError } from '../../core/http/problem-details';
import { customerStream } from '../customer-commands';
import type { Actor } from '../../kernel/actor';
import { purchaseCommandId } from '../domain/customer.decider';
import { ImportReport, importPurchases } from './import-purchases';
import { ImportFileError, PURCHASE_COLUMNS, formatOfContentType, readPurchaseLines } from './purchase-rows';

export const IMPORT_PURCHASES_PATH = '/imports/purchases';

class InvalidRowDto {
  @ApiInteger({ minimum: 1, description: 'Line number in the file (the CSV header is line 1)' }) line!: number;
  @ApiProperty({ example: 'amount: must be a whole number of minor units' }) reason!: string;
  @ApiPropertyOptional({ description: 'The rule that refused the row, when one did', example: 'order-already-recorded' }) rule?: string;
}

class ImportReportDto implements ImportReport {
  @ApiProperty({ enum: ['csv', 'ndjson'] }) format!: ImportReport['format'];
  @ApiInteger({ minimum: 0, description: 'Data lines read' }) rows!: number;
  @ApiInteger({ minimum: 0, description: 'Purchases appended by this import' }) recorded!: number;
  @ApiInteger({ minimum: 0, description: 'Orders already recorded with the same values: nothing appended' }) duplicates!: number;
  @ApiInteger({ minimum: 0 }) invalidCount!: number;
  @ApiProperty({ type: [InvalidRowDto] }) invalid!: InvalidRowDto[];
  @ApiInteger({ description: 'Highest global position appended or replayed: pass it as minPosition to read the import back' })
  position!: number;
}

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
  @ApiBody({
    required: true,
    description: 'CSV with a header row, or NDJSON with one purchase object per line',
    schema: { type: 'string', example: 'customerId,orderId,amount,currency,at\ncust-1,order-1,4999,GBP,2026-11-20T14:32:00Z\n' },
  })
  @ApiOkResponse({ type: ImportReportDto, description: 'What was recorded, and every row refused with its line and reason' })
  @ApiProblems(
    [400, 'A CSV header without the purchase columns, or an invalid header'],
    [415, 'The body is neither text/csv nor application/x-ndjson'],
  )
  async import(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const format = formatOfContentType(request.headers['content-type']);
    const body = request.body;
    if (!format || !(body instanceof Readable)) {
      throw new ProblemError(
        'unsupported-media-type',
        'Send purchases as text/csv (with a header) or application/x-ndjson (one JSON object per line).',
      );
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
