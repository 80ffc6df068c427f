import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiOkContent, ApiProblems } from '../core/http/openapi-shapes';
import type { FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Public } from '../core/http/public-route';

/** The browser pages' files: web/ at the project root (from src/pages and from dist/pages alike). */
export const WEB_DIR = resolve(__dirname, '../../web');

/**
 * Every file the pages may load, by the name they load it under: nothing else is served, so no path
 * from a request ever reaches the file system. The charting library comes from node_modules: the
 * pages work offline, with no CDN.
 */
export const PAGE_ASSETS: Readonly<Record<string, { path: string; type: string }>> = {
  'redress.css': { path: join(WEB_DIR, 'redress.css'), type: 'text/css; charset=utf-8' },
  'common.js': { path: join(WEB_DIR, 'common.js'), type: 'text/javascript; charset=utf-8' },
  'dashboard.js': { path: join(WEB_DIR, 'dashboard.js'), type: 'text/javascript; charset=utf-8' },
  'timeline.js': { path: join(WEB_DIR, 'timeline.js'), type: 'text/javascript; charset=utf-8' },
  // chart.js exports no subpath for its browser bundle: it sits beside the CommonJS entry, in dist/.
  'chart.umd.min.js': { path: join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), type: 'text/javascript; charset=utf-8' },
};

/**
 * The analyst dashboard and the case timeline: public HTML shells and their static files. They hold no
 * data: the pages call the API with the bearer token the user gives them, so the role matrix still decides
 * what each user sees.
 */
@ApiTags('pages')
@Public()
@Controller()
export class PagesController {
  @Get('dashboard')
  @ApiOperation({
    operationId: 'dashboardPage',
    summary:
      'The analyst dashboard (HTML): loyalty outcomes with intervals, breakdowns, systemic fixes, deadlines; reads the analytics API with a pasted analyst token',
  })
  @ApiOkContent({ text: { 'text/html': 'The page' }, description: 'The page' })
  dashboard(@Res() reply: FastifyReply): Promise<void> {
    return send(reply, join(WEB_DIR, 'dashboard.html'), 'text/html; charset=utf-8');
  }

  @Get('dashboard/assets/:file')
  @ApiOperation({ operationId: 'pageAsset', summary: 'A script or style sheet of the pages (the charting library included)' })
  @ApiOkContent({
    text: { 'text/javascript': 'A script', 'text/css': 'A style sheet' },
    description: 'The file',
  })
  @ApiProblems([404, 'No such asset'])
  asset(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    const asset = Object.hasOwn(PAGE_ASSETS, file) ? PAGE_ASSETS[file] : undefined;
    if (!asset) throw new NotFoundException(`No page asset ${file}.`);
    return send(reply, asset.path, asset.type);
  }

  @Get('cases/:caseId/timeline')
  @ApiParam({ name: 'caseId', description: 'The case to show (the page reads it through the API)' })
  @ApiOperation({
    operationId: 'caseTimelinePage',
    summary:
      "A case's timeline (HTML): its events, deadlines, verification and the case at any revision; reads the audit API with a pasted token",
  })
  @ApiOkContent({ text: { 'text/html': 'The page' }, description: 'The page' })
  timeline(@Res() reply: FastifyReply): Promise<void> {
    return send(reply, join(WEB_DIR, 'timeline.html'), 'text/html; charset=utf-8');
  }
}

async function send(reply: FastifyReply, path: string, type: string): Promise<void> {
  const body = await readFile(path);
  await reply.header('content-type', type).header('cache-control', 'no-cache').send(body);
}
