import type { OpenAPIObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../core/http/problem-details';
import { BEARER_SCHEME } from './api-actor';
import { PUBLIC_OPERATION_EXTENSION } from '../core/http/public-route';
import { accessOf } from './role-matrix';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const PROBLEM_SCHEMA = 'ProblemDto';

/**
 * Adds what the guard enforces to every operation of the document, so no route's file has to say
 * it: public operations get `security: []`; every other the bearer scheme, the roles the matrix
 * allows (`x-roles`, and a line in the description) and its 401, 403 and 429 problems.
 */
export function secureDocument(document: OpenAPIObject): OpenAPIObject {
  const problem = (description: string, headers?: Record<string, { description: string; schema: { type: 'string' | 'integer' } }>) => ({
    description,
    ...(headers ? { headers } : {}),
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `#/components/schemas/${PROBLEM_SCHEMA}` } } },
  });
  const schemas = ((document.components ??= {}).schemas ??= {});
  schemas[PROBLEM_SCHEMA] ??= {
    type: 'object',
    required: ['type', 'title', 'status', 'detail'],
    properties: {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      instance: { type: 'string' },
    },
  };

  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as ((typeof item)[typeof method] & Record<string, unknown>) | undefined;
      if (!operation) continue;
      if (operation[PUBLIC_OPERATION_EXTENSION]) {
        delete operation[PUBLIC_OPERATION_EXTENSION];
        operation.security = [];
        continue;
      }
      const roles = accessOf(operation.operationId)?.roles ?? [];
      operation.security = [{ [BEARER_SCHEME]: [] }];
      operation['x-roles'] = [...roles];
      const who = roles.length > 0 ? `Roles: ${roles.join(', ')}.` : 'Roles: none (not in the role matrix).';
      operation.description = operation.description ? `${operation.description}\n\n${who}` : who;
      operation.responses['401'] ??= problem('No bearer token, or one that is malformed, expired, badly signed or not for this API', {
        'WWW-Authenticate': {
          description: 'Bearer realm="redress", with error="invalid_token" and error_description for a bad token (RFC 6750)',
          schema: { type: 'string' },
        },
      });
      operation.responses['403'] ??= problem(`The token's role may not call this operation (allowed: ${roles.join(', ') || 'none'})`);
      operation.responses['429'] ??= problem('Too many requests from this token subject (or address): retry after Retry-After seconds', {
        'Retry-After': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
      });
    }
  }
  return document;
}
