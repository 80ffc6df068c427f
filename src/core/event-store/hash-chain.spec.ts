import { createHash } from 'node:crypto';
import {
  ChainLink,
  ChainVerifier,
  GENESIS_HASH,
  canonicalJson,
  chainedMetadata,
  eventBreak,
  eventHash,
  headBreak,
  verifyChain,
  withStoredDataText,
} from './hash-chain';

/** A stream of `count` events chained exactly as the stores chain them on append. */
function chain(
  streamName: string,
  count: number,
  data: (revision: number) => unknown = (revision) => ({ step: revision, note: `event ${revision}` }),
): ChainLink[] {
  const events: ChainLink[] = [];
  let prevHash = GENESIS_HASH;
  for (let revision = 0; revision < count; revision++) {
    const link: ChainLink = {
      streamName,
      revision,
      type: revision % 2 === 0 ? 'Even' : 'Odd',
      data: data(revision),
      metadata: { actor: { id: 'agent-1', role: 'agent' }, commandId: `${streamName}/${revision}`, schemaVersion: 1 },
    };
    const metadata = chainedMetadata(link, prevHash);
    events.push({ ...link, metadata });
    prevHash = metadata['hash'] as string;
  }
  return events;
}

/** The hash computed without the module: sha256 over JSON with every object's keys sorted. */
function independentHash(link: ChainLink, prevHash: string): string {
  const { hash: _hash, ...metadata } = link.metadata;
  const sorted = JSON.stringify(
    { stream: link.streamName, revision: link.revision, type: link.type, data: link.data, metadata, prevHash },
    (_key, value: unknown) =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : value,
  );
  return createHash('sha256').update(sorted, 'utf8').digest('hex');
}

