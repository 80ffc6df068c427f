import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../errors';
import { CORE_SETTINGS, type CoreSettings } from '../settings';
import { ApiInteger, ApiOkContent, ApiProblems } from './openapi-shapes';
import { problemTypePath } from './problem-details';
import { describeProblemType, type ProblemType } from './problem-types';
import { Public } from './public-route';

/** Every business rule the deciders may refuse a command with, by its code: the composition gathers them from the rule books. */
export const PROBLEM_RULES = Symbol('ProblemRules');

class ProblemTypeDto implements ProblemType {
  @ApiProperty({ format: 'uri', example: 'http://localhost:3000/problems/stale-revision' }) type!: string;
  @ApiProperty({ example: 'stale-revision' }) code!: string;
  @ApiProperty({ example: 'Stale revision' }) title!: string;
  @ApiInteger({ example: 409 }) status!: number;
  @ApiProperty() description!: string;
  @ApiPropertyOptional({ description: 'The business rule in words (rule problems only)' }) rule?: string;
}

/** The pages problem `type` URIs dereference to (RFC 9457 §3.1.1): JSON for programs, HTML for people. */
@ApiTags('problems')
@Public()
@Controller('problems')
export class ProblemsController {
  constructor(
    @Inject(PROBLEM_RULES) private readonly rules: Readonly<Record<string, string>>,
    @Inject(CORE_SETTINGS) private readonly settings: Pick<CoreSettings, 'publicBaseUrl'>,
  ) {}

  @Get(':code')
  @ApiOperation({
    operationId: 'describeProblem',
    summary: 'What a problem type means: the `type` of every problem answer points here',
    description: 'JSON by default; an HTML page when the client prefers text/html (a browser).',
  })
  @ApiOkContent({ json: ProblemTypeDto, text: { 'text/html': 'The same, as a page' }, description: 'The problem type' })
  @ApiProblems([404, 'No such problem type'])
  describe(@Param('code') code: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const found = describeProblemType(code, this.rules);
    if (!found) throw new NotFoundError(`No problem type ${code} is defined`);
    const described = { type: `${this.settings.publicBaseUrl}${problemTypePath(found.code)}`, ...found };
    void reply.header('vary', 'Accept').header('cache-control', 'public, max-age=3600');
    if (prefersHtml(request.headers.accept)) {
      void reply.type('text/html; charset=utf-8').send(page(described));
    } else {
      void reply.type('application/json; charset=utf-8').send(described);
    }
  }
}

/** A browser asks for text/html before any JSON; programs ask for JSON or anything. */
function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const html = accept.indexOf('text/html');
  const json = accept.search(/application\/(problem\+)?json/);
  return html >= 0 && (json < 0 || html < json);
}

function page(problem: ProblemType & { type: string }): string {
  const text = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${text(problem.title)} (${problem.status}) · Redress</title></head>
<body>
<main>
<h1>${text(problem.title)}</h1>
<p>HTTP ${problem.status} · <code>${text(problem.code)}</code></p>
<p>${text(problem.description)}</p>
${problem.rule ? `<h2>The rule</h2>\n<blockquote>${text(problem.rule)}</blockquote>\n` : ''}<p>Problem answers are <a href="https://www.rfc-editor.org/rfc/rfc9457">RFC 9457</a> application/problem+json with this page's address as their <code>type</code>.</p>
</main>
</body>
</html>
`;
}
