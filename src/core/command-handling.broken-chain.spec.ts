import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandContext, brokenChainsSeen, handleCommand } from './command-handling';
import type { Decider, DomainCommand, DomainEvent } from './decider';
import { BrokenChainError, GENESIS_HASH, chainedMetadata, headBreak, verifyChain } from './event-store/hash-chain';
import { SqliteEventStore } from './event-store/sqlite-event-store';
import { UpcastingEventStore } from './event-store/upcasting-event-store';

type Noted = DomainEvent<'Noted', { text: string }>;
const decider: Decider<DomainCommand<'Note', { text: string }>, Noted, number> = {
  initialState: 0,
  evolve: (count) => count + 1,
  decide: (command) => [{ type: 'Noted', data: { text: command.data.text } }],
};
let next = 0;
const context = (): CommandContext => ({
  commandId: `command-${next++}`,
  correlationId: 'c',
  causationId: 'c',
  actor: { id: 'a', role: 'agent' },
  occurredAt: '2026-01-01T00:00:00.000Z',
});
const note = (text: string) => ({ type: 'Note' as const, data: { text } });

describe('No writes on a broken chain', () => {
  let dir: string;
  let raw: SqliteEventStore;
  let store: UpcastingEventStore<Noted>;
  const stream = 'note-1';

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redress-chain-'));
    raw = new SqliteEventStore(join(dir, 'events.db'));
    // v1 payloads are upcast on read: the check must hash what was stored, not what the reader sees.
    store = new UpcastingEventStore<Noted>(raw, { Noted: { 1: (data: unknown) => ({ ...(data as object), upcast: true }) } });
    await raw.appendToStream(stream, [{ id: '00000000-0000-4000-8000-000000000000', type: 'Noted', data: { text: 'one' }, metadata: {} }]);
    await raw.appendToStream(stream, [{ id: '00000000-0000-4000-8000-000000000001', type: 'Noted', data: { text: 'two' }, metadata: {} }]);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const edit = (sql: string, ...params: unknown[]) => {
    const db = new Database(join(dir, 'events.db'));
    db.prepare(sql).run(...params);
    db.close();
  };

  it('appends to a sound stream, upcast events included', async () => {
    const read = await store.readStream(stream);
    expect(read[1].data).toEqual({ text: 'two', upcast: true });
    expect(headBreak(read)).toBeUndefined();
    await expect(handleCommand(store, decider, stream, note('three'), context())).resolves.toMatchObject({ revision: 2 });
  });

  it('refuses, naming stream and revision, when the last event was edited, and appends nothing', async () => {
    edit('UPDATE events SET data = \'{"text":"forged"}\' WHERE stream_name = ? AND stream_revision = 1', stream);
    const attempt = handleCommand(store, decider, stream, note('three'), context());
    await expect(attempt).rejects.toThrow(BrokenChainError);
    await expect(attempt).rejects.toMatchObject({ streamName: stream, revision: 1, reason: expect.stringMatching(/does not hash/) });
    expect(await raw.readStream(stream)).toHaveLength(2);
    expect(brokenChainsSeen()).toContainEqual(expect.objectContaining({ stream, revision: 1 }));
  });

  it('refuses when the last event no longer links to its predecessor (one before it was removed)', async () => {
    await handleCommand(store, decider, stream, note('three'), context());
    edit('DELETE FROM events WHERE stream_name = ? AND stream_revision = 1', stream);
    await expect(handleCommand(store, decider, stream, note('four'), context())).rejects.toMatchObject({
      name: 'BrokenChainError',
      revision: 2,
    });
    expect(await raw.readStream(stream)).toHaveLength(2);
  });

  it('refuses when the last event was edited after earlier commands on the stream kept its folded state', async () => {
    await handleCommand(store, decider, stream, note('three'), context());
    await handleCommand(store, decider, stream, note('four'), context());
    edit('UPDATE events SET data = \'{"text":"forged"}\' WHERE stream_name = ? AND stream_revision = 3', stream);
    await expect(handleCommand(store, decider, stream, note('five'), context())).rejects.toMatchObject({
      name: 'BrokenChainError',
      revision: 3,
    });
    expect(await raw.readStream(stream)).toHaveLength(4);
  });

  it('folds each event once across commands on a stream, not the whole stream on every command', async () => {
    let evolved = 0;
    const counting = { ...decider, evolve: (count: number) => (evolved++, count + 1) };
    for (const text of ['three', 'four', 'five', 'six']) await handleCommand(store, counting, stream, note(text), context());
    expect(evolved).toBe(5); // the two events already there, then one per command but the last
    await expect(handleCommand(store, counting, stream, note('seven'), context())).resolves.toMatchObject({ revision: 6 });
    expect(evolved).toBe(6);
  });

  it("decides on another process's appends too, though it appended the head it last saw itself", async () => {
    let counted = -1;
    const counting = {
      ...decider,
      decide: (command: ReturnType<typeof note>, count: number) => ((counted = count), decider.decide(command, count)),
    };
    await handleCommand(store, counting, stream, note('three'), context());
    const otherProcess = new SqliteEventStore(join(dir, 'events.db'));
    await otherProcess.appendToStream(stream, [
      { id: '00000000-0000-4000-8000-0000000000ff', type: 'Noted', data: { text: 'other' }, metadata: {} },
    ]);
    await otherProcess.close();
    await expect(handleCommand(store, counting, stream, note('four'), context())).resolves.toMatchObject({ revision: 4 });
    expect(counted).toBe(4);
  });

  it('decides a command said to start a new stream without reading it, and on what is there if the stream exists after all', async () => {
    const decided: number[] = [];
    const counting = {
      ...decider,
      decide: (command: ReturnType<typeof note>, count: number) => (decided.push(count), decider.decide(command, count)),
    };
    const fresh = { ...context(), newCommandId: true, newStream: true };
    await expect(handleCommand(store, counting, 'note-new', note('first'), fresh)).resolves.toMatchObject({ revision: 0 });
    await expect(
      handleCommand(store, counting, stream, note('three'), { ...context(), newCommandId: true, newStream: true }),
    ).resolves.toMatchObject({
      revision: 2,
    });
    expect(decided).toEqual([0, 0, 2]);
  });

  it('refuses when the recording time of the last event was changed (hash version 2 covers it)', async () => {
    edit("UPDATE events SET recorded_at = '2020-01-01T00:00:00.000Z' WHERE stream_name = ? AND stream_revision = 1", stream);
    await expect(handleCommand(store, decider, stream, note('three'), context())).rejects.toMatchObject({
      revision: 1,
      reason: expect.stringMatching(/recording time was changed/),
    });
  });
});