describe('canonicalJson', () => {
  it('sorts object keys at every depth, whatever the insertion order', () => {
    const a = { b: 1, a: { d: [{ z: 1, y: 2 }], c: null } };
    const b = { a: { c: null, d: [{ y: 2, z: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('has no insignificant whitespace, but keeps whitespace inside strings', () => {
    expect(canonicalJson({ text: ' two  spaces\tand a tab\n', list: [1, 2, { k: 'v' }] })).toBe(
      '{"list":[1,2,{"k":"v"}],"text":" two  spaces\\tand a tab\\n"}',
    );
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
  });

  it('drops undefined members as JSON does, writes undefined array items as null, and a bare undefined as null', () => {
    expect(canonicalJson({ kept: 1, dropped: undefined, nested: { gone: undefined } })).toBe('{"kept":1,"nested":{}}');
    expect(canonicalJson([1, undefined, 3])).toBe('[1,null,3]');
    expect(canonicalJson(undefined)).toBe('null');
    const value = { a: undefined, b: [undefined, { c: undefined, d: 'x' }], e: null };
    expect(canonicalJson(value)).toBe(canonicalJson(JSON.parse(JSON.stringify(value))));
  });

  it('sorts integer-like keys as text and keeps an own __proto__ member, at any depth', () => {
    // An object lists integer-like keys first, in numeric order: RFC 8785 sorts them as text.
    expect(canonicalJson({ b: 1, 10: 'ten', 9: 'nine', a: 2 })).toBe('{"10":"ten","9":"nine","a":2,"b":1}');
    expect(canonicalJson({ list: [{ 2: 'x', 11: 'y' }], z: { 4294967295: 1, 1: 2 } })).toBe(
      '{"list":[{"11":"y","2":"x"}],"z":{"1":2,"4294967295":1}}',
    );
    const parsed = JSON.parse('{"z":1,"__proto__":{"polluted":true},"a":2}') as unknown;
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"polluted":true},"a":2,"z":1}');
  });

  it('writes each shape of object by its own keys, even when key names could run two shapes together', () => {
    // Both shapes' keys, joined with U+0000, give the same text.
    expect(canonicalJson({ 'a\u0000b': 1, c: 2 })).toBe('{"a\\u0000b":1,"c":2}');
    expect(canonicalJson({ a: 3, 'b\u0000c': 4 })).toBe('{"a":3,"b\\u0000c":4}');
    expect(canonicalJson({ 'a\u0000b': 5, c: 6 })).toBe('{"a\\u0000b":5,"c":6}');
  });

  it('writes members JSON cannot hold as null, and values with toJSON as what it returns', () => {
    expect(canonicalJson({ run: () => 1, tag: Symbol('s'), kept: 'x' })).toBe('{"kept":"x","run":null,"tag":null}');
    expect(canonicalJson([() => 1])).toBe('[null]');
    expect(canonicalJson({ at: new Date('2026-01-02T03:04:05.000Z'), custom: { toJSON: () => ({ z: 1, y: 2 }) } })).toBe(
      '{"at":"2026-01-02T03:04:05.000Z","custom":{"y":2,"z":1}}',
    );
  });

  it('keeps array order (arrays are sequences, not sets)', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson(['b', 'a'])).not.toBe(canonicalJson(['a', 'b']));
    expect(canonicalJson([{ b: 2, a: 1 }, [{ d: 4, c: 3 }]])).toBe('[{"a":1,"b":2},[{"c":3,"d":4}]]');
  });

  it('writes primitives as JSON does', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(false)).toBe('false');
    expect(canonicalJson(0)).toBe('0');
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson(12.5)).toBe('12.5');
    expect(canonicalJson(1e21)).toBe('1e+21');
    expect(canonicalJson('say "hi"')).toBe('"say \\"hi\\""');
  });

  it('keeps non-ASCII text as is, escapes control characters and lone surrogates, and sorts keys by UTF-16 code unit', () => {
    expect(canonicalJson({ text: 'Café ☕ 中文 😀' })).toBe('{"text":"Café ☕ 中文 😀"}');
    expect(canonicalJson('\u0001')).toBe('"\\u0001"');
    expect(canonicalJson('\ud800')).toBe('"\\ud800"');
    // Code-unit order (as RFC 8785): upper case before lower case, U+00E9 after ASCII, a surrogate pair (U+1F600) before U+FF01.
    expect(canonicalJson({ é: 1, a: 2, B: 3, aa: 4, '！': 5, '😀': 6 })).toBe('{"B":3,"a":2,"aa":4,"é":1,"😀":6,"！":5}');
    const parsed = JSON.parse(canonicalJson({ é: 'ü', nested: { '😀': ['ß'] } }));
    expect(parsed).toEqual({ é: 'ü', nested: { '😀': ['ß'] } });
  });

  it('encodes a value the same before and after a JSON round trip, also for values with toJSON such as Date', () => {
    // The hash is computed on append over the value given and verified later over the parsed stored JSON:
    // both must encode alike or a freshly written event fails verification.
    const value = { at: new Date('2025-03-03T09:00:00.000Z'), nested: [{ when: new Date(0) }] };
    expect(canonicalJson(value)).toBe(canonicalJson(JSON.parse(JSON.stringify(value))));
  });
});

