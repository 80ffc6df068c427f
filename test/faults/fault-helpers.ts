/** What the fault specs share: timed HTTP calls to a service process, a steady command load, and waiting for a condition. */
import { withToken } from '../support/test-tokens';

export interface Answer<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  /** How long the answer took, in milliseconds. */
  readonly ms: number;
}

/** One request with a test token (or none: `anonymous`), its answer parsed as JSON when it is JSON. */
export async function call<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; anonymous?: boolean; timeoutMs?: number } = {},
): Promise<Answer<T>> {
  const started = performance.now();
  const headers = await withToken(method, path, options.headers ?? {}, { anonymous: options.anonymous });
  const response = await fetch(baseUrl + path, {
    method,
    headers: options.body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  let body: unknown = text;
  if (/json/.test(response.headers.get('content-type') ?? '') && text !== '') body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: body as T, ms };
}

/** Polls `probe` until it returns a value that is not undefined, or fails after `timeoutMs` naming `what`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Receives complaints one after another, as a front desk would, until stopped: every 201 is an acknowledged
 * command the log must keep. Any answer but 201 (or 503 where the spec allows it) is kept for the spec to see.
 */
export class CommandLoad {
  readonly acknowledged: Array<{ caseId: string; position: number }> = [];
  readonly refused: Array<{ status: number; body: unknown }> = [];
  readonly latenciesMs: number[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly baseUrl: string,
    private readonly everyMs = 20,
  ) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    let n = 0;
    while (this.running) {
      n += 1;
      try {
        const answer = await call<{ caseId: string; position: number }>(this.baseUrl, 'POST', '/cases', {
          body: { customerId: `cust-${n % 50}`, channel: 'email', summary: `Complaint ${n} under fault` },
          timeoutMs: 10_000,
        });
        this.latenciesMs.push(answer.ms);
        if (answer.status === 201) this.acknowledged.push({ caseId: answer.body.caseId, position: answer.body.position });
        else this.refused.push({ status: answer.status, body: answer.body });
      } catch (error) {
        this.refused.push({ status: 0, body: String(error) });
      }
      await pause(this.everyMs);
    }
  }

  /** Acknowledged so far; waits for `more` new acknowledgements first. */
  async waitForMore(more: number, timeoutMs = 15_000): Promise<number> {
    const target = this.acknowledged.length + more;
    await until(`${more} more commands acknowledged`, async () => (this.acknowledged.length >= target ? true : undefined), timeoutMs, 20);
    return this.acknowledged.length;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  get lastPosition(): number {
    return this.acknowledged.reduce((max, { position }) => Math.max(max, position), 0);
  }
}

/** The p-th percentile (0–100) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
