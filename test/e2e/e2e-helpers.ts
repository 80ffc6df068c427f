import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiResponse, type TestServer, type TestServerOptions, startTestServer } from '../support/test-server';

/** Small helpers shared by the end-to-end specs: the server, actors, a valid case, and checks on problems and the log. */

/**
 * The test server of the enclosing `describe`: started in a `beforeAll` on a data directory of its own, closed and that
 * directory removed in an `afterAll`. Options given as a function are read when it starts (a schema made by then).
 * `restart()` starts it again on the same directory and in its place, so the describe keeps one `server` throughout.
 */
export function withTestServer(options: Omit<TestServerOptions, 'dataDir'> | (() => Omit<TestServerOptions, 'dataDir'>) = {}): TestServer {
  let running: TestServer | undefined;
  let dataDir: string | undefined;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-e2e-'));
    running = await startTestServer({ ...(typeof options === 'function' ? options() : options), dataDir });
  });
  afterAll(async () => {
    await running?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  const current = (): TestServer => {
    if (!running) throw new Error('The test server starts in beforeAll: use it in a hook or a test');
    return running;
  };
  const server = new Proxy({} as TestServer, {
    get: (_, property: keyof TestServer) =>
      property === 'restart'
        ? async () => {
            running = await current().restart();
            return server;
          }
        : current()[property],
  });
  return server;
}

export const agent = { 'X-Actor-Id': 'agent-7', 'X-Actor-Role': 'agent' };
export const supervisor = { 'X-Actor-Id': 'sup-1', 'X-Actor-Role': 'supervisor' };
export const customer = { 'X-Actor-Id': 'cust-42', 'X-Actor-Role': 'customer' };

export const validComplaint = { customerId: 'cust-42', channel: 'email', summary: 'Parcel arrived damaged' };
export const validAssessment = {
  category: 'delivery',
  severity: 'medium',
  justified: 'yes',
  rootCause: 'one-off',
  findings: 'Damaged in transit',
};
export const contact = (summary: string) => ({ direction: 'inbound', channel: 'phone', summary });

export interface CommandBody {
  caseId: string;
  revision: number;
  position: number;
  offerId?: string;
  [extra: string]: unknown;
}

export interface RecordedEventBody {
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, any>;
  revision: number;
  position: number;
  recordedAt: string;
  /** The stored (sealed) form of each personal field shown opened in `data`, by path. */
  sealed?: Record<string, string>;
}

/** Opens a case and returns the 201 body; fails the test if it is not opened. */
export async function openCase(
  server: TestServer,
  body: object = validComplaint,
  headers: Record<string, string> = agent,
): Promise<CommandBody> {
  const response = await server.post<CommandBody>('/cases', body, headers);
  if (response.status !== 201) throw new Error(`POST /cases answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Posts a case command that must succeed (200). */
export async function succeed(
  server: TestServer,
  caseId: string,
  action: string,
  body: unknown,
  headers: Record<string, string> = agent,
): Promise<ApiResponse<CommandBody>> {
  const response = await server.post<CommandBody>(`/cases/${caseId}/${action}`, body, headers);
  if (response.status !== 200)
    throw new Error(`POST /cases/${caseId}/${action} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response;
}

export async function eventsOf(server: TestServer, caseId: string): Promise<RecordedEventBody[]> {
  const response = await server.get<RecordedEventBody[]>(`/cases/${caseId}/events`);
  if (response.status !== 200) throw new Error(`GET /cases/${caseId}/events answered ${response.status}`);
  return response.body;
}

/**
 * Runs `act` and checks the global log did not grow meanwhile: between a case opened before and
 * one opened after, the log holds nothing else. Covers every stream, not only the one a request
 * named. Positions are opaque (EventStoreDB's are byte offsets), so the events are counted.
 */
export async function expectNothingAppendedDuring<T>(server: TestServer, act: () => Promise<T>): Promise<T> {
  const before = await openCase(server, { ...validComplaint, summary: 'probe before' });
  const result = await act();
  const after = await openCase(server, { ...validComplaint, summary: 'probe after' });
  const between = (await server.countEventsAfter(before.position)) - (await server.countEventsAfter(after.position));
  expect({ eventsAfterProbeBeforeUpToProbeAfter: between }).toEqual({ eventsAfterProbeBeforeUpToProbeAfter: 1 });
  return result;
}

/** Checks an RFC 9457 problem: status, content type, the standard members, and the instance path. */
export function expectProblem(response: ApiResponse, status: number, instance?: string): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status, body: { status } });
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json\b/);
  expect(response.body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
      instance: expect.any(String),
    }),
  );
  expect(response.body.type.length).toBeGreaterThan(0);
  expect(response.body.title.length).toBeGreaterThan(0);
  expect(response.body.detail.length).toBeGreaterThan(0);
  if (instance !== undefined) expect(response.body.instance).toBe(instance);
}

/** Checks a 400 validation problem whose `errors` name each of `fields`. */
export function expectFieldErrors(response: ApiResponse, fields: string[], instance?: string): void {
  expectProblem(response, 400, instance);
  expect(Array.isArray(response.body.errors)).toBe(true);
  for (const error of response.body.errors) {
    expect(error).toEqual({ field: expect.any(String), message: expect.any(String) });
    expect(error.message.length).toBeGreaterThan(0);
  }
  const named = response.body.errors.map((error: { field: string }) => error.field);
  for (const field of fields) expect(named).toContain(field);
}

export const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();
