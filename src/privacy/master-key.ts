import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { KEY_BYTES, parseKeyText, type AppConfig, type SecretKeyBytes } from '../config/app-config';
import { generatedSecret } from '../config/secret-file';

export const MASTER_KEY_FILE_NAME = 'master-key';

/** Where the embedded profile keeps the master key it generated. */
export function masterKeyFilePath(config: Pick<AppConfig, 'dataDir'>): string {
  return join(config.dataDir, MASTER_KEY_FILE_NAME);
}

export interface MasterKey {
  readonly key: SecretKeyBytes;
  /** Where it came from, for logs (never the key itself). */
  readonly source: 'MASTER_KEY' | 'generated' | 'DATA_DIR';
  readonly file?: string;
}

/**
 * The key that wraps every customer's data key: MASTER_KEY / MASTER_KEY_FILE when set; otherwise (never in
 * production) 32 random bytes made on first start in DATA_DIR/master-key, mode 0600, and reused by every later
 * start. Losing it loses every customer's personal data, as erasing them all would.
 */
export function resolveMasterKey(config: Pick<AppConfig, 'dataDir' | 'privacy'>): MasterKey {
  if (config.privacy.masterKey !== undefined) return { key: config.privacy.masterKey, source: 'MASTER_KEY' };
  if (config.privacy.production) {
    throw new Error('NODE_ENV=production needs MASTER_KEY or MASTER_KEY_FILE: keys are never generated in production');
  }
  const { value, file, created } = generatedSecret(masterKeyFilePath(config), {
    make: () => randomBytes(KEY_BYTES).toString('base64'),
    parse: (text, path) => {
      const key = parseKeyText(text);
      if (!key)
        throw new Error(
          `${path} holds no usable master key (${KEY_BYTES} bytes in base64): restore it from your backup, or set MASTER_KEY`,
        );
      return key;
    },
    setting: 'MASTER_KEY',
  });
  return { key: value, source: created ? 'generated' : 'DATA_DIR', file };
}
