import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { loadConfig } from './config/app-config';

/** Starts the HTTP service on the configured (or given) address; it runs until a signal stops it. */
export async function serve(overrides: { readonly port?: number; readonly host?: string } = {}): Promise<void> {
  const config = loadConfig({
    ...process.env,
    ...(overrides.port !== undefined ? { PORT: String(overrides.port) } : {}),
    ...(overrides.host !== undefined ? { HOST: overrides.host } : {}),
  });
  const app = await createApp({ config });
  await app.listen({ port: config.port, host: config.host });
  Logger.log(`Redress listening on ${await app.getUrl()} (data in ${config.dataDir}); API docs at /docs`, 'Redress');
}
