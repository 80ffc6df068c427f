import { ROLE_MATRIX, type RouteAccess } from '../../src/identity/role-matrix';
import { API_ROLES } from '../../src/identity/roles';
import { withTestServer } from './e2e-helpers';

/**
 * The role matrix walked route by route against the running service: every operation of the
 * OpenAPI document is public or in the matrix (deny by default leaves nothing open by accident),
 * and each role gets a 403, or not, exactly as the matrix says. Path parameters name nothing that
 * exists, so an admitted request fails later (404, 400) and changes nothing.
 */
describe('role matrix', () => {
  let operations: Array<{
    method: string;
    path: string;
    operationId: string;
    security: unknown;
    roles?: string[];
    responses: Record<string, any>;
  }>;

  const server = withTestServer();
  beforeAll(async () => {
    const doc = (await server.request('GET', '/docs-json', { anonymous: true })).body;
    operations = Object.entries<Record<string, any>>(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        operationId: operation.operationId,
        security: operation.security,
        roles: operation['x-roles'],
        responses: operation.responses,
      })),
    );
  });

  const matrix = ROLE_MATRIX as Record<string, RouteAccess>;
  const isPublic = (operation: { security: unknown }) => Array.isArray(operation.security) && operation.security.length === 0;

  it('has an entry, at the route the document shows, for every operation that is not public', () => {
    const protectedOps = operations.filter((operation) => !isPublic(operation));
    expect(protectedOps.length).toBeGreaterThan(30);
    for (const operation of protectedOps) {
      expect({ operationId: operation.operationId, route: matrix[operation.operationId]?.route }).toEqual({
        operationId: operation.operationId,
        route: `${operation.method} ${operation.path}`,
      });
      expect({ operationId: operation.operationId, roles: operation.roles }).toEqual({
        operationId: operation.operationId,
        roles: [...matrix[operation.operationId].roles],
      });
      expect(operation.security).toEqual([{ bearer: [] }]);
      for (const status of ['401', '403', '429']) {
        expect({
          operationId: operation.operationId,
          status,
          problem: operation.responses[status]?.content?.['application/problem+json']?.schema?.$ref,
        }).toEqual({ operationId: operation.operationId, status, problem: '#/components/schemas/ProblemDto' });
      }
    }
  });

  it('lists no route the service does not serve, except those announced as planned', () => {
    const served = new Set(operations.map((operation) => operation.operationId));
    const stale = Object.entries(matrix)
      .filter(([operationId, access]) => !served.has(operationId) && !access.planned)
      .map(([operationId]) => operationId);
    expect(stale).toEqual([]);
  });

  it('marks only health (and the like) public, and serves those without a token', async () => {
    const publicOps = operations.filter(isPublic);
    expect(publicOps.map((operation) => operation.operationId)).toContain('health');
    for (const operation of publicOps) {
      expect(matrix[operation.operationId]).toBeUndefined();
      if (operation.method !== 'GET') continue;
      const { status } = await server.request('GET', fill(operation.path), { anonymous: true });
      expect({ operationId: operation.operationId, refused: status === 401 || status === 403 }).toEqual({
        operationId: operation.operationId,
        refused: false,
      });
    }
  });

  it('answers every protected operation without a token with 401', async () => {
    for (const operation of operations.filter((candidate) => !isPublic(candidate))) {
      const response = await server.request(operation.method, fill(operation.path), {
        anonymous: true,
        ...(operation.method === 'GET' ? {} : { body: {} }),
      });
      expect({ operationId: operation.operationId, status: response.status }).toEqual({ operationId: operation.operationId, status: 401 });
    }
  });

  it.each([...API_ROLES])('lets %s call exactly the operations the matrix gives it, and refuses the others with 403', async (role) => {
    for (const operation of operations.filter((candidate) => !isPublic(candidate))) {
      const allowed = matrix[operation.operationId].roles.includes(role);
      const response = await server.request(operation.method, fill(operation.path) + neverStreams(operation.path), {
        headers: { 'X-Actor-Id': `matrix-${role}`, 'X-Actor-Role': role },
        ...(operation.method === 'GET' ? {} : { body: {} }),
      });
      const seen = {
        operationId: operation.operationId,
        role,
        forbidden: response.status === 403,
        unauthenticated: response.status === 401,
      };
      expect(seen).toEqual({ operationId: operation.operationId, role, forbidden: !allowed, unauthenticated: false });
      if (!allowed) expect(response.body.detail).toContain(`allowed: ${matrix[operation.operationId].roles.join(', ')}`);
    }
  });
});

/** A live queue admitted would stream forever: ask it for a team no id can name, so an admitted request is a 400. */
function neverStreams(path: string): string {
  return path === '/queues/live' ? '?team=no%20such%20team' : '';
}

/** Path parameters that name nothing, so an admitted request is refused later and changes nothing. */
function fill(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => `no-such-${name.toLowerCase()}`);
}
