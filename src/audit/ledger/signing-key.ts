import { KeyObject, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app-config';
import { generatedSecret } from '../../config/secret-file';
import { LedgerPublicJwk, SignedCheckpoint, checkpointSigningInput, jwkThumbprint } from './checkpoint-verification';

export const LEDGER_KEY_FILE_NAME = 'ledger-signing-key';

export interface LedgerSigningKey {
  readonly publicJwk: LedgerPublicJwk;
  readonly keyId: string;
  /** Where it came from, for logs (never the key itself). */
  readonly source: 'LEDGER_SIGNING_KEY_FILE' | 'generated' | 'DATA_DIR';
  readonly file: string;
  sign(checkpoint: Omit<SignedCheckpoint, 'signature' | 'keyId'>): SignedCheckpoint;
}

/**
 * The Ed25519 key checkpoints are signed with: the PEM file LEDGER_SIGNING_KEY_FILE names; otherwise (never in
 * production) one made on first start in DATA_DIR/ledger-signing-key, mode 0600 — the same file discipline as
 * the token secret (src/config/secret-file.ts).
 */
export function resolveLedgerSigningKey(config: Pick<AppConfig, 'ledger' | 'dataDir'>): LedgerSigningKey {
  if (config.ledger.signingKeyFile) {
    const file = config.ledger.signingKeyFile;
    return signingKey(ed25519(readFileSync(file, 'utf8'), file), 'LEDGER_SIGNING_KEY_FILE', file);
  }
  if (config.ledger.production)
    throw new Error('NODE_ENV=production needs LEDGER_SIGNING_KEY_FILE: a ledger signing key is never generated in production');
  const { value, file, created } = generatedSecret(join(config.dataDir, LEDGER_KEY_FILE_NAME), {
    make: () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().trim(),
    parse: ed25519,
    setting: 'LEDGER_SIGNING_KEY_FILE',
  });
  return signingKey(value, created ? 'generated' : 'DATA_DIR', file);
}

function ed25519(pem: string, file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new Error(`${file} holds no PEM private key: delete it to have a new one made, or set LEDGER_SIGNING_KEY_FILE`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`${file} holds a ${key.asymmetricKeyType ?? 'non-asymmetric'} key, not an Ed25519 one`);
  return key;
}

function signingKey(privateKey: KeyObject, source: LedgerSigningKey['source'], file: string): LedgerSigningKey {
  const { x } = createPublicKey(privateKey).export({ format: 'jwk' });
  const keyId = jwkThumbprint({ crv: 'Ed25519', kty: 'OKP', x: String(x) });
  const publicJwk: LedgerPublicJwk = { kty: 'OKP', crv: 'Ed25519', x: String(x), kid: keyId, alg: 'EdDSA', use: 'sig' };
  return {
    publicJwk,
    keyId,
    source,
    file,
    sign(checkpoint) {
      const unsigned = { treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash, issuedAt: checkpoint.issuedAt, keyId };
      return { ...unsigned, signature: sign(null, checkpointSigningInput(unsigned), privateKey).toString('base64url') };
    },
  };
}
