import { createParamDecorator, ExecutionContext, FactoryProvider, InjectionToken } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { CLOCK, type Clock } from '../clock';
import type { DomainCommand, DomainEvent } from '../decider';
import { IdempotencyKeyReusedError } from '../errors';
import { uuidV5 } from '../deterministic-id';
import { ExecuteStreamCommand } from '../commands/execute-stream-command';
import { IDEMPOTENCY_KEYS, type IdempotencyKeys } from '../commands/idempotency-keys';
import type { StreamKind } from '../commands/stream-kind';
import { revisionTag } from './conditional';
import { ACTOR_OF_REQUEST, ActorOfRequest, commandContext, readCommandHeaders } from './command-request';

/** The HTTP exchange a command arrives in: headers to read, and the reply that gets the ETag. */
export interface HttpExchange {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/** Injects the HttpExchange into a command route (the body stays a validated DTO). */
export const Exchange = createParamDecorator((_: unknown, context: ExecutionContext): HttpExchange => ({
  request: context.switchToHttp().getRequest<FastifyRequest>(),
  reply: context.switchToHttp().getResponse<FastifyReply>(),
}));

/** A command as a route states it: the actor and the decision instant are added by the command path. */
export type Unissued<Command> = Command extends unknown ? Omit<Command, 'by' | 'at'> : never;

export interface StreamCommandRequest<Command> {
  /** The stream's id; omitted for a new stream (POST /cases), whose id is derived from the Idempotency-Key. */
  readonly id?: string;
  /** A command id fixed by the payload (a purchase's order), which then wins over the Idempotency-Key. */
  readonly commandId?: string;
  /**
   * The key to bind this command under instead of the request's Idempotency-Key: a request of many commands (bulk) binds
   * its key to the whole request itself, then derives one per command, so each command is bound to its own key.
   */
  readonly idempotencyKey?: string;
  /** Builds the command; `newId` repeats whenever the request is retried with the same key. */
  build(ids: { id: string; now: string; newId(kind: string): string }): Unissued<Command>;
  /** The command records something new (answered 201 with a Location); by default, when it starts a new stream. */
  readonly created?: boolean;
  /** Fields the response adds to `{<id>, revision, position}`, taken from the command. */
  respondWith?(command: Unissued<Command>): Record<string, string | undefined>;
}

export interface CommandResponse {
  readonly revision: number;
  readonly position: number;
  readonly [field: string]: string | number | undefined;
}

/**
 * The one gateway from HTTP to the command bus, for one stream kind: reads who acts and the command
 * headers, issues the command at the clock's instant, and answers `{<id>, revision, position}` with the ETag.
 */
export class StreamCommands<Command extends DomainCommand, Event extends DomainEvent, State> {
  constructor(
    private readonly kind: StreamKind<Command, Event, State>,
    private readonly bus: CommandBus,
    private readonly clock: Clock,
    private readonly actorOf: ActorOfRequest,
    private readonly idempotencyKeys: IdempotencyKeys,
  ) {}

  async handle<Issued extends Command>({ request, reply }: HttpExchange, command: StreamCommandRequest<Issued>): Promise<CommandResponse> {
    const actor = this.actorOf(request);
    const headers = readCommandHeaders(request);
    const instant = this.clock.now();
    const key = command.idempotencyKey ?? headers.idempotencyKey;
    const keyed =
      key === undefined
        ? undefined
        : await this.idempotencyKeys.bind(
            key,
            { method: request.method, route: request.routeOptions.url ?? request.url, stream: command.id, body: request.body },
            instant,
          );
    const fixedId = command.commandId ?? keyed?.commandId;
    const commandId = fixedId ?? randomUUID();
    const id = command.id ?? uuidV5(`${this.kind.entity}/${commandId}`);
    const now = instant.toISOString();
    const unissued = command.build({ id, now, newId: (kind) => uuidV5(`${kind}/${id}/${commandId}`) });
    // The envelope is the one place a command gains its actor and instant.
    const issued = { ...unissued, by: actor, at: now } as unknown as Command;
    const result = await this.bus
      .execute(
        new ExecuteStreamCommand(
          this.kind,
          id,
          issued,
          commandContext(
            headers,
            actor,
            commandId,
            now,
            command.commandId === undefined ? keyed?.fingerprint : undefined,
            fixedId === undefined,
            command.id === undefined,
          ),
        ),
      )
      .catch(async (error: unknown) => {
        if (keyed && error instanceof IdempotencyKeyReusedError) await this.idempotencyKeys.release(key!, keyed.fingerprint);
        throw error;
      });
    void reply.header('etag', revisionTag(result.revision));
    if (headers.idempotencyKey !== undefined) void reply.header('idempotency-key', headers.idempotencyKey);
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    const location = (command.created ?? command.id === undefined) ? this.kind.location?.(id) : undefined;
    if (location !== undefined) void reply.header('location', location);
    return { [this.kind.idName]: id, revision: result.revision, position: result.position, ...command.respondWith?.(unissued) };
  }
}

/**
 * Provides a module's StreamCommands under `token`, its stream kind made by `makeKind` from the
 * providers named in `inject` (e.g. the configuration that sets a decider's policy).
 */
export function provideStreamCommands<Command extends DomainCommand, Event extends DomainEvent, State, Deps extends unknown[]>(
  token: symbol,
  makeKind: (...deps: Deps) => StreamKind<Command, Event, State>,
  inject: InjectionToken[] = [],
): FactoryProvider<StreamCommands<Command, Event, State>> {
  return {
    provide: token,
    inject: [CommandBus, CLOCK, ACTOR_OF_REQUEST, IDEMPOTENCY_KEYS, ...inject],
    useFactory: (bus: CommandBus, clock: Clock, actorOf: ActorOfRequest, keys: IdempotencyKeys, ...deps: unknown[]) =>
      new StreamCommands(makeKind(...(deps as Deps)), bus, clock, actorOf, keys),
  };
}
