import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { CaseIdParams } from '../../complaints/public';
import { complaintStreamName } from '../../complaints/public';
import { RAW_EVENT_STORE } from '../../core/event-store/event-store.module';
import type { EventStore } from '../../core/event-store/event-store.port';
import { linkHeader, nextPageLink } from '../../core/http/conditional';
import { ApiIntegerOptional, ApiNullable, ApiOkContent, ApiProblems } from '../../core/http/openapi-shapes';
import { StoredEventDto } from '../../core/http/recorded-event.dto';
import { PersonalDataProtection } from '../../privacy/public';
import { auditRecord, readCaseStream } from '../case-stream';

const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

class HistoryQueryDto {
  @ApiIntegerOptional({ description: 'First revision of the page', minimum: 0, default: 0 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: '$property must be a whole number' })
  @Min(0)
  fromRevision?: number;

  @ApiIntegerOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: '$property must be a whole number' })
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ enum: ['json', 'ndjson'], description: 'ndjson (or Accept: application/x-ndjson) streams the whole history' })
  @IsOptional()
  @IsIn(['json', 'ndjson'], { message: '$property must be json or ndjson' })
  format?: 'json' | 'ndjson';
}

/** One page of a case's history. */
class CaseHistoryDto {
  @ApiProperty({ example: '0b8a5f0e-7c4e-5d0b-9a43-1f2e3d4c5b6a' }) caseId!: string;
  @ApiProperty({ type: [StoredEventDto], description: 'Oldest first, as stored (personal fields opened, their stored form in `sealed`)' })
  events!: StoredEventDto[];
  @ApiNullable({ type: 'integer', description: 'Pass as fromRevision for the next page; null on the last page' })
  nextRevision!: number | null;
}

const NDJSON = 'application/x-ndjson';
const EXPORT_PAGE = 500;

/**
 * The auditor's history: every event as stored (payload at the schema version it was written in,
 * with its hash chain). Personal fields are shown opened (or `[erased]`), their stored form in
 * `sealed`, so anyone can still re-verify the chain outside Redress.
 */
@ApiTags('audit')
@Controller('cases')
export class CaseHistoryController {
  constructor(
    @Inject(RAW_EVENT_STORE) private readonly store: EventStore,
    @Inject(PersonalDataProtection) private readonly personalData: PersonalDataProtection,
  ) {}

  @Get(':caseId/history')
  @ApiOperation({
    operationId: 'getCaseHistory',
    summary:
      'Every event of the case, oldest first, as stored: type, data, revision, position, metadata with actor, ids, schema version and hash chain',
  })
  @ApiHeader({ name: 'Accept', required: false, description: '`application/x-ndjson` streams the whole history (as format=ndjson does)' })
  @ApiOkContent({
    json: CaseHistoryDto,
    text: { [NDJSON]: 'The whole history, one stored event (as in `events`) per line' },
    description: 'A page of the history; the whole of it as NDJSON with format=ndjson or Accept: application/x-ndjson',
    headers: linkHeader('fromRevision'),
  })
  @ApiProblems([400, 'Invalid paging parameters'], [404, 'No such case'])
  async history(
    @Param() { caseId }: CaseIdParams,
    @Query() query: HistoryQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const wantsNdjson = query.format === 'ndjson' || (query.format === undefined && (request.headers.accept ?? '').includes(NDJSON));
    if (wantsNdjson) {
      await readCaseStream(this.store, caseId, { maxCount: 1 });
      void reply.type(NDJSON);
      return Readable.from(this.ndjsonLines(caseId));
    }
    const limit = query.limit ?? 100;
    const events = await readCaseStream(this.store, caseId, { fromRevision: query.fromRevision ?? 0, maxCount: limit + 1 });
    const page = events.slice(0, limit);
    const nextRevision = events.length > limit ? events[limit].revision : null;
    if (nextRevision !== null) void reply.header('link', nextPageLink(request, nextRevision, 'fromRevision'));
    return { caseId, events: page.map(auditRecord), nextRevision };
  }

  private async *ndjsonLines(caseId: string): AsyncGenerator<string> {
    for (let from = 0; ;) {
      const page = await this.store.readStream(complaintStreamName(caseId), { fromRevision: from, maxCount: EXPORT_PAGE });
      // The JSON answer is opened by the interceptor; a stream opens its own lines, a page at a time (keys as they are now).
      const opener = this.personalData.opener();
      for (const event of page) yield `${JSON.stringify(opener.openEventRecord(auditRecord(event)))}\n`;
      if (page.length < EXPORT_PAGE) return;
      from = page[page.length - 1].revision + 1;
    }
  }
}
