import { HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';

/** The head of every Server-Sent Events answer (HEAD answers with it too, without the stream). */
export const LIVE_STREAM_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' } as const;

/** How long a stream may live, how many one client may hold, how often a silent one says it is alive. */
export interface LiveStreamLimits {
  readonly liveStreamsPerClient: number;
  readonly liveMaxDurationMs: number;
  readonly keepAliveMs: number;
}

/** Told when a stream opens and closes (the metrics of open streams). */
export interface LiveStreamWatcher {
  opened(): void;
  closed(): void;
}

/**
 * The open Server-Sent Events streams of one route: at most `liveStreamsPerClient` per client (each holds a socket
 * and a subscription; one more is refused with 429), none longer than `liveMaxDurationMs` (the client reconnects with
 * Last-Event-ID and misses nothing), each kept alive with a comment, and all ended when the application shuts down.
 */
export class LiveStreams {
  private readonly open = new Set<ServerResponse>();
  private readonly perClient = new Map<string, number>();

  constructor(
    private readonly limits: () => LiveStreamLimits,
    private readonly watcher?: LiveStreamWatcher,
  ) {}

  /**
   * Starts the stream on the reply (hijacked: written raw), with `preamble` as its first comment; `onClose` runs once
   * when it closes, whoever ends it. Throws the 429 (with Retry-After) when the client already holds the most allowed.
   */
  start(client: string, reply: FastifyReply, preamble: string, onClose: () => void): ServerResponse {
    const { liveStreamsPerClient, liveMaxDurationMs, keepAliveMs } = this.limits();
    const held = this.perClient.get(client) ?? 0;
    if (held >= liveStreamsPerClient) {
      void reply.header('retry-after', '30');
      throw new HttpException(
        `This client already holds ${held} live streams, the most allowed (LIVE_MAX_STREAMS_PER_CLIENT); close one first.`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    this.perClient.set(client, held + 1);

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { ...LIVE_STREAM_HEADERS, connection: 'keep-alive' });
    raw.write(`: ${preamble}\n\n`);
    const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), keepAliveMs);
    const lifetime = setTimeout(() => raw.end(), liveMaxDurationMs);
    this.open.add(raw);
    this.watcher?.opened();
    raw.once('close', () => {
      clearInterval(keepAlive);
      clearTimeout(lifetime);
      this.open.delete(raw);
      this.watcher?.closed();
      const left = (this.perClient.get(client) ?? 1) - 1;
      if (left > 0) this.perClient.set(client, left);
      else this.perClient.delete(client);
      onClose();
    });
    return raw;
  }

  /** Live streams never end by themselves: end them so the server can close. */
  endAll(): void {
    for (const raw of this.open) raw.end();
  }
}