describe('eventHash and chainedMetadata', () => {
  const link: ChainLink = {
    streamName: 'order-c1',
    revision: 3,
    type: 'ApologyIssued',
    data: { message: 'Sorry', channel: 'email', by: { role: 'agent', id: 'a-1' } },
    metadata: { occurredAt: '2025-03-03T09:00:00.000Z', actor: { id: 'a-1', role: 'agent' }, schemaVersion: 2 },
  };
  const prev = 'ab'.repeat(32);

  it('is SHA-256 (hex) over the canonical stream, revision, type, data, metadata without hash, and prevHash', () => {
    const withPrev = { ...link, metadata: { ...link.metadata, prevHash: prev } };
    expect(eventHash(withPrev, prev)).toMatch(/^[0-9a-f]{64}$/);
    expect(eventHash(withPrev, prev)).toBe(independentHash(withPrev, prev));
    const canonical = canonicalJson({
      stream: link.streamName,
      revision: 3,
      type: link.type,
      data: link.data,
      metadata: withPrev.metadata,
      prevHash: prev,
    });
    expect(eventHash(withPrev, prev)).toBe(createHash('sha256').update(canonical, 'utf8').digest('hex'));
  });

  it('leaves metadata.hash out, and does not depend on key order', () => {
    expect(eventHash({ ...link, metadata: { ...link.metadata, hash: 'whatever' } }, prev)).toBe(eventHash(link, prev));
    const reordered: ChainLink = {
      data: { by: { id: 'a-1', role: 'agent' }, channel: 'email', message: 'Sorry' },
      metadata: { schemaVersion: 2, actor: { role: 'agent', id: 'a-1' }, occurredAt: '2025-03-03T09:00:00.000Z' },
      type: link.type,
      revision: link.revision,
      streamName: link.streamName,
    };
    expect(eventHash(reordered, prev)).toBe(eventHash(link, prev));
  });

  it('changes with every covered part', () => {
    const base = eventHash(link, prev);
    const variants: ChainLink[] = [
      { ...link, streamName: 'order-c2' },
      { ...link, revision: 4 },
      { ...link, type: 'ExplanationGiven' },
      { ...link, data: { ...(link.data as object), message: 'Sorry!' } },
      { ...link, metadata: { ...link.metadata, actor: { id: 'a-2', role: 'agent' } } },
      { ...link, metadata: { ...link.metadata, schemaVersion: 1 } },
    ];
    for (const variant of variants) expect(eventHash(variant, prev)).not.toBe(base);
    expect(eventHash(link, GENESIS_HASH)).not.toBe(base);
  });

  it('chainedMetadata keeps the metadata and adds prevHash and the hash over it', () => {
    const metadata = chainedMetadata(link, prev);
    expect(metadata).toEqual({ ...link.metadata, prevHash: prev, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(metadata['hash']).toBe(independentHash({ ...link, metadata }, prev));
    expect(link.metadata).not.toHaveProperty('prevHash');
  });

  it('GENESIS_HASH is 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });
});

describe('verifyChain', () => {
  const STREAM = 'order-verify';

  it('accepts an intact chain and an empty one', () => {
    const events = chain(STREAM, 5);
    expect(events[0].metadata['prevHash']).toBe(GENESIS_HASH);
    expect(verifyChain(events)).toEqual({ valid: true, events: 5 });
    expect(verifyChain([])).toEqual({ valid: true, events: 0 });
  });

  it('accepts events that went through JSON (as stored and read back)', () => {
    const events = chain(STREAM, 4, (revision) => ({ step: revision, optional: undefined, list: [revision, undefined] }));
    expect(verifyChain(JSON.parse(JSON.stringify(events)))).toEqual({ valid: true, events: 4 });
  });

  it('names the revision whose data was altered', () => {
    const events = chain(STREAM, 5);
    events[2] = { ...events[2], data: { step: 2, note: 'altered' } };
    expect(verifyChain(events)).toEqual({ valid: false, events: 5, brokenAt: 2, reason: expect.stringMatching(/altered/) });
  });

  it('names the revision whose type, metadata or stored hash was altered', () => {
    const alter = (change: (event: ChainLink) => ChainLink, at: number) => {
      const events = chain(STREAM, 5);
      events[at] = change(events[at]);
      return verifyChain(events);
    };
    expect(alter((event) => ({ ...event, type: 'Other' }), 1)).toMatchObject({ valid: false, brokenAt: 1 });
    expect(
      alter((event) => ({ ...event, metadata: { ...event.metadata, actor: { id: 'intruder', role: 'supervisor' } } }), 3),
    ).toMatchObject({ valid: false, brokenAt: 3 });
    expect(alter((event) => ({ ...event, metadata: { ...event.metadata, hash: 'f'.repeat(64) } }), 4)).toMatchObject({
      valid: false,
      brokenAt: 4,
    });
  });

  it('names a removed revision as missing, including the first', () => {
    const middle = chain(STREAM, 5).filter((event) => event.revision !== 2);
    expect(verifyChain(middle)).toEqual({ valid: false, events: 4, brokenAt: 2, reason: expect.stringMatching(/revision 2 is missing/) });
    const first = chain(STREAM, 3).slice(1);
    expect(verifyChain(first)).toMatchObject({ valid: false, brokenAt: 0, reason: expect.stringMatching(/missing/) });
  });

  it('names the first revision out of place when events are reordered', () => {
    const events = chain(STREAM, 5);
    const reordered = [events[0], events[2], events[1], events[3], events[4]];
    expect(verifyChain(reordered)).toMatchObject({ valid: false, events: 5, brokenAt: 1 });
  });

  it('catches a removal hidden by renumbering the later events', () => {
    const events = chain(STREAM, 5);
    const renumbered = [events[0], events[1], { ...events[3], revision: 2 }, { ...events[4], revision: 3 }];
    expect(verifyChain(renumbered)).toMatchObject({ valid: false, brokenAt: 2 });
  });

  it('catches swapped payloads at the first of the two revisions', () => {
    const events = chain(STREAM, 5);
    const [two, four] = [events[2], events[4]];
    events[2] = { ...two, data: four.data };
    events[4] = { ...four, data: two.data };
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAt: 2 });
  });

  it('names the next revision when an event was altered and given a matching new hash (its successor no longer links)', () => {
    const events = chain(STREAM, 5);
    const forged: ChainLink = { ...events[2], data: { step: 2, note: 'forged' } };
    events[2] = { ...forged, metadata: chainedMetadata(forged, events[1].metadata['hash'] as string) };
    expect(verifyChain(events)).toEqual({ valid: false, events: 5, brokenAt: 3, reason: expect.stringMatching(/prevHash/) });
  });

  it('names the revision whose prevHash does not link to its predecessor, including a first event not linked to genesis', () => {
    const events = chain(STREAM, 4);
    events[2] = { ...events[2], metadata: { ...events[2].metadata, prevHash: events[0].metadata['hash'] } };
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAt: 2, reason: expect.stringMatching(/prevHash/) });

    const rooted = chain(STREAM, 2);
    const link = { ...rooted[0], metadata: { actor: rooted[0].metadata['actor'] } };
    const notGenesis = chainedMetadata(link, '1'.repeat(64));
    expect(verifyChain([{ ...link, metadata: notGenesis }])).toMatchObject({
      valid: false,
      brokenAt: 0,
      reason: expect.stringMatching(/prevHash/),
    });
  });

  it('reports a chain with prevHash or hash missing as broken', () => {
    const events = chain(STREAM, 3);
    const { hash: _hash, ...withoutHash } = events[1].metadata;
    expect(verifyChain([events[0], { ...events[1], metadata: withoutHash }, events[2]])).toMatchObject({ valid: false, brokenAt: 1 });
    const { prevHash: _prev, ...withoutPrev } = events[0].metadata;
    expect(verifyChain([{ ...events[0], metadata: withoutPrev }])).toMatchObject({ valid: false, brokenAt: 0 });
  });

  it('cannot tell a chain truncated at its end from a shorter one (why callers compare the count)', () => {
    expect(verifyChain(chain(STREAM, 5).slice(0, 3))).toEqual({ valid: true, events: 3 });
  });
});

