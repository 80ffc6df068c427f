import { ChildProcess, spawn } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import { resolve } from 'node:path';
import { TEST_AUTH_SECRET, withToken } from './test-tokens';

const REPO = resolve(__dirname, '../..');

/** A free loopback port, for a child process that cannot be told to pick its own. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((listening) => probe.listen(0, '127.0.0.1', listening));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((closed) => probe.close(() => closed()));
  return port;
}

/**
 * The real service in a child process, as `npm start` would run it but straight from the
 * TypeScript sources, so a test can SIGKILL it the way a power cut would.
 */
export class ServiceProcess {
  private output = '';
  /** Set when the test kills the process: from then on a failed request is expected. */
  killed = false;
  readonly exited: Promise<NodeJS.Signals | number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    this.exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit(signal ?? code)));
    // A service that dies on its own fails the tests after it with no more than "fetch failed": say why, in the run's log.
    child.once('exit', (code, signal) => {
      if (!this.killed)
        process.stderr.write(`The service at ${url} exited on its own (${signal ?? code}); its output:\n${this.output.slice(-20_000)}\n`);
    });
  }

  static async start(dataDir: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: REPO,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
        AUTH_SECRET: TEST_AUTH_SECRET,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service = new ServiceProcess(child, `http://127.0.0.1:${port}`);
    try {
      await service.waitUntilHealthy();
    } catch (error) {
      await service.crash();
      throw error;
    }
    return service;
  }

  /** Everything the process wrote to stdout and stderr so far. */
  get log(): string {
    return this.output;
  }

  /** Sends a signal (the event-loop probe reports on SIGWINCH). */
  signal(signal: NodeJS.Signals): void {
    if (signal !== 'SIGWINCH') this.killed = true;
    this.child.kill(signal);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  private async waitUntilHealthy(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`The service exited before answering /health:\n${this.output}`);
      try {
        if ((await fetch(`${this.url}/health`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((wait) => setTimeout(wait, 100));
    }
    throw new Error(`The service did not answer /health within 60 s:\n${this.output}`);
  }

  /** X-Actor-Id / X-Actor-Role become a bearer token signed with TEST_AUTH_SECRET (see test-tokens.ts). */
  async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const response = await fetch(this.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await withToken('POST', path, headers)) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  async get<T = any>(path: string, headers: Record<string, string> = {}): Promise<T> {
    const response = await fetch(this.url + path, { headers: await withToken('GET', path, headers) });
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
    return (await response.json()) as T;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
  async crash(): Promise<void> {
    this.killed = true;
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }
}
