import { Logger } from '@nestjs/common';
import { Decider, DomainCommand, DomainEvent, fold } from './decider';
import { commandEventIds } from './event-ids';
import { IdempotencyKeyReusedError, StaleRevisionError } from './errors';
import { EventStore, NewEvent, RecordedEvent, WrongExpectedRevisionError } from './event-store/event-store.port';
import { BrokenChainError, headBreak } from './event-store/hash-chain';
import { inSyncSpan } from './tracing';

/** Who asked, and how this command relates to others: recorded on every event it produces. */
export interface CommandContext {
  /** The Idempotency-Key, or a fresh id. Event ids are derived from it where the command may come again (event-ids.ts). */
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: { readonly id: string; readonly role: string };
  /** The instant the command is decided at. */
  readonly occurredAt: string;
  /** From If-Match: append only if the stream is still at this revision. */
  readonly expectedRevision?: number;
  /** The request an Idempotency-Key was bound to (see idempotency-keys.ts): recorded, so a replay can be checked against it. */
  readonly requestFingerprint?: string;
  /** The command id was made for this request (no Idempotency-Key, no id from the payload): no earlier copy can exist. */
  readonly newCommandId?: boolean;
  /** The stream's id was derived from that new command id: the stream cannot exist yet, so it is not read first (the append still insists). */
  readonly newStream?: boolean;
}

export interface CommandResult<Event extends DomainEvent> {
  readonly streamName: string;
  readonly revision: number;
  readonly position: number;
  /** The events this command produced (on a retry: the ones it produced the first time, as recorded). */
  readonly events: readonly Event[];
  /** True when the command had been handled before and this is its original result. */
  readonly replayed: boolean;
}

const MAX_ATTEMPTS = 10;

/**
 * The one command path: read the stream, fold it, decide, append at the revision read.
 * Conflicts with concurrent writers are retried (the decision is re-made on fresh state);
 * a client's own stale If-Match is not, because the client decided on what it saw.
 * `store` reads the stream as the decider's events (see eventStoreOfKind in upcasting-event-store.ts).
 */
export function handleCommand<Command extends DomainCommand, Event extends DomainEvent, State>(
  store: EventStore<NoInfer<Event>>,
  decider: Decider<Command, Event, State>,
  streamName: string,
  command: Command,
  context: CommandContext,
): Promise<CommandResult<Event>> {
  return inTurn(store, streamName, () => decideAndAppend(store, decider, streamName, command, context));
}

const turns = new WeakMap<EventStore, Map<string, Promise<unknown>>>();

/**
 * Commands on one stream take turns within this process. When an append is a network round
 * trip (EventStoreDB), a burst of commands on one stream would otherwise keep invalidating each
 * other's reads and exhaust the retries; other processes' writes are still met by the
 * optimistic revision check and the retries below.
 */
function inTurn<T>(store: EventStore, streamName: string, work: () => Promise<T>): Promise<T> {
  let queues = turns.get(store);
  if (!queues) turns.set(store, (queues = new Map()));
  const run = (queues.get(streamName) ?? Promise.resolve()).then(work);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(streamName, settled);
  void settled.then(() => {
    if (queues.get(streamName) === settled) queues.delete(streamName);
  });
  return run;
}

