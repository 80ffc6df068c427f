import type { FastifyInstance } from 'fastify';
import type { PersonalDataProtection } from './personal-data';

/**
 * The read edge of crypto-shredding, for every JSON answer: each sealed value anywhere in the body is replaced
 * by its plaintext, or by `[erased]` once its customer's key is destroyed. Recorded events in a body (history,
 * the event stream) also get `sealed`, their stored form, so they can still be re-verified. Fastify serialises
 * objects only, so streams (NDJSON) and hijacked replies (SSE), which open their events themselves, and text
 * bodies (CSV), which carry no personal field, never come here. A Fastify hook rather than a Nest interceptor:
 * an interceptor wraps every route in RxJS and async-context bindings, a measurable share of a small command's CPU.
 */
export function openPersonalDataInAnswers(fastify: FastifyInstance, protection: PersonalDataProtection): void {
  fastify.addHook('preSerialization', (_request, _reply, payload, done) => {
    done(null, payload !== null && typeof payload === 'object' ? protection.opener().openDeep(payload) : payload);
  });
}
