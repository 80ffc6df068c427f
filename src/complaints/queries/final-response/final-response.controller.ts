import { Controller, Get, HttpException, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EVENT_STORE, EventStore } from '../../../core/event-store/event-store.port';
import { NotFoundError } from '../../../core/errors';
import { ApiProblems } from '../../../core/http/openapi-shapes';
import { ERASED, PersonalDataProtection } from '../../../privacy/public';
import { CaseIdParams } from '../../case-commands';
import { complaintStreamName } from '../../domain/complaint.decider';
import type { FinalResponseIssued } from '../../domain/complaint.events';
import { letterPdf } from '../../letters/letter-pdf';
import { sha256Hex } from '../../letters/render-letter';

/** The final-response letter as sent, from the case's own history: as text, or as a PDF for the post. */
@ApiTags('cases')
@Controller('cases')
export class FinalResponseController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PersonalDataProtection) private readonly personalData: PersonalDataProtection,
  ) {}

  @Get(':caseId/final-response')
  @ApiOperation({
    operationId: 'getFinalResponse',
    summary: 'The final-response letter as sent: text/plain, or application/pdf (Accept); its SHA-256 in the X-Content-SHA256 header',
  })
  @ApiResponse({
    status: 200,
    description: 'The latest letter sent on the case: as text, or as a PDF with `Accept: application/pdf`',
    content: {
      'text/plain': { schema: { type: 'string', description: 'The words of the letter exactly as sent (UTF-8)' } },
      'application/pdf': { schema: { type: 'string', format: 'binary', description: 'The same letter laid out for the post' } },
    },
    headers: {
      'X-Content-SHA256': {
        description: "The SHA-256 (hex) of the letter's text, as FinalResponseIssued recorded it: the text was checked against it",
        schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      },
      'X-Template-Version': {
        description: 'The template the letter was rendered from',
        schema: { type: 'string', example: 'final-response/FCA@2026-01' },
      },
    },
  })
  @ApiProblems(
    [400, 'An invalid case id'],
    [404, 'No such case, or no letter sent on it yet'],
    [409, 'The letter no longer matches the SHA-256 recorded when it was sent: it is not served'],
    [410, "The letter held the customer's personal data, which was erased"],
  )
  async letter(@Param() { caseId }: CaseIdParams, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const events = await this.store.readStream(complaintStreamName(caseId));
    const sent = events.filter((event) => event.type === 'FinalResponseIssued').at(-1) as unknown as
      (FinalResponseIssued & { streamName: string }) | undefined;
    if (!sent)
      throw new NotFoundError(events.length === 0 ? `Case ${caseId} does not exist` : `No final response was sent on case ${caseId}`);
    const text = this.personalData.opener().openValue(sent.data.text, { streamName: sent.streamName, field: 'FinalResponseIssued/text' });
    if (text === ERASED) throw new LetterGoneError();
    // The recorded hash vouches for the words: a letter that no longer matches it is never served as the one sent.
    if (sha256Hex(text) !== sent.data.sha256) throw new LetterAlteredError();
    void reply.header('x-content-sha256', sent.data.sha256).header('x-template-version', sent.data.templateVersion);
    if (/application\/pdf/.test(request.headers.accept ?? '')) {
      const pdf = await letterPdf(text, `Final response ${caseId}`);
      await reply.type('application/pdf').header('content-disposition', `inline; filename="final-response-${caseId}.pdf"`).send(pdf);
      return;
    }
    await reply.type('text/plain; charset=utf-8').send(text);
  }
}

export class LetterGoneError extends HttpException {
  constructor() {
    super("The letter held the customer's personal data, which was erased.", 410);
  }
}

export class LetterAlteredError extends HttpException {
  constructor() {
    super('The letter does not match the SHA-256 recorded when it was sent.', 409);
  }
}
