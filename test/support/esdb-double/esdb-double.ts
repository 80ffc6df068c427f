import * as grpc from '@grpc/grpc-js';
import { GossipService } from '@eventstore/db-client/generated/gossip_grpc_pb';
import * as gossip from '@eventstore/db-client/generated/gossip_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import * as features from '@eventstore/db-client/generated/serverfeatures_pb';
import * as shared from '@eventstore/db-client/generated/shared_pb';
import * as rpcStatus from '@eventstore/db-client/generated/status_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import * as streams from '@eventstore/db-client/generated/streams_pb';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as ProtobufEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { randomUUID } from 'node:crypto';
import {
  AppendOutcome,
  DoubleLog,
  DoubleLogOptions,
  EXPECTED_ANY,
  EXPECTED_NO_STREAM,
  EXPECTED_STREAM_EXISTS,
  ExpectedVersion,
  ProposedEvent,
  StoredEvent,
} from './double-log';

/**
 * A protocol-level double of EventStoreDB / KurrentDB: a real gRPC server, built on the service
 * definitions the official client ships (`@eventstore/db-client/generated`), so the client's own
 * code paths (feature discovery, BatchAppend or Append, Read of streams and $all, catch-up
 * subscriptions, error unpacking, reconnection) run unchanged against it.
 *
 * Implemented: ServerFeatures.GetSupportedMethods, Gossip.Read (one node, the leader),
 * Streams.Append, Streams.BatchAppend, Streams.Read (a stream or $all, forwards or backwards,
 * from start/end/revision/position, with a count; $all subscriptions with confirmation,
 * checkpoint and caught-up messages and stream-name or event-type filters). Not implemented
 * (UNIMPLEMENTED, as a server without the feature): Delete, Tombstone, stream subscriptions,
 * persistent subscriptions, projections, users, operations.
 */

export interface EsdbDoubleOptions extends DoubleLogOptions {
  readonly host?: string;
  /** 0 (default): a free port. */
  readonly port?: number;
  /** Advertise BatchAppend (servers 21.10+, default true); without it the client falls back to Append. */
  readonly batchAppend?: boolean;
  /**
   * The position an idempotent write reports: 'original' (the already written events', as recent
   * servers do) or 'none' (no_position, as 20.x servers did).
   */
  readonly idempotentWritePosition?: 'original' | 'none';
  /** Reported by GetSupportedMethods. */
  readonly serverVersion?: string;
}

/** Events considered per page of a catch-up subscription (the server's ReadBatchSize). */
const READ_BATCH_SIZE = 32;
const TYPE_URL_PREFIX = 'type.googleapis.com/';

interface EventFilter {
  matches(event: StoredEvent): boolean;
  readonly checkpointInterval: number;
}

export class EsdbDouble {
  readonly log: DoubleLog;
  private server?: grpc.Server;
  private boundPort = 0;
  private readonly subscriptions = new Set<grpc.ServerWritableStream<streams.ReadReq, streams.ReadResp>>();
  private readonly options: EsdbDoubleOptions;
  private dropAfterAppend = false;

  private constructor(options: EsdbDoubleOptions, log?: DoubleLog) {
    this.options = options;
    this.log = log ?? new DoubleLog(options);
  }