describe('Hash versions', () => {
  it('version 2 events record their recording instant in the hashed metadata; changing it breaks the chain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-chain-'));
    const raw = new SqliteEventStore(join(dir, 'events.db'));
    try {
      await raw.appendToStream('s-1', [{ id: '00000000-0000-4000-8000-00000000000a', type: 'Noted', data: { text: 'x' }, metadata: {} }]);
      const [event] = await raw.readStream('s-1');
      expect(event.metadata).toMatchObject({ hashVersion: 2, recordedAt: event.recordedAt });
      expect(verifyChain([event])).toEqual({ valid: true, events: 1 });
      expect(verifyChain([{ ...event, recordedAt: '2020-01-01T00:00:00.000Z' }])).toEqual({
        valid: false,
        events: 1,
        brokenAt: 0,
        reason: expect.stringMatching(/recording time was changed: stored 2020-01-01T00:00:00.000Z/),
      });
    } finally {
      await raw.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('version 1 events (no hashVersion) keep verifying under their recipe, whatever their recording time', () => {
    const link = { streamName: 's-1', revision: 0, type: 'Noted', data: { text: 'x' }, metadata: { commandId: 'c' } };
    const v1 = { ...link, metadata: chainedMetadata(link, GENESIS_HASH), recordedAt: '2020-01-01T00:00:00.000Z' };
    expect(verifyChain([v1])).toEqual({ valid: true, events: 1 });
  });
});
