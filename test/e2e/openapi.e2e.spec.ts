import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReceiveComplaintDto } from '../../src/complaints/commands/receive-complaint/receive-complaint.http';
import { CASE_COMMAND_ROUTES as CASE_ACTIONS } from '../support/case-command-routes';
import { withTestServer } from './e2e-helpers';

/**
 * The OpenAPI document is the contract frontends generate clients from: every command route with
 * its body, its ETag and its problems must be in it, and every reference in it must resolve.
 */
describe('OpenAPI document', () => {
  let doc: any;
  const server = withTestServer();
  beforeAll(async () => {
    const response = await server.get('/docs-json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    doc = response.body;
  });

  const commands = [
    { path: '/cases', operationId: 'receiveComplaint', body: ReceiveComplaintDto as new () => object, success: '201' },
    ...CASE_ACTIONS.map((action) => ({
      path: `/cases/{caseId}/${action.path.replace(/:(\w+)/g, '{$1}')}`,
      operationId: action.operationId,
      body: action.body,
      success: '200',
    })),
  ];

  /** Follows a local `$ref` such as `#/components/schemas/MoneyDto`. */
  function resolveRef(ref: string): any {
    expect(ref).toMatch(/^#\/components\/(schemas|headers)\/[A-Za-z0-9_.-]+$/);
    return ref
      .slice(2)
      .split('/')
      .reduce((node: any, part) => node?.[part], doc);
  }
  const schemaOf = (schema: any): any => (schema?.$ref ? resolveRef(schema.$ref) : schema);

  /** The DTO's fields as the validator knows them, and which of them may be left out. */
  function dtoFields(dto: new () => object): { all: string[]; required: string[] } {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
    const all = [...new Set(metadata.map((entry) => entry.propertyName))].sort();
    const optional = new Set(
      metadata.filter((entry) => entry.type === ValidationTypes.CONDITIONAL_VALIDATION).map((entry) => entry.propertyName),
    );
    return { all, required: all.filter((field) => !optional.has(field)) };
  }

  it('is OpenAPI 3 and names the service', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toEqual(expect.any(String));
  });

  it('lists every command route and the event stream', () => {
    for (const command of commands) {
      expect({ route: command.path, operationId: doc.paths[command.path]?.post?.operationId }).toEqual({
        route: command.path,
        operationId: command.operationId,
      });
    }
    expect(doc.paths['/cases/{caseId}/events']?.get).toBeDefined();
    expect(CASE_ACTIONS.length).toBe(31);
  });

  it('gives every operation a unique operationId', () => {
    const ids = Object.values<any>(doc.paths).flatMap((operations) =>
      Object.values<any>(operations).map((operation) => operation.operationId),
    );
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  });

  it('documents the path parameters of every case route', () => {
    for (const command of commands.slice(1)) {
      const names = doc.paths[command.path].post.parameters
        .filter((p: any) => p.in === 'path')
        .map((p: any) => p.name)
        .sort();
      expect({ route: command.path, names }).toEqual({
        route: command.path,
        names: command.path.includes('{offerId}') ? ['caseId', 'offerId'] : ['caseId'],
      });
    }
  });

  it("describes each command's JSON body with exactly its DTO's fields and required ones", () => {
    for (const command of commands) {
      const body = doc.paths[command.path].post.requestBody;
      // The attachment upload's body is multipart/form-data, documented under that type.
      const schema = schemaOf((body?.content?.['application/json'] ?? body?.content?.['multipart/form-data'])?.schema);
      const fields = dtoFields(command.body);
      expect({
        route: command.path,
        properties: Object.keys(schema?.properties ?? {}).sort(),
        required: [...(schema?.required ?? [])].sort(),
      }).toEqual({ route: command.path, properties: fields.all, required: fields.required });
    }
  });

  it('describes money on POST /cases as a resolvable object with an integer amount and a currency', () => {
    const receive = schemaOf(doc.paths['/cases'].post.requestBody.content['application/json'].schema);
    const orderValue = receive.properties.orderValue;
    const ref = orderValue.$ref ?? orderValue.allOf?.[0]?.$ref;
    expect(ref).toEqual(expect.any(String));
    const money = resolveRef(ref);
    expect(money).toMatchObject({ properties: { amount: { type: 'integer' }, currency: { type: 'string' } } });
    expect([...money.required].sort()).toEqual(['amount', 'currency']);
  });

  it('has no dangling $ref anywhere', () => {
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.push(value);
          else walk(value);
        }
      }
    };
    walk(doc.paths);
    walk(doc.components);
    const dangling = refs.filter(
      (ref) => !/^#\/components\/(schemas|headers)\/[A-Za-z0-9_.-]+$/.test(ref) || resolveRef(ref) === undefined,
    );
    expect(dangling).toEqual([]);
  });

  it('documents the success answer with its ETag header and the {caseId, revision, position} body', () => {
    for (const command of commands) {
      const success = doc.paths[command.path].post.responses[command.success];
      expect({ route: command.path, etag: Boolean(success?.headers?.ETag ?? success?.headers?.etag) }).toEqual({
        route: command.path,
        etag: true,
      });
      const schema = schemaOf(success.content['application/json'].schema);
      expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['caseId', 'revision', 'position']));
    }
  });

  it('documents the command headers (idempotency, If-Match, correlation) and who acts: the bearer token', () => {
    for (const command of commands) {
      const headers = doc.paths[command.path].post.parameters.filter((p: any) => p.in === 'header').map((p: any) => p.name.toLowerCase());
      expect({ route: command.path, headers }).toEqual({
        route: command.path,
        headers: expect.arrayContaining(['idempotency-key', 'if-match', 'x-correlation-id']),
      });
      expect({ route: command.path, security: doc.paths[command.path].post.security }).toEqual({
        route: command.path,
        security: [{ bearer: [] }],
      });
    }
  });

  it('documents 400, 404 (on an existing case), 409, 413, 415 and 422 as application/problem+json on every command', () => {
    for (const command of commands) {
      const responses = doc.paths[command.path].post.responses;
      for (const status of command.path === '/cases' ? ['400', '409', '413', '415', '422'] : ['400', '404', '409', '413', '415', '422']) {
        const schema = schemaOf(responses[status]?.content?.['application/problem+json']?.schema);
        expect({ route: command.path, status, properties: Object.keys(schema?.properties ?? {}) }).toEqual({
          route: command.path,
          status,
          properties: expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance', 'errors']),
        });
      }
    }
    const problem = schemaOf(doc.paths['/cases'].post.responses['400'].content['application/problem+json'].schema);
    const fieldError = schemaOf(problem.properties.errors.items);
    expect(Object.keys(fieldError.properties).sort()).toEqual(['field', 'message']);
  });

  it('documents the 404 problem of the event stream', () => {
    const notFound = doc.paths['/cases/{caseId}/events'].get.responses['404'];
    expect(schemaOf(notFound.content['application/problem+json'].schema).properties).toHaveProperty('detail');
  });

  it('serves Swagger UI at /docs', async () => {
    const page = await server.get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.body).toContain('swagger-ui');
    const script = await server.get('/docs/swagger-ui-init.js');
    expect(script.status).toBe(200);
    expect(script.body).toContain('receiveComplaint');
  });

  it('is the committed openapi.json: the file frontends generate clients from is what the service serves', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8'));
    const differences = differencesBetween(committed, doc);
    if (differences.length > 0) {
      throw new Error(
        `openapi.json differs from the document the service serves at ${differences.length} place(s), e.g.\n  ` +
          differences.slice(0, 15).join('\n  ') +
          '\nRun `npm run openapi` to rewrite it, review the diff (it is the API contract) and commit it.',
      );
    }
  });

  const operations = () =>
    Object.entries<any>(doc.paths).flatMap(([path, item]) =>
      Object.entries<any>(item).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
    );

  it('declares the server, every tag the operations use, and the bearer scheme', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: 'http://localhost:3000' })]);
    const declared = doc.tags.map((tag: any) => tag.name);
    const used = [...new Set(operations().flatMap(({ operation }) => operation.tags ?? []))];
    expect(used.filter((tag) => !declared.includes(tag))).toEqual([]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it('gives every success answer a schema in each media type it serves', () => {
    const untyped = operations().flatMap(({ route, operation }) =>
      Object.entries<any>(operation.responses)
        .filter(([status]) => status.startsWith('2'))
        .flatMap(([status, response]) => {
          const content = Object.entries<any>(response.content ?? {});
          if (content.length === 0) return [`${route} ${status}: no content`];
          return content.filter(([, media]) => !media.schema).map(([type]) => `${route} ${status} ${type}`);
        }),
    );
    expect(untyped).toEqual([]);
  });

  it('documents the media types really served: NDJSON history, SSE live events, CSV analytics, CSV and NDJSON imports', () => {
    expect(Object.keys(doc.paths['/cases/{caseId}/history'].get.responses['200'].content)).toEqual([
      'application/json',
      'application/x-ndjson',
    ]);
    expect(Object.keys(doc.paths['/cases/{caseId}/live'].get.responses['200'].content)).toEqual(['text/event-stream']);
    expect(Object.keys(doc.paths['/analytics/loyalty-outcomes'].get.responses['200'].content)).toEqual(['application/json', 'text/csv']);
    expect(Object.keys(doc.paths['/imports/purchases'].post.requestBody.content).sort()).toEqual(['application/x-ndjson', 'text/csv']);
  });

  it('names a read model schema for every JSON read', () => {
    const reads: Array<[string, string]> = [
      ['/cases', 'CasePageDto'],
      ['/cases/{caseId}', 'CaseViewDto'],
      ['/customers/{customerId}', 'CustomerCasesDto'],
      ['/cases/{caseId}/history', 'CaseHistoryDto'],
      ['/cases/{caseId}/state', 'CaseStateAtDto'],
      ['/cases/{caseId}/verify', 'CaseVerificationDto'],
      ['/analytics/loyalty-outcomes', 'LoyaltyOutcomesDto'],
      ['/analytics/systemic-issues', 'SystemicIssuesDto'],
      ['/analytics/deadlines', 'DeadlinesReportDto'],
      ['/audit/proofs/inclusion', 'InclusionProofDto'],
      ['/audit/checkpoints', 'CheckpointPageDto'],
    ];
    for (const [path, schema] of reads) {
      expect({ path, ref: doc.paths[path].get.responses['200'].content['application/json'].schema.$ref }).toEqual({
        path,
        ref: `#/components/schemas/${schema}`,
      });
      expect(doc.components.schemas[schema].properties).toBeDefined();
    }
  });

  it('types revisions, positions and statuses as integers wherever they appear', () => {
    const numbers: string[] = [];
    const walk = (node: any, path: string): void => {
      if (!node || typeof node !== 'object') return;
      for (const [key, value] of Object.entries<any>(node)) {
        if (key === 'properties') {
          for (const [name, property] of Object.entries<any>(value)) {
            if (['revision', 'position', 'status', 'treeSize', 'leafIndex'].includes(name) && property.type === 'number') {
              numbers.push(`${path}.${name}`);
            }
          }
        }
        walk(value, `${path}.${key}`);
      }
    };
    walk(doc.components.schemas, 'schemas');
    expect(numbers).toEqual([]);
    expect(doc.components.schemas.CaseCommandResponseDto.properties.revision.type).toBe('integer');
    expect(doc.components.schemas.ProblemDto.properties.status.type).toBe('integer');
  });

  it('answers each command with its own shape: only the commands that create something name it', () => {
    const success = (path: string) => schemaOf(doc.paths[path].post.responses['200'].content['application/json'].schema);
    expect(success('/cases/{caseId}/goodwill').required).toEqual(expect.arrayContaining(['caseId', 'revision', 'position', 'offerId']));
    expect(success('/cases/{caseId}/plan').required).toContain('planId');
    expect(success('/cases/{caseId}/system-fix').required).toContain('fixId');
    for (const path of ['/cases/{caseId}/acknowledge', '/cases/{caseId}/resolve', '/cases/{caseId}/goodwill/{offerId}/approve']) {
      expect({ path, properties: Object.keys(success(path).properties).sort() }).toEqual({
        path,
        properties: ['caseId', 'position', 'revision'],
      });
    }
  });

  it('documents Location on every 201, Retry-After on every 503, and the idempotency headers on every command', () => {
    for (const { route, operation } of operations()) {
      for (const [status, response] of Object.entries<any>(operation.responses)) {
        if (status === '201') expect({ route, location: Boolean(response.headers?.Location) }).toEqual({ route, location: true });
        if (status === '503')
          expect({ route, retryAfter: Boolean(response.headers?.['Retry-After']) }).toEqual({ route, retryAfter: true });
      }
    }
    for (const command of commands) {
      const headers = doc.paths[command.path].post.responses[command.success].headers;
      expect({ route: command.path, headers: Object.keys(headers).sort() }).toEqual({
        route: command.path,
        headers: expect.arrayContaining(['ETag', 'Idempotency-Key', 'Idempotent-Replayed']),
      });
    }
  });

  it('declares X-Correlation-Id on every operation, and on every answer', () => {
    for (const { route, operation } of operations()) {
      expect({ route, sent: operation.parameters.some((p: any) => p.name === 'X-Correlation-Id' && p.in === 'header') }).toEqual({
        route,
        sent: true,
      });
      for (const [status, response] of Object.entries<any>(operation.responses)) {
        expect({ route, status, echoed: response.headers?.['X-Correlation-Id'] }).toEqual({
          route,
          status,
          echoed: { $ref: '#/components/headers/X-Correlation-Id' },
        });
      }
    }
  });

  it('documents conditional reads and paging: ETag, If-None-Match and 304 on the case view, Link on the case list', () => {
    const getCase = doc.paths['/cases/{caseId}'].get;
    expect(getCase.parameters.map((p: any) => p.name)).toContain('If-None-Match');
    expect(getCase.responses['200'].headers.ETag).toBeDefined();
    expect(getCase.responses['304']).toBeDefined();
    expect(doc.paths['/cases'].get.responses['200'].headers.Link).toBeDefined();
  });

  it('documents problem types as absolute URIs, and the pages they name as public', () => {
    expect(doc.components.schemas.ProblemDto.properties.type.format).toBe('uri');
    expect(doc.paths['/problems/{code}'].get.security).toEqual([]);
  });
});

/** JSON pointers at which two documents differ (objects by key, arrays by index). */
function differencesBetween(expected: unknown, actual: unknown, path = ''): string[] {
  if (Object.is(expected, actual)) return [];
  if (typeof expected !== 'object' || typeof actual !== 'object' || expected === null || actual === null) {
    return [`${path || '/'}: committed ${JSON.stringify(expected)?.slice(0, 80)}, served ${JSON.stringify(actual)?.slice(0, 80)}`];
  }
  if (Array.isArray(expected) !== Array.isArray(actual)) return [`${path || '/'}: one is an array, the other is not`];
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  return [...keys].flatMap((key) =>
    differencesBetween((expected as any)[key], (actual as any)[key], `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`),
  );
}
