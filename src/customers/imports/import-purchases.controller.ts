import { Controller, HttpCode, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { CLOCK, Clock } from '../../core/clock';
import { ACTOR_OF_REQUEST, ActorOfRequest, readCommandHeaders } from '../../core/http/command-request';
import { ExecuteStreamCommand } from '../../core/commands/execute-stream-command';
import { ApiInteger, ApiProblems } from '../../core/http/openapi-shapes';
import { ProblemError, RequestValidationError, clientAborted, sendProblem, toProblem } from '../../core/http/problem-details';
import { STREAMED_BODY } from '../../core/http/request-bounds';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { customerStream } from '../customer-commands';
import type { Actor } from '../../kernel/actor';
import { purchaseCommandId } from '../domain/customer.decider';
import { ImportReport, InvalidRow, RecordPurchaseRow, importPurchases } from './import-purchases';
import { ImportFileError, PURCHASE_COLUMNS, formatOfContentType, readPurchaseLines } from './purchase-rows';

export const IMPORT_PURCHASES_PATH = '/imports/purchases';
const NDJSON = 'application/x-ndjson';

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
  @ApiProperty({ type: [InvalidRowDto], description: 'The first invalid rows (IMPORT_INVALID_LISTED); invalidCount has them all' })
  invalid!: InvalidRowDto[];
  @ApiPropertyOptional({ enum: [true], description: 'Present when more rows were invalid than are listed' }) invalidTruncated?: true;
  @ApiInteger({ description: 'Highest global position appended or replayed: pass it as minPosition to read the import back' })
  position!: number;
}

@ApiTags('customer commands')
@Controller('imports')
export class ImportPurchasesController {
  private readonly logger = new Logger('Import');

