import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError, loadConfig, SecretKeyBytes } from '../config/app-config';
import { masterKeyFilePath, resolveMasterKey } from './master-key';

describe('the master key', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-master-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is MASTER_KEY when set (base64 or base64url of 32 bytes), and nothing is written', () => {
    const bytes = randomBytes(32);
    for (const text of [bytes.toString('base64'), bytes.toString('base64url')]) {
      const master = resolveMasterKey(loadConfig({ DATA_DIR: dataDir, MASTER_KEY: text }));
      expect(master.source).toBe('MASTER_KEY');
      expect(master.key.bytes().equals(bytes)).toBe(true);
    }
    expect(() => statSync(masterKeyFilePath({ dataDir }))).toThrow();
  });

  it('is read from MASTER_KEY_FILE (a Docker or Kubernetes secret)', () => {
    const bytes = randomBytes(32);
    const file = join(dataDir, 'secret');
    writeFileSync(file, `${bytes.toString('base64')}\n`);
    expect(
      resolveMasterKey(loadConfig({ DATA_DIR: dataDir, MASTER_KEY_FILE: file }))
        .key.bytes()
        .equals(bytes),
    ).toBe(true);
  });

  it('with nothing configured, is made once in DATA_DIR/master-key (mode 0600) and reused', () => {
    const config = loadConfig({ DATA_DIR: join(dataDir, 'not-yet') });
    const first = resolveMasterKey(config);
    expect(first.source).toBe('generated');
    expect(first.key.length).toBe(32);
    expect(statSync(first.file!).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(first.file!, 'utf8').trim(), 'base64').equals(first.key.bytes())).toBe(true);
    const second = resolveMasterKey(config);
    expect(second.source).toBe('DATA_DIR');
    expect(second.key.bytes().equals(first.key.bytes())).toBe(true);
  });

  it('refuses a key file others can read, or one that holds no key', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    const file = masterKeyFilePath(config);
    writeFileSync(file, randomBytes(32).toString('base64'));
    chmodSync(file, 0o644);
    expect(() => resolveMasterKey(config)).toThrow(/readable by other users.*MASTER_KEY/);
    writeFileSync(file, 'c2hvcnQ=');
    chmodSync(file, 0o600);
    expect(() => resolveMasterKey(config)).toThrow(/no usable master key/);
  });

  it('is never generated in production', () => {
    expect(() => resolveMasterKey(loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production', AUTH_SECRET: 's'.repeat(32) }))).toThrow(
      /NODE_ENV=production needs MASTER_KEY or MASTER_KEY_FILE/,
    );
    expect(() => statSync(masterKeyFilePath({ dataDir }))).toThrow();
  });

  it('is validated with the rest of the configuration, whose errors never echo it', () => {
    const almost = randomBytes(31).toString('base64');
    const error = (() => {
      try {
        loadConfig({ MASTER_KEY: almost });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(['MASTER_KEY must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)']);
    expect((error as Error).message).not.toContain(almost);
    expect(() => loadConfig({ MASTER_KEY: 'not base64 at all!' })).toThrow(/MASTER_KEY must be 32 random bytes/);
    expect(() => loadConfig({ MASTER_KEY: randomBytes(32).toString('base64'), MASTER_KEY_FILE: '/etc/hostname' })).toThrow(
      /MASTER_KEY or MASTER_KEY_FILE, not both/,
    );
    expect(() => loadConfig({ MASTER_KEY_FILE: join(dataDir, 'missing') })).toThrow(/MASTER_KEY_FILE cannot be read/);
  });

  it('leaves the key store in DATA_DIR unless KEY_STORE_PATH says where instances share it', () => {
    expect(loadConfig({ DATA_DIR: dataDir }).privacy.keyStorePath).toBeUndefined();
    expect(loadConfig({ DATA_DIR: dataDir, KEY_STORE_PATH: '/shared/keys.db' }).privacy.keyStorePath).toBe('/shared/keys.db');
  });

  it('never prints: JSON, strings and inspection show it redacted', () => {
    const bytes = randomBytes(32);
    const config = loadConfig({ MASTER_KEY: bytes.toString('base64') });
    expect(config.privacy.masterKey).toBeInstanceOf(SecretKeyBytes);
    for (const shown of [
      JSON.stringify(config),
      String(config.privacy.masterKey),
      inspect(config, { depth: 10 }),
      `${config.privacy.masterKey}`,
    ]) {
      for (const encoding of ['hex', 'base64', 'base64url'] as const) expect(shown).not.toContain(bytes.toString(encoding));
      expect(shown).toContain('redacted');
    }
  });
});
