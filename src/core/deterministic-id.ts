import { createHash } from 'node:crypto';

const REDRESS_NAMESPACE = 'c6f0a6c2-5a7e-4d55-9a1c-6f1f3b0d2e77';

/** Namespaces as bytes, made once each: every command derives several ids. */
const namespaces = new Map<string, Buffer>();

function namespaceBytes(namespace: string): Buffer {
  let bytes = namespaces.get(namespace);
  if (!bytes) namespaces.set(namespace, (bytes = Buffer.from(namespace.replace(/-/g, ''), 'hex')));
  return bytes;
}

/**
 * RFC 4122 version-5 UUID: the same name always gives the same id, which is what makes a
 * retried command append nothing new.
 */
export function uuidV5(name: string, namespace = REDRESS_NAMESPACE): string {
  const hash = createHash('sha1').update(namespaceBytes(namespace)).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