  constructor(
    private readonly commandBus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ACTOR_OF_REQUEST) private readonly actorOf: ActorOfRequest<Actor>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('purchases')
  @RouteConfig(STREAMED_BODY)
  @HttpCode(200)
  @ApiOperation({
    operationId: 'importPurchases',
    summary: 'Import purchases in bulk from CSV or NDJSON',
    description:
      `Streams the body (no size limit, never held in memory) and records each row as POST /customers/:customerId/purchases would, ` +
      `idempotent on (customerId, orderId): re-importing a file appends nothing new. Every valid row is kept; every invalid row is reported ` +
      `with its line number and reason. CSV (text/csv) has a header naming the columns ${PURCHASE_COLUMNS.join(', ')} in any order; ` +
      'NDJSON (application/x-ndjson) has one JSON object with those fields per line. Rows are appended in batches, and the ' +
      'import yields to other requests between them. The answer lists the first invalid rows (IMPORT_INVALID_LISTED, 100 by default) ' +
      'with `invalidCount` the whole count and `invalidTruncated` set when there were more; with `Accept: application/x-ndjson` it ' +
      'is streamed instead: one `{"invalid": {line, reason, rule?}}` line per invalid row as it is found, then one `{"report": …}` line. ' +
      'A body that pauses longer than STREAM_IDLE_TIMEOUT_MS is answered 408 with the report so far; if the client goes away the ' +
      'import stops at the batch it was in (logged with how far it got; re-sending the file appends nothing twice).',
  })
  @ApiConsumes('text/csv', 'application/x-ndjson')
  @ApiBody({
    required: true,
    description: 'CSV with a header row, or NDJSON with one purchase object per line',
    schema: { type: 'string', example: 'customerId,orderId,amount,currency,at\ncust-1,order-1,4999,GBP,2026-11-20T14:32:00Z\n' },
  })
  @ApiOkResponse({
    type: ImportReportDto,
    description:
      'What was recorded, and the first invalid rows with their line and reason; with Accept: application/x-ndjson, the streamed lines described above',
  })
  @ApiProblems(
    [400, 'A CSV header without the purchase columns, or an invalid header'],
    [408, 'The body paused too long; the problem carries `report`, how far the import got'],
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
    const recordRow: RecordPurchaseRow = async (row) => {
      const commandId = purchaseCommandId(row.orderId);
      const now = this.clock.now().toISOString();
      const result = await this.commandBus.execute(
        new ExecuteStreamCommand(
          customerStream,
          row.customerId,
          { type: 'RecordPurchase', data: row, by: actor, at: now },
          { commandId, correlationId: headers.correlationId, causationId: commandId, actor, occurredAt: now },
        ),
      );
      return { replayed: result.replayed, position: result.position };
    };
    const stream = (request.headers.accept ?? '').includes(NDJSON) ? new NdjsonAnswer(reply) : undefined;
    // The client going away ends the body's lines as if the file ended; the import must stop instead.
    const clientGone = new AbortController();
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) clientGone.abort(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    });
    const heartbeat = processingHeartbeat(reply.raw);
    let progress: ImportReport | undefined;
    let report: ImportReport;
    try {
      report = await importPurchases(format, readPurchaseLines(body, format), recordRow, {
        batchSize: this.config.imports.batchSize,
        invalidListed: stream ? 0 : this.config.imports.invalidListed,
        onProgress: (soFar) => (progress = soFar),
        onInvalid: stream ? (invalid: InvalidRow) => stream.write({ invalid }) : undefined,
        signal: clientGone.signal,
      });
    } catch (error) {
      heartbeat.stop();
      if (clientAborted(error, request)) {
        this.logger.log(
          `import stopped: the client went away after ${progress?.rows ?? 0} rows (${progress?.recorded ?? 0} recorded, ` +
            `${progress?.duplicates ?? 0} already recorded, ${progress?.invalidCount ?? 0} invalid); re-sending the file appends nothing twice`,
        );
        return;
      }
      await drain(body);
      if (stream?.started) {
        const problem = toProblem(error);
        return stream.end({
          error: { ...problem, type: `${this.config.publicBaseUrl}${problem.type}`, instance: request.url },
          report: progress,
        });
      }
      if (error instanceof ImportFileError) throw new RequestValidationError([{ field: 'body', message: error.message }]);
      return sendProblem(error, request, reply, this.config.publicBaseUrl, progress ? { report: progress } : {});
    }
    heartbeat.stop();
    if (stream) return stream.end({ report });
    void reply.status(200).header('content-type', 'application/json; charset=utf-8').send(report);
  }
}

/**
 * While the body is read slowly (the import appends as it goes), the server reads no more of the socket than it
 * can use, so it would learn that the client left only after the bytes already in flight. An interim
 * `102 Processing` every second costs nothing and makes a vanished client's socket fail at once (a write to a closed
 * peer is reset), so the import stops within about a second of the client going.
 */
function processingHeartbeat(raw: ServerResponse): { stop(): void } {
  const timer = setInterval(() => {
    if (raw.headersSent || raw.destroyed || typeof raw.writeProcessing !== 'function') return;
    raw.writeProcessing();
  }, 1000);
  return { stop: () => clearInterval(timer) };
}

/** The NDJSON answer: started with the first line, written with backpressure, ended with the report. */
class NdjsonAnswer {
  private raw?: ServerResponse;

  constructor(private readonly reply: FastifyReply) {}

  get started(): boolean {
    return this.raw !== undefined;
  }

  async write(value: unknown): Promise<void> {
    const raw = this.start();
    if (raw.write(`${JSON.stringify(value)}\n`)) return;
    // The client reads slower than rows are checked: wait for it (or for it to go away).
    await new Promise<void>((resolve) => {
      const done = () => {
        raw.off('drain', done).off('close', done);
        resolve();
      };
      raw.on('drain', done).on('close', done);
    });
  }

  end(value: unknown): void {
    this.start().end(`${JSON.stringify(value)}\n`);
  }

  private start(): ServerResponse {
    if (this.raw) return this.raw;
    this.reply.hijack();
    this.raw = this.reply.raw;
    this.raw.writeHead(200, { 'content-type': `${NDJSON}; charset=utf-8` });
    return this.raw;
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
