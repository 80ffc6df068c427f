/**
 * `npm run openapi`: writes the service's OpenAPI document to openapi.json at the repository root.
 * It needs nothing but the code: the application is built (not started) on the embedded defaults in a
 * temporary directory, whatever the shell's environment says, so the file is the same on every machine.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp, openApiDocument } from '../src/app.factory';
import { loadConfig } from '../src/config/app-config';

export const OPENAPI_FILE = resolve(__dirname, '..', 'openapi.json');

/** The document as committed: two-space JSON with a final newline. */
export function serialiseOpenApi(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

export async function generateOpenApi(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-openapi-'));
  try {
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error' });
    const app = await createApp({ config });
    try {
      return serialiseOpenApi(openApiDocument(app, config));
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  generateOpenApi()
    .then((text) => {
      writeFileSync(OPENAPI_FILE, text);
      console.log(`Wrote ${OPENAPI_FILE}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