  /** Starts a double on `options.port` (default: a free port) of 127.0.0.1. */
  static async start(options: EsdbDoubleOptions = {}): Promise<EsdbDouble> {
    const double = new EsdbDouble(options);
    await double.listen(options.port ?? 0);
    return double;
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  get port(): number {
    return this.boundPort;
  }

  /** The connection string the official client (and EVENTSTORE_URL) takes. */
  get url(): string {
    return `esdb://${this.host}:${this.port}?tls=false`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  /** Ends every open subscription with UNAVAILABLE, as a node restart or a network cut does. */
  dropSubscriptions(): number {
    const dropped = this.subscriptions.size;
    for (const call of [...this.subscriptions]) {
      this.subscriptions.delete(call);
      endWithStatus(call, grpc.status.UNAVAILABLE, 'Server is shutting down');
    }
    return dropped;
  }

  /**
   * The next append is written, and then the server goes away before answering (as `stop()`): the client
   * cannot tell whether it landed. `resume()` brings it back.
   */
  dropOnNextAppend(): void {
    this.dropAfterAppend = true;
  }

  /** True once, right after the append that `dropOnNextAppend()` asked for: the server then stops without answering. */
  private droppedAfterAppend(): boolean {
    if (!this.dropAfterAppend) return false;
    this.dropAfterAppend = false;
    void this.stop();
    return true;
  }

  /** Stops answering (connections are cut); the data stays for `resume()`. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.dropSubscriptions();
    server.forceShutdown();
  }

  /** Starts answering again on the same port, with the same data: a restarted node. */
  async resume(): Promise<void> {
    if (this.server) return;
    await this.listen(this.boundPort);
  }

  private async listen(port: number): Promise<void> {
    const server = new grpc.Server();
    server.addService(StreamsService, this.streamsService());
    server.addService(ServerFeaturesService, { getSupportedMethods: this.getSupportedMethods });
    server.addService(GossipService, { read: this.gossipRead });
    this.boundPort = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`${this.host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      );
    });
    this.server = server;
  }

  private readonly getSupportedMethods: grpc.handleUnaryCall<shared.Empty, features.SupportedMethods> = (_call, callback) => {
    const method = (service: string, name: string, ...featureList: string[]) => {
      const supported = new features.SupportedMethod();
      supported.setServiceName(service);
      supported.setMethodName(name);
      supported.setFeaturesList(featureList);
      return supported;
    };
    const streamsService = 'event_store.client.streams.streams';
    const methods = [
      method(streamsService, 'read', 'position', 'events', 'all', 'stream'),
      method(streamsService, 'append'),
      ...((this.options.batchAppend ?? true) ? [method(streamsService, 'batchappend')] : []),
      method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
      method('event_store.client.gossip.gossip', 'read'),
    ];
    const answer = new features.SupportedMethods();
    answer.setMethodsList(methods);
    answer.setEventStoreServerVersion(this.options.serverVersion ?? '24.10.0-esdb-double');
    callback(null, answer);
  };

  private readonly gossipRead: grpc.handleUnaryCall<shared.Empty, gossip.ClusterInfo> = (_call, callback) => {
    const member = new gossip.MemberInfo();
    const instance = new shared.UUID();
    instance.setString('00000000-0000-4000-8000-00000000e5db');
    member.setInstanceId(instance);
    member.setTimeStamp(String(BigInt(Date.now()) * 10_000n));
    member.setState(gossip.MemberInfo.VNodeState.LEADER);
    member.setIsAlive(true);
    const endpoint = new gossip.EndPoint();
    endpoint.setAddress(this.host);
    endpoint.setPort(this.port);
    member.setHttpEndPoint(endpoint);
    const info = new gossip.ClusterInfo();
    info.setMembersList([member]);
    callback(null, info);
  };

  private streamsService(): grpc.UntypedServiceImplementation {
    const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<never>) =>
      callback({ code: grpc.status.UNIMPLEMENTED, details: 'Not implemented by the EventStoreDB double' }, null);
    return {
      read: (call: grpc.ServerWritableStream<streams.ReadReq, streams.ReadResp>) => this.read(call),
      append: (call: grpc.ServerReadableStream<streams.AppendReq, streams.AppendResp>, callback: grpc.sendUnaryData<streams.AppendResp>) =>
        this.append(call, callback),
      batchAppend: (call: grpc.ServerDuplexStream<streams.BatchAppendReq, streams.BatchAppendResp>) => this.batchAppend(call),
      delete: unimplemented,
      tombstone: unimplemented,
    };
  }

  // ---- Append ---------------------------------------------------------------------------

  private append(
    call: grpc.ServerReadableStream<streams.AppendReq, streams.AppendResp>,
    callback: grpc.sendUnaryData<streams.AppendResp>,
  ): void {
    let options: streams.AppendReq.Options | undefined;
    const proposed: ProposedEvent[] = [];
    let failed = false;
    const fail = (code: grpc.status, details: string, exception?: string) => {
      if (failed) return;
      failed = true;
      const metadata = new grpc.Metadata();
      if (exception) metadata.set('exception', exception);
      callback({ code, details, metadata }, null);
    };
    call.on('data', (request: streams.AppendReq) => {
      if (failed) return;
      if (!options) {
        if (!request.hasOptions()) return fail(grpc.status.INVALID_ARGUMENT, 'The first message of an append must carry its options');
        options = request.getOptions()!;
        return;
      }
      if (!request.hasProposedMessage()) return fail(grpc.status.INVALID_ARGUMENT, 'Expected a proposed message');
      const message = request.getProposedMessage()!;
      const event = toProposed(message.getId(), message.getMetadataMap(), message.getData_asU8(), message.getCustomMetadata_asU8());
      if (typeof event === 'string')
        return fail(grpc.status.INVALID_ARGUMENT, `Required metadata property ${event} is missing`, 'missing-required-metadata-property');
      proposed.push(event);
    });
    call.on('error', () => {
      failed = true;
    });
    call.on('end', () => {
      if (failed) return;
      if (!options) return fail(grpc.status.INVALID_ARGUMENT, 'An append needs its options');
      const streamName = streamNameOf(options.getStreamIdentifier());
      const expected = appendExpectedVersion(options);
      const outcome = this.log.append(streamName, expected, proposed);
      if (this.droppedAfterAppend()) return;
      callback(null, this.appendResponse(outcome, options));
    });
  }

  private appendResponse(outcome: AppendOutcome, options: streams.AppendReq.Options): streams.AppendResp {
    const response = new streams.AppendResp();
    if (outcome.kind === 'wrong-expected-version') {
      const wrong = new streams.AppendResp.WrongExpectedVersion();
      switch (options.getExpectedStreamRevisionCase()) {
        case streams.AppendReq.Options.ExpectedStreamRevisionCase.ANY:
          wrong.setExpectedAny(new shared.Empty());
          wrong.setAny2060(new shared.Empty());
          break;
        case streams.AppendReq.Options.ExpectedStreamRevisionCase.STREAM_EXISTS:
          wrong.setExpectedStreamExists(new shared.Empty());
          wrong.setStreamExists2060(new shared.Empty());
          break;
        case streams.AppendReq.Options.ExpectedStreamRevisionCase.NO_STREAM:
          wrong.setExpectedNoStream(new shared.Empty());
          wrong.setExpectedRevision2060(Number.MAX_SAFE_INTEGER);
          break;
        default:
          wrong.setExpectedRevision(options.getRevision());
          wrong.setExpectedRevision2060(Number(options.getRevision()));
      }
      if (outcome.currentRevision < 0) {
        wrong.setCurrentNoStream(new shared.Empty());
        wrong.setNoStream2060(new shared.Empty());
      } else {
        wrong.setCurrentRevision(String(outcome.currentRevision));
        wrong.setCurrentRevision2060(outcome.currentRevision);
      }
      response.setWrongExpectedVersion(wrong);
      return response;
    }
    const success = new streams.AppendResp.Success();
    const { revision, position } = this.successOf(outcome);
    if (revision < 0) success.setNoStream(new shared.Empty());
    else success.setCurrentRevision(String(revision));
    if (position === undefined) {
      success.setNoPosition(new shared.Empty());
    } else {
      const grpcPosition = new streams.AppendResp.Position();
      grpcPosition.setCommitPosition(String(position));
      grpcPosition.setPreparePosition(String(position));
      success.setPosition(grpcPosition);
    }
    response.setSuccess(success);
    return response;
  }

  /** The revision and position a successful (or idempotent) write reports: its last event's. */
  private successOf(outcome: Exclude<AppendOutcome, { kind: 'wrong-expected-version' }>): { revision: number; position?: number } {
    if (outcome.kind === 'idempotent') {
      return { revision: outcome.lastRevision, position: this.options.idempotentWritePosition === 'none' ? undefined : outcome.position };
    }
    const last = outcome.events[outcome.events.length - 1];
    return { revision: last?.revision ?? -1, position: last?.logPosition };
  }

  // ---- BatchAppend ----------------------------------------------------------------------

  private batchAppend(call: grpc.ServerDuplexStream<streams.BatchAppendReq, streams.BatchAppendResp>): void {
    const pending = new Map<string, { options: streams.BatchAppendReq.Options; events: ProposedEvent[] }>();
    call.on('data', (request: streams.BatchAppendReq) => {
      const correlation = request.getCorrelationId();
      const key = correlation ? uuidOf(correlation) : '';
      if (request.hasOptions()) pending.set(key, { options: request.getOptions()!, events: [] });
      const write = pending.get(key);
      if (!write) return;
      for (const message of request.getProposedMessagesList()) {
        const event = toProposed(message.getId(), message.getMetadataMap(), message.getData_asU8(), message.getCustomMetadata_asU8());
        if (typeof event === 'string') {
          pending.delete(key);
          call.write(
            this.batchError(correlation, write.options.getStreamIdentifier(), 3, `Required metadata property ${event} is missing`),
          );
          return;
        }
        write.events.push(event);
      }
      if (!request.getIsFinal()) return;
      pending.delete(key);
      const streamName = streamNameOf(write.options.getStreamIdentifier());
      const outcome = this.log.append(streamName, batchExpectedVersion(write.options), write.events);
      if (this.droppedAfterAppend()) return;
      call.write(this.batchResponse(correlation, write.options, outcome));
    });
    call.on('end', () => call.end());
    call.on('error', () => undefined);
  }

  private batchResponse(
    correlation: shared.UUID | undefined,
    options: streams.BatchAppendReq.Options,
    outcome: AppendOutcome,
  ): streams.BatchAppendResp {
    if (outcome.kind === 'wrong-expected-version') {
      const details = new shared.WrongExpectedVersion();
      if (outcome.currentRevision < 0) details.setCurrentNoStream(new ProtobufEmpty());
      else details.setCurrentStreamRevision(String(outcome.currentRevision));
      switch (options.getExpectedStreamPositionCase()) {
        case streams.BatchAppendReq.Options.ExpectedStreamPositionCase.ANY:
          details.setExpectedAny(new ProtobufEmpty());
          break;
        case streams.BatchAppendReq.Options.ExpectedStreamPositionCase.STREAM_EXISTS:
          details.setExpectedStreamExists(new ProtobufEmpty());
          break;
        case streams.BatchAppendReq.Options.ExpectedStreamPositionCase.NO_STREAM:
          details.setExpectedNoStream(new ProtobufEmpty());
          break;
        default:
          details.setExpectedStreamPosition(options.getStreamPosition());
      }
      // As Google.Rpc.Status.WrongExpectedVersion: ALREADY_EXISTS with the details packed.
      return this.batchError(
        correlation,
        options.getStreamIdentifier(),
        6,
        'WrongExpectedVersion',
        details,
        'event_store.client.WrongExpectedVersion',
      );
    }
    const response = new streams.BatchAppendResp();
    if (correlation) response.setCorrelationId(correlation);
    response.setStreamIdentifier(options.getStreamIdentifier());
    const success = new streams.BatchAppendResp.Success();
    const { revision, position } = this.successOf(outcome);
    if (revision < 0) success.setNoStream(new ProtobufEmpty());
    else success.setCurrentRevision(String(revision));
    if (position === undefined) {
      success.setNoPosition(new ProtobufEmpty());
    } else {
      const grpcPosition = new shared.AllStreamPosition();
      grpcPosition.setCommitPosition(String(position));
      grpcPosition.setPreparePosition(String(position));
      success.setPosition(grpcPosition);
    }
    response.setSuccess(success);
    return response;
  }

  /** A google.rpc.Status answer whose details pack `payload` under the server's type name. */
  private batchError(
    correlation: shared.UUID | undefined,
    stream: shared.StreamIdentifier | undefined,
    code: number,
    message: string,
    payload: { serializeBinary(): Uint8Array } = new ProtobufEmpty(),
    typeName = 'google.protobuf.Empty',
  ): streams.BatchAppendResp {
    const details = new Any();
    details.pack(payload.serializeBinary(), typeName, TYPE_URL_PREFIX);
    const error = new rpcStatus.Status();
    error.setCode(code);
    error.setMessage(message);
    error.setDetails(details);
    const response = new streams.BatchAppendResp();
    if (correlation) response.setCorrelationId(correlation);
    if (stream) response.setStreamIdentifier(stream);
    response.setError(error);
    return response;
  }

  // ---- Read -----------------------------------------------------------------------------

  private read(call: grpc.ServerWritableStream<streams.ReadReq, streams.ReadResp>): void {
    const options = call.request.getOptions();
    if (!options) {
      endWithStatus(call, grpc.status.INVALID_ARGUMENT, 'Read needs options');
      return;
    }
    const structuredIds = options.getUuidOption()?.hasStructured() ?? false;
    const forwards = options.getReadDirection() === streams.ReadReq.Options.ReadDirection.FORWARDS;
    const subscription = options.hasSubscription();
    if (subscription) {
      if (!options.hasAll()) {
        endWithStatus(call, grpc.status.UNIMPLEMENTED, 'Stream subscriptions are not implemented by the EventStoreDB double');
        return;
      }
      void this.subscribeToAll(call, options, structuredIds);
      return;
    }
    const count = Number(options.getCount() || '0');
    const filter = options.hasFilter() ? toFilter(options.getFilter()!) : undefined;
    const events = options.hasStream()
      ? this.readStream(call, options.getStream()!, forwards, count, structuredIds)
      : this.readAll(options.getAll()!, forwards, count, filter);
    if (events === undefined) return;
    void writeAll(
      call,
      events.map((event) => readResponse(event, options.hasAll(), structuredIds)),
    ).then(
      () => call.end(),
      () => undefined,
    );
  }

  private readStream(
    call: grpc.ServerWritableStream<streams.ReadReq, streams.ReadResp>,
    options: streams.ReadReq.Options.StreamOptions,
    forwards: boolean,
    count: number,
    _structuredIds: boolean,
  ): StoredEvent[] | undefined {
    const stream = this.log.stream(streamNameOf(options.getStreamIdentifier()));
    if (!stream) {
      const notFound = new streams.ReadResp.StreamNotFound();
      notFound.setStreamIdentifier(options.getStreamIdentifier());
      const response = new streams.ReadResp();
      response.setStreamNotFound(notFound);
      call.write(response);
      call.end();
      return undefined;
    }
    if (forwards) {
      const from = options.hasEnd() ? stream.length : options.hasRevision() ? Number(options.getRevision()) : 0;
      return stream.slice(from, from + count);
    }
    const from = options.hasRevision() ? Math.min(Number(options.getRevision()), stream.length - 1) : stream.length - 1;
    return stream.slice(Math.max(0, from - count + 1), from + 1).reverse();
  }

  private readAll(options: streams.ReadReq.Options.AllOptions, forwards: boolean, count: number, filter?: EventFilter): StoredEvent[] {
    const all = this.log.events;
    const matching = (event: StoredEvent) => !filter || filter.matches(event);
    const taken: StoredEvent[] = [];
    if (forwards) {
      const start = options.hasEnd()
        ? all.length
        : options.hasPosition()
          ? this.log.indexAtOrAfter(...positionOf(options.getPosition()!))
          : 0;
      for (let index = start; index < all.length && taken.length < count; index++) if (matching(all[index])) taken.push(all[index]);
    } else {
      // Backwards from a position: the records before it.
      const end = options.hasPosition() ? this.log.indexAtOrAfter(...positionOf(options.getPosition()!)) : all.length;
      for (let index = end - 1; index >= 0 && taken.length < count; index--) if (matching(all[index])) taken.push(all[index]);
    }
    return taken;
  }

  /**
   * A catch-up subscription to $all, as Enumerators.AllSubscription(Filtered): confirmation,
   * the events after the start position (a position is exclusive: the event at it was seen),
   * a checkpoint every `checkpointInterval` considered events when filtered, CaughtUp once the
   * end of the log is reached, then live events.
   */
  private async subscribeToAll(
    call: grpc.ServerWritableStream<streams.ReadReq, streams.ReadResp>,
    options: streams.ReadReq.Options,
    structuredIds: boolean,
  ): Promise<void> {
    this.subscriptions.add(call);
    let wake: (() => void) | undefined;
    const stopWaiting = this.log.onWritten(() => wake?.());
    const cancelled = () => call.cancelled || call.destroyed || !this.subscriptions.has(call);
    const finish = () => {
      stopWaiting();
      this.subscriptions.delete(call);
      wake?.();
    };
    call.on('cancelled', finish);
    call.on('close', finish);
    try {
      const all = options.getAll()!;
      const filter = options.hasFilter() ? toFilter(options.getFilter()!) : undefined;
      let cursor: number;
      if (all.hasEnd()) cursor = this.log.events.length;
      else if (all.hasPosition()) cursor = Math.min(this.log.indexAtOrAfter(...positionOf(all.getPosition()!)) + 1, this.log.events.length);
      else cursor = 0;

      const confirmation = new streams.ReadResp.SubscriptionConfirmation();
      confirmation.setSubscriptionId(randomUUID());
      const confirmed = new streams.ReadResp();
      confirmed.setConfirmation(confirmation);
      await write(call, confirmed);

      let caughtUp = false;
      let considered = 0;
      let lastMatched: StoredEvent | undefined;
      while (!cancelled()) {
        const log = this.log.events;
        if (cursor >= log.length) {
          if (!caughtUp) {
            caughtUp = true;
            const response = new streams.ReadResp();
            response.setCaughtUp(new streams.ReadResp.CaughtUp());
            await write(call, response);
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
            if (cancelled() || cursor < this.log.events.length) resolve();
          });
          wake = undefined;
          continue;
        }
        // One page: the server considers up to a batch of records between checkpoint decisions.
        const pageEnd = Math.min(log.length, cursor + READ_BATCH_SIZE);
        const page = log.slice(cursor, pageEnd);
        cursor = pageEnd;
        for (const event of page) {
          considered += 1;
          if (filter && !filter.matches(event)) continue;
          lastMatched = event;
          await write(call, readResponse(event, true, structuredIds));
          if (cancelled()) return;
        }
        if (filter && considered >= filter.checkpointInterval) {
          considered %= filter.checkpointInterval;
          const at = lastMatched ?? page[page.length - 1];
          const checkpoint = new streams.ReadResp.Checkpoint();
          checkpoint.setCommitPosition(String(at.logPosition));
          checkpoint.setPreparePosition(String(at.logPosition));
          const response = new streams.ReadResp();
          response.setCheckpoint(checkpoint);
          await write(call, response);
        }
      }
    } catch {
      // The client went away mid-write.
    } finally {
      finish();
    }
  }
}

// ---- Helpers ----------------------------------------------------------------------------

function streamNameOf(identifier: shared.StreamIdentifier | undefined): string {
  return Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
}

function uuidOf(uuid: shared.UUID): string {
  if (uuid.hasString()) return uuid.getString().toLowerCase();
  const structured = uuid.getStructured()!;
  const buffer = Buffer.alloc(16);
  buffer.writeBigInt64BE(BigInt(structured.getMostSignificantBits()), 0);
  buffer.writeBigInt64BE(BigInt(structured.getLeastSignificantBits()), 8);
  const hex = buffer.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function toUuid(id: string, structured: boolean): shared.UUID {
  const uuid = new shared.UUID();
  if (!structured) {
    uuid.setString(id);
    return uuid;
  }
  const bytes = Buffer.from(id.replace(/-/g, ''), 'hex');
  const parts = new shared.UUID.Structured();
  parts.setMostSignificantBits(bytes.readBigInt64BE(0).toString());
  parts.setLeastSignificantBits(bytes.readBigInt64BE(8).toString());
  uuid.setStructured(parts);
  return uuid;
}

/** A proposed message as the log takes it, or the name of the missing required metadata property. */
function toProposed(
  id: shared.UUID | undefined,
  metadata: { get(key: string): string | undefined },
  data: Uint8Array,
  custom: Uint8Array,
): ProposedEvent | string {
  const type = metadata.get('type');
  if (type === undefined) return 'type';
  const contentType = metadata.get('content-type');
  if (contentType === undefined) return 'content-type';
  return { id: id ? uuidOf(id) : randomUUID(), type, contentType, data: Uint8Array.from(data), metadata: Uint8Array.from(custom) };
}

function appendExpectedVersion(options: streams.AppendReq.Options): ExpectedVersion {
  switch (options.getExpectedStreamRevisionCase()) {
    case streams.AppendReq.Options.ExpectedStreamRevisionCase.ANY:
      return EXPECTED_ANY;
    case streams.AppendReq.Options.ExpectedStreamRevisionCase.NO_STREAM:
      return EXPECTED_NO_STREAM;
    case streams.AppendReq.Options.ExpectedStreamRevisionCase.STREAM_EXISTS:
      return EXPECTED_STREAM_EXISTS;
    default:
      return Number(options.getRevision());
  }
}

function batchExpectedVersion(options: streams.BatchAppendReq.Options): ExpectedVersion {
  switch (options.getExpectedStreamPositionCase()) {
    case streams.BatchAppendReq.Options.ExpectedStreamPositionCase.ANY:
      return EXPECTED_ANY;
    case streams.BatchAppendReq.Options.ExpectedStreamPositionCase.NO_STREAM:
      return EXPECTED_NO_STREAM;
    case streams.BatchAppendReq.Options.ExpectedStreamPositionCase.STREAM_EXISTS:
      return EXPECTED_STREAM_EXISTS;
    default:
      return Number(options.getStreamPosition());
  }
}

function positionOf(position: streams.ReadReq.Options.Position): [number, number] {
  return [Number(position.getCommitPosition()), Number(position.getPreparePosition())];
}

function toFilter(options: streams.ReadReq.Options.FilterOptions): EventFilter {
  const expression = options.hasStreamIdentifier() ? options.getStreamIdentifier()! : options.getEventType()!;
  const regex = expression.getRegex();
  const prefixes = expression.getPrefixList();
  const test = regex
    ? (value: string) => new RegExp(regex).test(value)
    : (value: string) => prefixes.some((prefix) => value.startsWith(prefix));
  const maxSearchWindow = options.hasMax() ? options.getMax() : READ_BATCH_SIZE;
  return {
    matches: options.hasStreamIdentifier() ? (event) => test(event.streamName) : (event) => test(event.type),
    checkpointInterval: Math.max(1, options.getCheckpointintervalmultiplier()) * maxSearchWindow,
  };
}

function recordedEvent(event: StoredEvent, structuredIds: boolean): streams.ReadResp.ReadEvent.RecordedEvent {
  const recorded = new streams.ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(toUuid(event.id, structuredIds));
  const identifier = new shared.StreamIdentifier();
  identifier.setStreamName(Buffer.from(event.streamName, 'utf8'));
  recorded.setStreamIdentifier(identifier);
  recorded.setStreamRevision(String(event.revision));
  recorded.setCommitPosition(String(event.logPosition));
  recorded.setPreparePosition(String(event.transactionPosition));
  recorded.getMetadataMap().set('type', event.type);
  recorded.getMetadataMap().set('content-type', event.contentType);
  recorded.getMetadataMap().set('created', event.created.toString());
  recorded.setData(event.data);
  recorded.setCustomMetadata(event.metadata);
  return recorded;
}

function readResponse(event: StoredEvent, fromAll: boolean, structuredIds: boolean): streams.ReadResp {
  const read = new streams.ReadResp.ReadEvent();
  read.setEvent(recordedEvent(event, structuredIds));
  // Reads of $all carry the event's position in the log; stream reads do not (no_position).
  if (fromAll) read.setCommitPosition(String(event.logPosition));
  else read.setNoPosition(new shared.Empty());
  const response = new streams.ReadResp();
  response.setEvent(read);
  return response;
}

/** Ends a server-streaming call with a status, as the server does when it drops or refuses a read. */
function endWithStatus(call: grpc.ServerWritableStream<streams.ReadReq, streams.ReadResp>, code: grpc.status, details: string): void {
  call.emit('error', { code, details, metadata: new grpc.Metadata() });
}

/** Writes with backpressure: waits for 'drain' when the transport's buffer is full. */
function write(call: grpc.ServerWritableStream<streams.ReadReq, streams.ReadResp>, response: streams.ReadResp): Promise<void> {
  if (call.destroyed) return Promise.reject(new Error('The call is closed'));
  if (call.write(response)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      call.off('drain', onDrain);
      call.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('The call closed'));
    call.once('drain', onDrain);
    call.once('close', onClose);
  });
}

async function writeAll(call: grpc.ServerWritableStream<streams.ReadReq, streams.ReadResp>, responses: streams.ReadResp[]): Promise<void> {
  for (const response of responses) await write(call, response);
}
