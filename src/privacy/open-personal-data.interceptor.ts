import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Stream } from 'node:stream';
import { map, type Observable } from 'rxjs';
import { PersonalDataProtection } from './personal-data';

/**
 * The read edge of crypto-shredding, for every JSON answer: each sealed value anywhere in the body is replaced
 * by its plaintext, or by `[erased]` once its customer's key is destroyed. Recorded events in a body (history,
 * the event stream) also get `sealed`, their stored form, so they can still be re-verified. Streams (NDJSON)
 * and hijacked replies (SSE) open their events themselves; text bodies (CSV) carry no personal field.
 */
@Injectable()
export class OpenPersonalDataInterceptor implements NestInterceptor {
  constructor(private readonly protection: PersonalDataProtection) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    return next.handle().pipe(map((body: unknown) => this.open(body)));
  }

  private open(body: unknown): unknown {
    if (body === null || body === undefined || body instanceof Stream || Buffer.isBuffer(body)) return body;
    if (typeof body !== 'object') return body;
    return this.protection.opener().openDeep(body);
  }
}