async function decideAndAppend<Command extends DomainCommand, Event extends DomainEvent, State>(
  store: EventStore<Event>,
  decider: Decider<Command, Event, State>,
  streamName: string,
  command: Command,
  context: CommandContext,
): Promise<CommandResult<Event>> {
  const eventId = commandEventIds(streamName, context.commandId, !context.newCommandId);
  const firstEventId = eventId(0);
  const earlier = context.newCommandId ? undefined : await findEarlierResult<Event>(store, streamName, firstEventId, command.type, context);
  if (earlier) return earlier;

  for (let attempt = 1; ; attempt++) {
    // A retry reads: the append found the stream after all.
    const current =
      attempt === 1 && context.newStream
        ? { revision: undefined, state: decider.initialState, read: [] }
        : await currentState(store, decider, streamName);
    // A concurrent copy of this command may have committed since the check above.
    if (current.read.some((event) => event.id === firstEventId)) {
      return (await findEarlierResult<Event>(store, streamName, firstEventId, command.type, context))!;
    }
    const { revision, state } = current;
    if (context.expectedRevision !== undefined && context.expectedRevision !== revision) {
      throw new StaleRevisionError(streamName, context.expectedRevision, revision ?? 'no_stream');
    }
    const events = inSyncSpan(
      `decide ${command.type}`,
      () => ({ 'redress.stream': streamName, 'redress.revision': revision ?? -1 }),
      () => decider.decide(command, state),
    );
    const toAppend: NewEvent<Event>[] = events.map((event, index) => ({
      ...event,
      id: index === 0 ? firstEventId : eventId(index),
      metadata: eventMetadata(context, command.type),
    }));
    try {
      const appended = await store.appendToStream(streamName, toAppend, revision ?? 'no_stream');
      if (appended.duplicate) return (await findEarlierResult<Event>(store, streamName, eventId(0), command.type, context))!;
      keepAppended(store, streamName, revision, appended.recorded);
      return { streamName, revision: appended.nextExpectedRevision, position: appended.position, events, replayed: false };
    } catch (error) {
      const retry = error instanceof WrongExpectedRevisionError && context.expectedRevision === undefined && attempt < MAX_ATTEMPTS;
      if (!retry) throw toClientError(error, context);
      await pause(attempt);
    }
  }
}

/**
 * A stream's state as folded up to `revision`, and the recorded hash of the event at `revision`; `appended`, the
 * events this process appended after it, as recorded, to fold when the next command needs them.
 */
interface FoldedStream {
  readonly revision: number;
  readonly hash: unknown;
  readonly state: unknown;
  readonly appended?: readonly RecordedEvent[];
}

/** How many streams per store keep their folded state in memory (least recently used first out). */
const FOLDED_STREAMS = 10_000;
const folded = new WeakMap<EventStore, Map<string, FoldedStream>>();

/**
 * The stream's state now, without re-reading and re-folding the whole stream on every command: the state folded
 * up to a revision is kept per stream, and only the events from that revision on are read (the one at that
 * revision included, so that it is seen unchanged and the head of the chain can be checked as before). Anything
 * unexpected (the kept event changed or vanished) falls back to reading the whole stream.
 * `read` is every event read (to look for a concurrent copy of the command among them).
 */
async function currentState<Event extends DomainEvent, State>(
  store: EventStore<Event>,
  decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
  streamName: string,
): Promise<{ revision: number | undefined; state: State; read: readonly RecordedEvent<Event>[] }> {
  let streams = folded.get(store);
  if (!streams) folded.set(store, (streams = new Map()));
  const kept = streams.get(streamName);
  streams.delete(streamName);
  const unread = kept && stillHead(store, streamName, kept);
  if (unread) {
    // Nothing but this process's own appends since: the events it appended are the stream's head, as recorded.
    const appended = unread as readonly RecordedEvent<Event>[];
    const state = fold({ initialState: kept.state as State, evolve: decider.evolve }, appended);
    const last = appended[appended.length - 1] ?? { revision: kept.revision, metadata: { hash: kept.hash } };
    streams.set(streamName, { revision: last.revision, hash: last.metadata['hash'], state });
    return { revision: last.revision, state, read: appended };
  }
  const since = kept && (await store.readStream(streamName, { fromRevision: kept.revision }));
  const continues = since !== undefined && since[0]?.revision === kept!.revision && since[0].metadata['hash'] === kept!.hash;
  const read = continues ? since : await store.readStream(streamName);
  // Never extend a chain that does not hold: the new event would vouch for a tampered past.
  const broken = headBreak(read, continues ? kept!.revision : 0);
  if (broken) throw reportBrokenChain(new BrokenChainError(streamName, broken.revision, broken.reason));
  const last = read[read.length - 1];
  if (!last) return { revision: undefined, state: decider.initialState, read };
  const state = continues ? fold({ initialState: kept!.state as State, evolve: decider.evolve }, read.slice(1)) : fold(decider, read);
  streams.set(streamName, { revision: last.revision, hash: last.metadata['hash'], state });
  if (streams.size > FOLDED_STREAMS) streams.delete(streams.keys().next().value!);
  return { revision: last.revision, state, read };
}

