import type { FastifyRequest } from 'fastify';
import { headerOf } from './command-request';

/** The ETag of a stream revision, as every command answer and read of it sends it. */
export function revisionTag(revision: number): string {
  return `"${revision}"`;
}

/**
 * RFC 9110 §13.1.2: If-None-Match names the representation the client holds (weak comparison, `*`
 * for any); when it names the current one, the answer is 304 Not Modified without a body.
 */
export function clientHasCurrent(request: FastifyRequest, etag: string): boolean {
  const header = headerOf(request, 'if-none-match');
  if (header === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

/** RFC 8288 Link header for the next page: the request's own URL with its paging parameter (`cursor`, `after`, …) set. */
export function nextPageLink(request: FastifyRequest, value: string | number, parameter = 'cursor'): string {
  const url = new URL(request.url, 'http://redress.invalid');
  url.searchParams.set(parameter, String(value));
  return `<${url.pathname}${url.search}>; rel="next"`;
}

/** How operations document that Link header. */
export function linkHeader(parameter: string) {
  return {
    Link: {
      description: `RFC 8288: the next page, \`<…&${parameter}=…>; rel="next"\`; absent on the last page`,
      schema: { type: 'string' },
    },
  };
}
