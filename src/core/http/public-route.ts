import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const IS_PUBLIC = 'redress:public';
/** The OpenAPI extension @Public() leaves on an operation; the document's post-processing turns it into `security: []`. */
export const PUBLIC_OPERATION_EXTENSION = 'x-public';

/**
 * A route anyone may call without a token (health, audit checkpoints, public keys). Everything
 * else needs a bearer token and an entry in the role matrix.
 */
export function Public() {
  return applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(PUBLIC_OPERATION_EXTENSION, true));
}
