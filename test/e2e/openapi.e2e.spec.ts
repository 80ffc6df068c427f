import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { ReceiveComplaintDto } from '../../src/complaints/commands/receive-complaint/receive-complaint.http';
import { CASE_COMMAND_ROUTES as CASE_ACTIONS } from '../support/case-command-routes';
import { startTestServer, TestServer } from '../support/test-server';

/**
 * The OpenAPI document is the contract frontends generate clients from: every command route with
 * its body, its ETag and its problems must be in it, and every reference in it must resolve.
 */
describe('OpenAPI document', () => {
  let server: TestServer;
  let doc: any;
  beforeAll(async () => {
    server = await startTestServer();
    const response = await server.get('/docs-json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    doc = response.body;
  });
  afterAll(async () => {
    await server.close();
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
    expect(ref).toMatch(/^#\/components\/schemas\/[A-Za-z0-9_.-]+$/);
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
    expect(CASE_ACTIONS.length).toBe(28);
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
    const dangling = refs.filter((ref) => !/^#\/components\/schemas\/[A-Za-z0-9_.-]+$/.test(ref) || resolveRef(ref) === undefined);
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

  it('documents 400, 404, 409, 413 and 415 as application/problem+json on every command', () => {
    for (const command of commands) {
      const responses = doc.paths[command.path].post.responses;
      for (const status of ['400', '404', '409', '413', '415']) {
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
});