/**
 * The events appended after the kept revision when the store vouches that they are still the stream's head (nothing
 * else has written to the log since it appended them): what a read from the kept revision would give after the
 * kept event, already checked (the store hashed them itself). Undefined when only a read can tell.
 */
function stillHead(store: EventStore, streamName: string, kept: FoldedStream): readonly RecordedEvent[] | undefined {
  const head = store.knownHead?.(streamName);
  if (!head) return undefined;
  const appended = kept.appended ?? [];
  const last = appended[appended.length - 1];
  const expected = last ? { revision: last.revision, hash: last.metadata['hash'] } : kept;
  return head.revision === expected.revision && head.hash === expected.hash ? appended : undefined;
}

/** After an append at `revision` (the state's): the events as recorded, kept to be folded by the next command. */
function keepAppended(store: EventStore, streamName: string, revision: number | undefined, recorded?: readonly RecordedEvent[]): void {
  const kept = folded.get(store)?.get(streamName);
  const follows = recorded?.[0]?.revision === (revision ?? -1) + 1;
  if (!kept || !follows || kept.revision !== revision || kept.appended !== undefined) return;
  folded.get(store)!.set(streamName, { ...kept, appended: recorded });
}

/** Streams found broken by the command path, for operations to see (GET /projections); newest last. */
const brokenChains = new Map<string, BrokenChainError>();
const logger = new Logger('Commands');

export function brokenChainsSeen(): { stream: string; revision: number; reason: string }[] {
  return [...brokenChains.values()].map((error) => ({ stream: error.streamName, revision: error.revision, reason: error.reason }));
}

function reportBrokenChain(error: BrokenChainError): BrokenChainError {
  if (!brokenChains.has(error.streamName)) {
    // Logged once per stream and process: every command on it is refused the same way.
    logger.error(error.message);
  }
  brokenChains.set(error.streamName, error);
  return error;
}

function eventMetadata(context: CommandContext, commandType: string) {
  return {
    actor: context.actor,
    commandId: context.commandId,
    commandType,
    correlationId: context.correlationId,
    causationId: context.causationId,
    occurredAt: context.occurredAt,
    ...(context.requestFingerprint ? { requestFingerprint: context.requestFingerprint } : {}),
  };
}

/** A command whose first event is already stored was processed before: answer as it was answered then. */
async function findEarlierResult<Event extends DomainEvent>(
  store: EventStore<Event>,
  streamName: string,
  firstEventId: string,
  commandType: string,
  { commandId, requestFingerprint }: CommandContext,
): Promise<CommandResult<Event> | undefined> {
  const first = await store.findEventById(firstEventId);
  if (!first) return undefined;
  if (first.metadata['commandType'] !== commandType) {
    throw new IdempotencyKeyReusedError(commandId, String(first.metadata['commandType']));
  }
  // Should the key bindings be lost (a new read store on an old log), the log still tells another request from a retry.
  const recorded = first.metadata['requestFingerprint'];
  if (requestFingerprint !== undefined && recorded !== undefined && recorded !== requestFingerprint) {
    throw new IdempotencyKeyReusedError(commandId, 'another request');
  }
  const following = await store.readStream(streamName, { fromRevision: first.revision });
  const own = takeWhile(following, (event) => event.metadata['commandId'] === commandId);
  const last = own[own.length - 1];
  return { streamName, revision: last.revision, position: last.position, events: own, replayed: true };
}

function toClientError(error: unknown, context: CommandContext): unknown {
  if (error instanceof WrongExpectedRevisionError && context.expectedRevision !== undefined) {
    return new StaleRevisionError(error.streamName, context.expectedRevision, error.actual);
  }
  return error;
}

function takeWhile<T>(items: readonly T[], predicate: (item: T) => boolean): T[] {
  const taken: T[] = [];
  for (const item of items) {
    if (!predicate(item)) break;
    taken.push(item);
  }
  return taken;
}

function pause(attempt: number): Promise<void> {
  const jitterMs = Math.random() * 5 * attempt;
  return new Promise((resolve) => setTimeout(resolve, jitterMs));
}
