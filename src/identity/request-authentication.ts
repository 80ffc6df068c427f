import type { FastifyRequest } from 'fastify';
import { InvalidTokenError, KeysUnavailableError, type TokenActor, type VerifyToken } from './tokens';

export const VERIFY_TOKEN = Symbol('VerifyToken');

/** What the Authorization header of a request proved. */
export type Authentication =
  | { readonly outcome: 'authenticated'; readonly actor: TokenActor }
  /** No Authorization header, or another scheme than Bearer: the client did not try a bearer token. */
  | { readonly outcome: 'missing' }
  | { readonly outcome: 'invalid'; readonly description: string }
  | { readonly outcome: 'unavailable'; readonly error: KeysUnavailableError };

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Authenticates each request once: the rate limiter (onRequest, to count per subject) and the
 * guard (to admit and authorise) both ask, and share the one verification.
 */
export class RequestAuthentication {
  private readonly results = new WeakMap<FastifyRequest, Promise<Authentication>>();

  constructor(private readonly verify: VerifyToken) {}

  of(request: FastifyRequest): Promise<Authentication> {
    let result = this.results.get(request);
    if (!result) {
      result = this.authenticate(request.headers.authorization);
      this.results.set(request, result);
    }
    return result;
  }

  private async authenticate(header: string | undefined): Promise<Authentication> {
    if (header === undefined || !/^Bearer(\s|$)/i.test(header)) return { outcome: 'missing' };
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) return { outcome: 'invalid', description: 'The Authorization header must be: Bearer <token>' };
    try {
      return { outcome: 'authenticated', actor: await this.verify(token) };
    } catch (error) {
      if (error instanceof InvalidTokenError) return { outcome: 'invalid', description: error.description };
      if (error instanceof KeysUnavailableError) return { outcome: 'unavailable', error };
      throw error;
    }
  }
}