describe('ChainVerifier over interleaved streams', () => {
  /** Interleaves streams round-robin, as the global log would hold them. */
  function interleave(...streams: ChainLink[][]): ChainLink[] {
    const log: ChainLink[] = [];
    for (let index = 0; index < Math.max(...streams.map((stream) => stream.length)); index++) {
      for (const stream of streams) if (stream[index]) log.push(stream[index]);
    }
    return log;
  }

  it('verifies each stream on its own from one pass over the log', () => {
    const verifier = new ChainVerifier();
    for (const event of interleave(chain('a', 4), chain('b', 6), chain('c', 1))) verifier.add(event);
    expect(verifier.streamNames).toEqual(['a', 'b', 'c']);
    expect(verifier.verdict('a')).toEqual({ valid: true, events: 4 });
    expect(verifier.verdict('b')).toEqual({ valid: true, events: 6 });
    expect(verifier.verdict('c')).toEqual({ valid: true, events: 1 });
    expect(verifier.verdict('unknown')).toEqual({ valid: true, events: 0 });
  });

  it('keeps a break to its stream and reports the first break, counting every event', () => {
    const a = chain('a', 5);
    const b = chain('b', 5);
    b[1] = { ...b[1], data: { tampered: true } };
    b[3] = { ...b[3], data: { tampered: true } };
    const c = chain('c', 5).filter((event) => event.revision !== 4);
    const verifier = new ChainVerifier();
    for (const event of interleave(a, b, c)) verifier.add(event);
    expect(verifier.verdict('a')).toEqual({ valid: true, events: 5 });
    expect(verifier.verdict('b')).toEqual({ valid: false, events: 5, brokenAt: 1, reason: expect.stringMatching(/altered/) });
    expect(verifier.verdict('c')).toEqual({ valid: true, events: 4 });
  });

  it('does not confuse streams whose events are identical apart from the stream name', () => {
    const a = chain('a', 3);
    const b = chain('b', 3);
    // b's event 1 replaced by a's (same type, data and metadata shape, hash valid for stream a).
    const log = interleave(a, [b[0], { ...a[1], streamName: 'b' }, b[2]]);
    const verifier = new ChainVerifier();
    for (const event of log) verifier.add(event);
    expect(verifier.verdict('a')).toEqual({ valid: true, events: 3 });
    expect(verifier.verdict('b')).toMatchObject({ valid: false, brokenAt: 1 });
  });
});

