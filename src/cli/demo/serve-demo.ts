import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../app.factory';
import { loadConfig } from '../../config/app-config';
import { bearerFor } from '../../identity/public';

export interface ServedDemo {
  readonly app: NestFastifyApplication;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** The dashboard on the demo's period, with an analyst token in the fragment (kept in the tab's sessionStorage, never sent to the server). */
  readonly dashboardUrl: string;
  /** A case timeline page URL with an auditor token, for a given case. */
  timelineUrl(caseId: string): Promise<string>;
  /** `Bearer …` for an actor of the given role. */
  bearer(role: 'analyst' | 'auditor' | 'supervisor', id?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Serves the demo's data directory on loopback with the real clock: the dashboard and the timeline read
 * it through the API like any client. Port 0 picks a free port.
 */
export async function serveDemo(options: {
  dataDir: string;
  port?: number;
  period: { from: string; to: string };
  windowDays: number;
}): Promise<ServedDemo> {
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: 'warn',
    DATA_DIR: options.dataDir,
    HOST: '127.0.0.1',
    PORT: String(options.port ?? 0),
  });
  const app = await createApp({ config });
  await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://127.0.0.1:${port}`;
  const mint = bearerFor(config);
  const bearer = (role: 'analyst' | 'auditor' | 'supervisor', id = `demo-${role}`) => mint({ id, role });
  const token = async (role: 'analyst' | 'auditor') => (await bearer(role)).slice('Bearer '.length);
  const day = (instant: string) => instant.slice(0, 10);
  const lastDay = (instant: string) => new Date(Date.parse(instant) - 1).toISOString().slice(0, 10);
  const query = new URLSearchParams({
    from: day(options.period.from),
    to: lastDay(options.period.to),
    windowDays: String(options.windowDays),
  });
  return {
    app,
    url,
    dashboardUrl: `${url}/dashboard?${query}#token=${await token('analyst')}`,
    timelineUrl: async (caseId) => `${url}/cases/${encodeURIComponent(caseId)}/timeline#token=${await token('auditor')}`,
    bearer,
    close: () => app.close(),
  };
}
