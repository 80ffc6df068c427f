import { createHash, createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { canonicalBytes, canonicalize } from './rfc8785';
import { leafHash, verifyConsistency, verifyInclusion } from './rfc9162';

/**
 * What a witness or an auditor needs to check the ledger's statements offline: checkpoint
 * signatures, inclusion and consistency proofs, leaves and event chain hashes. It depends only on the
 * RFC 8785 / RFC 9162 modules and node:crypto, so it can be lifted out of Redress with them.
 */

/** A signed tree head. The signature covers the JCS canonical JSON of the checkpoint without `signature`. */
export interface SignedCheckpoint {
  readonly treeSize: number;
  /** Lowercase hex SHA-256 tree head (RFC 9162 MTH). */
  readonly rootHash: string;
  readonly issuedAt: string;
  /** The RFC 7638 thumbprint of the signing key's JWK. */
  readonly keyId: string;
  /** Ed25519, base64url. */
  readonly signature: string;
}

/** The Ed25519 public key as a JWK (RFC 8037), with its thumbprint as `kid`. */
export interface LedgerPublicJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly kid: string;
  readonly alg: 'EdDSA';
  readonly use: 'sig';
}

/** The bytes a checkpoint's signature covers. */
export function checkpointSigningInput(checkpoint: Omit<SignedCheckpoint, 'signature'>): Buffer {
  return canonicalBytes({
    issuedAt: checkpoint.issuedAt,
    keyId: checkpoint.keyId,
    rootHash: checkpoint.rootHash,
    treeSize: checkpoint.treeSize,
  });
}

/** RFC 7638 thumbprint of an Ed25519 public JWK: base64url SHA-256 of {crv, kty, x} in canonical form. */
export function jwkThumbprint(jwk: { crv: string; kty: string; x: string }): string {
  return createHash('sha256')
    .update(canonicalize({ crv: jwk.crv, kty: jwk.kty, x: jwk.x }))
    .digest('base64url');
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Why the checkpoint cannot be trusted with this key, or undefined when its signature holds. */
export function checkpointProblem(checkpoint: SignedCheckpoint, key: LedgerPublicJwk): string | undefined {
  if (!Number.isSafeInteger(checkpoint.treeSize) || checkpoint.treeSize < 0) return 'the checkpoint has no valid treeSize';
  if (typeof checkpoint.rootHash !== 'string' || !HEX64.test(checkpoint.rootHash)) return 'the checkpoint has no valid rootHash';
  if (key.kty !== 'OKP' || key.crv !== 'Ed25519') return 'the public key is not an Ed25519 JWK';
  const thumbprint = jwkThumbprint(key);
  if (checkpoint.keyId !== thumbprint)
    return `the checkpoint was signed with key ${checkpoint.keyId}, not with the trusted key ${thumbprint}`;
  const publicKey = createPublicKey({ key: { kty: key.kty, crv: key.crv, x: key.x } as JsonWebKey, format: 'jwk' });
  const valid = verify(null, checkpointSigningInput(checkpoint), publicKey, Buffer.from(String(checkpoint.signature), 'base64url'));
  return valid ? undefined : 'the checkpoint signature does not verify: it was altered or not signed with this key';
}

/** The leaf hash of an event: HASH(0x00 || JCS({hash, index, revision, stream})). */
export function eventLeafHash(entry: { hash: string; index: number; revision: number; stream: string }): Buffer {
  return leafHash(canonicalBytes({ hash: entry.hash, index: entry.index, revision: entry.revision, stream: entry.stream }));
}

const bytes = (hex: string) => Buffer.from(hex, 'hex');

/** Does the audit path prove this leaf in the checkpoint's tree? */
export function inclusionHolds(
  leafHashHex: string,
  leafIndex: number,
  checkpoint: Pick<SignedCheckpoint, 'treeSize' | 'rootHash'>,
  auditPath: readonly string[],
): boolean {
  return verifyInclusion(bytes(leafHashHex), leafIndex, checkpoint.treeSize, auditPath.map(bytes), bytes(checkpoint.rootHash));
}

/** Does the path prove that `later` extends `earlier`? */
export function consistencyHolds(
  earlier: Pick<SignedCheckpoint, 'treeSize' | 'rootHash'>,
  later: Pick<SignedCheckpoint, 'treeSize' | 'rootHash'>,
  path: readonly string[],
): boolean {
  return verifyConsistency(earlier.treeSize, later.treeSize, bytes(earlier.rootHash), bytes(later.rootHash), path.map(bytes));
}

/**
 * An event's chain hash from its stored fields (the recipe of the event store's hash chain): SHA-256 of
 * the canonical JSON of {stream, revision, type, data, metadata without hash, prevHash}.
 */
export function eventChainHash(event: {
  streamName: string;
  revision: number;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}): string {
  const { hash: _hash, ...metadata } = event.metadata;
  const canonical = canonicalize({
    stream: event.streamName,
    revision: event.revision,
    type: event.type,
    data: event.data,
    metadata,
    prevHash: metadata['prevHash'],
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