describe('checking an event read with its stored text', () => {
  /** The chain's events as a store reads them: data parsed from `text` (by default the canonical JSON the store writes), the text kept. */
  function asRead(link: ChainLink, text = canonicalJson(link.data)): ChainLink {
    return withStoredDataText({ ...link, data: JSON.parse(text) as unknown }, text);
  }
  const events = chain('case-text', 3, (revision) => ({ note: `event ${revision}`, amount: { value: 10 * revision, currency: 'GBP' } }));

  it('accepts the canonical text the store writes, and the same data written in another key order or with whitespace', () => {
    expect(verifyChain(events.map((event) => asRead(event))).valid).toBe(true);
    const reordered = `{ "amount": {"currency":"GBP","value":10}, "note": "event 1" }`;
    expect(eventBreak(asRead(events[1], reordered))).toBeUndefined();
    expect(headBreak([events[0], asRead(events[1], reordered)])).toBeUndefined();
  });

  it('refuses text whose data differs, however it is written', () => {
    for (const text of [
      '{"amount":{"currency":"GBP","value":11},"note":"event 1"}',
      '{"amount":{"currency":"GBP","value":10},"note":"event 2"}',
    ]) {
      expect(eventBreak(asRead(events[1], text))).toMatch(/altered/);
      expect(headBreak([events[0], asRead(events[1], text)])).toMatchObject({ revision: 1 });
      expect(verifyChain([events[0], asRead(events[1], text), events[2]])).toMatchObject({ valid: false, brokenAt: 1 });
    }
  });

  it('checks the data in hand when it is not the data parsed from the text: a copy with other data, or other data put in its place', () => {
    const copy = { ...asRead(events[1]), data: { ...(events[1].data as object), note: 'forged' } };
    const replaced = Object.assign(asRead(events[1]), { data: { ...(events[1].data as object), note: 'forged' } });
    for (const forged of [copy, replaced]) {
      expect(eventBreak(forged)).toMatch(/altered/);
      const verifier = new ChainVerifier();
      verifier.add(events[0]);
      verifier.add(forged);
      expect(verifier.verdict('case-text')).toMatchObject({ valid: false, brokenAt: 1 });
    }
  });
});
