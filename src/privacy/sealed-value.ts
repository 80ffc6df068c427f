import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A sealed value: one personal field, encrypted with its customer's data key (AES-256-GCM, a fresh 12-byte
 * IV each time). It is a string, so events and read models keep their types:
 *
 *   pd1.<customerId>.<keyGeneration>.<streamName>.<field>.<iv>.<ciphertext+tag>
 *
 * every part but the generation in base64url. The customer, the key generation, the stream and the field
 * (`<EventType>/<path>`) are also the additional authenticated data: a value altered, or moved to another
 * customer, stream or field, does not open. The label says which key to use without any lookup, and where
 * the value was written, so a reader that knows where it found the value can check it belongs there.
 */
export const SEALED_VERSION = 'pd1';

/** What every reader shows in place of a personal field whose customer's key was destroyed. */
export const ERASED = '[erased]';
/** What a reader shows for a sealed value it cannot open: altered, misplaced, or sealed with a key it does not hold. */
export const UNREADABLE = '[unreadable]';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const B64U = '[A-Za-z0-9_-]';
const SEALED = new RegExp(`^${SEALED_VERSION}\\.(${B64U}+)\\.([1-9]\\d{0,8})\\.(${B64U}+)\\.(${B64U}+)\\.(${B64U}{16})\\.(${B64U}{22,})$`);

/** Whose key seals a value, and where the value is written. */
export interface SealContext {
  readonly customerId: string;
  readonly keyGeneration: number;
  readonly streamName: string;
  /** `<EventType>/<path in its data>`, e.g. `ComplaintReceived/contact.email`. */
  readonly field: string;
}

export interface SealedValue extends SealContext {
  readonly iv: Buffer;
  /** Ciphertext followed by the 16-byte GCM tag. */
  readonly payload: Buffer;
}

/** The field label of a path in an event's data. */
export function fieldOf(eventType: string, path: string): string {
  return `${eventType}/${path}`;
}

/** Whether a value has the shape of a sealed value (it may still fail to open). */
export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(`${SEALED_VERSION}.`) && SEALED.test(value);
}

/** Random bytes IVs are cut from: one call to the CSPRNG per IV_POOL_SIZE seals rather than one per seal. */
const IV_POOL_SIZE = 256;
let ivPool = Buffer.alloc(0);
let ivPoolAt = 0;

/** A fresh IV: 12 bytes of the CSPRNG's output never used before. */
function freshIv(): Buffer {
  if (ivPoolAt + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_BYTES * IV_POOL_SIZE);
    ivPoolAt = 0;
  }
  const iv = ivPool.subarray(ivPoolAt, ivPoolAt + IV_BYTES);
  ivPoolAt += IV_BYTES;
  return iv;
}

export function sealValue(plaintext: string, key: Buffer, context: SealContext): string {
  assertKey(key);
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(context));
  const payload = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return [
    SEALED_VERSION,
    b64u(context.customerId),
    String(context.keyGeneration),
    b64u(context.streamName),
    b64u(context.field),
    iv.toString('base64url'),
    payload.toString('base64url'),
  ].join('.');
}

/** The parts of a sealed value, or undefined for any other string. */
export function parseSealed(value: string): SealedValue | undefined {
  const match = SEALED.exec(value);
  if (!match) return undefined;
  const [, customerId, generation, streamName, field, iv, payload] = match;
  const parsed = {
    customerId: text(customerId),
    keyGeneration: Number(generation),
    streamName: text(streamName),
    field: text(field),
    iv: Buffer.from(iv, 'base64url'),
    payload: Buffer.from(payload, 'base64url'),
  };
  return parsed.iv.length === IV_BYTES && parsed.payload.length >= TAG_BYTES ? parsed : undefined;
}

/** Whose key sealed a value, and which generation of it; undefined for a value that is not sealed. */
export function sealedBy(value: string): { readonly customerId: string; readonly keyGeneration: number } | undefined {
  const sealed = parseSealed(value);
  return sealed && { customerId: sealed.customerId, keyGeneration: sealed.keyGeneration };
}

/** Refused: the key is not the one that sealed it, or the value (or its label) was altered. */
export class SealedValueError extends Error {
  constructor(
    readonly field: string,
    readonly streamName: string,
  ) {
    super(`A sealed value of ${field} on ${streamName} did not open: it was altered, moved, or sealed with another key`);
    this.name = 'SealedValueError';
  }
}

/** The plaintext of a sealed value; throws SealedValueError when authentication fails. */
export function openValue(sealed: SealedValue, key: Buffer): string {
  assertKey(key);
  const ciphertext = sealed.payload.subarray(0, sealed.payload.length - TAG_BYTES);
  const tag = sealed.payload.subarray(sealed.payload.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(sealed));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedValueError(sealed.field, sealed.streamName);
  }
}

function additionalData({ customerId, keyGeneration, streamName, field }: SealContext): Buffer {
  return Buffer.from(JSON.stringify([SEALED_VERSION, customerId, keyGeneration, streamName, field]), 'utf8');
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new RangeError(`A data key is ${KEY_BYTES} bytes`);
}

function b64u(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64url');
}

function text(value: string): string {
  return Buffer.from(value, 'base64url').toString('utf8');
}
