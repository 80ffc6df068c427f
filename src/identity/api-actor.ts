import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';

/** The name of the bearer security scheme in the OpenAPI document. */
export const BEARER_SCHEME = 'bearer';

/**
 * Documents who acts on a command: the subject and role of the bearer token (`Authorization:
 * Bearer <JWT>`, claims `sub` and `role`), recorded on every event it appends. No header or body
 * field can name another actor. The 401/403/429 problems are added to every protected operation
 * when the document is built (src/identity/openapi-security.ts).
 */
export function ApiActor() {
  return applyDecorators(ApiBearerAuth(BEARER_SCHEME));
}
