import { Controller, Get, HttpException, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
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
  @ApiProduces('text/plain', 'application/pdf')
  @ApiOkResponse({ description: 'The letter' })
  @ApiProblems(
    [404, 'No such case, or no letter sent yet'],
    [410, "The customer's personal data was erased"],
    [409, 'The letter does not match its recorded hash'],
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
