import { randomBytes } from 'node:crypto';
import {
  ERASED,
  UNREADABLE,
  fieldOf,
  isSealed,
  openValue,
  parseSealed,
  sealValue,
  SealedValueError,
  type SealContext,
} from './sealed-value';

const KEY = randomBytes(32);
const OTHER_KEY = randomBytes(32);
const CONTEXT: SealContext = {
  customerId: 'cust-42',
  keyGeneration: 1,
  streamName: 'complaint-case-1',
  field: fieldOf('ComplaintReceived', 'contact.email'),
};
const PLAINTEXT = 'ada.lovelace@example.com';

/** Rewrites one dot-separated part of a sealed value (0 = version, 1 = customer, …, 6 = ciphertext). */
function withPart(sealed: string, index: number, part: string): string {
  const parts = sealed.split('.');
  parts[index] = part;
  return parts.join('.');
}
const b64u = (text: string) => Buffer.from(text).toString('base64url');

describe('a sealed value', () => {
  it('is a string labelled with its customer, key generation, stream and field, opening to the plaintext with the key', () => {
    const sealed = sealValue(PLAINTEXT, KEY, CONTEXT);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(PLAINTEXT);
    expect(sealed.split('.')).toHaveLength(7);
    expect(parseSealed(sealed)).toMatchObject(CONTEXT);
    expect(openValue(parseSealed(sealed)!, KEY)).toBe(PLAINTEXT);
  });

  it('uses a fresh IV every time: the same plaintext never seals the same way', () => {
    const values = new Set(Array.from({ length: 20 }, () => sealValue(PLAINTEXT, KEY, CONTEXT)));
    expect(values.size).toBe(20);
    const ivs = new Set([...values].map((value) => value.split('.')[5]));
    expect(ivs.size).toBe(20);
  });

  it('seals any text, including none and text in any script', () => {
    for (const text of ['', ' ', 'Zoë Ørsted — “quoted”', '顧客の苦情', 'x'.repeat(20_000), 'pd1.looks.like.a.sealed.value']) {
      expect(openValue(parseSealed(sealValue(text, KEY, CONTEXT))!, KEY)).toBe(text);
    }
  });

  it('refuses a tampered ciphertext or tag', () => {
    const sealed = sealValue(PLAINTEXT, KEY, CONTEXT);
    const payload = Buffer.from(sealed.split('.')[6], 'base64url');
    for (const index of [0, payload.length - 1]) {
      const tampered = Buffer.from(payload);
      tampered[index] ^= 0x01;
      expect(() => openValue(parseSealed(withPart(sealed, 6, tampered.toString('base64url')))!, KEY)).toThrow(SealedValueError);
    }
    const iv = Buffer.from(sealed.split('.')[5], 'base64url');
    iv[0] ^= 0x80;
    expect(() => openValue(parseSealed(withPart(sealed, 5, iv.toString('base64url')))!, KEY)).toThrow(SealedValueError);
  });

  it("refuses another customer's key", () => {
    const sealed = sealValue(PLAINTEXT, KEY, CONTEXT);
    expect(() => openValue(parseSealed(sealed)!, OTHER_KEY)).toThrow(SealedValueError);
  });

  it('binds the customer, generation, stream and field (the authenticated data): a relabelled value does not open', () => {
    const sealed = sealValue(PLAINTEXT, KEY, CONTEXT);
    const relabelled = [
      withPart(sealed, 1, b64u('cust-43')),
      withPart(sealed, 2, '2'),
      withPart(sealed, 3, b64u('complaint-case-2')),
      withPart(sealed, 4, b64u(fieldOf('ComplaintReceived', 'summary'))),
      withPart(sealed, 4, b64u(fieldOf('CustomerContactLogged', 'contact.email'))),
    ];
    for (const value of relabelled) {
      expect(parseSealed(value)).toBeDefined();
      expect(() => openValue(parseSealed(value)!, KEY)).toThrow(SealedValueError);
    }
  });

  it('says nothing of the plaintext or the key when refused', () => {
    const sealed = sealValue(PLAINTEXT, KEY, CONTEXT);
    try {
      openValue(parseSealed(sealed)!, OTHER_KEY);
      throw new Error('opened');
    } catch (error) {
      const message = (error as Error).message;
      expect(message).not.toContain(PLAINTEXT);
      for (const key of [KEY, OTHER_KEY])
        for (const encoding of ['hex', 'base64', 'base64url'] as const) expect(message).not.toContain(key.toString(encoding));
    }
  });

  it('is told apart from ordinary text, and from the reader markers', () => {
    for (const text of [
      '',
      'pd1',
      'pd1.',
      'Parcel arrived damaged',
      ERASED,
      UNREADABLE,
      'pd1.a.1.b.c.d.e',
      `pd2${sealValue('x', KEY, CONTEXT).slice(3)}`,
    ]) {
      expect({ text, sealed: isSealed(text) }).toEqual({ text, sealed: false });
      expect(parseSealed(text)).toBeUndefined();
    }
    expect(isSealed(42)).toBe(false);
  });

  it('refuses keys that are not 256 bits', () => {
    expect(() => sealValue(PLAINTEXT, randomBytes(16), CONTEXT)).toThrow(RangeError);
  });
});
