import { AddressInfo, Server, Socket, createConnection, createServer } from 'node:net';

/** A client connection and its upstream twin. */
interface Pair {
  readonly client: Socket;
  upstream?: Socket;
}

/**
 * A TCP proxy a fault test controls, between the service and a real server (PostgreSQL):
 * - `cut()`: the network is down: every connection is closed and new ones are refused;
 * - `reset()`: every connection is reset (RST), as by a firewall or a failover; new ones get through;
 * - `blackhole()`: packets are dropped: connections stay open but nothing flows either way, and new
 *   ones are accepted but never reach the server (what a partition looks like to a client);
 * - `restore()`: traffic flows again; blackholed connections resume where they stopped (TCP retransmits).
 */
export class TcpProxy {
  private mode: 'pass' | 'cut' | 'blackhole' = 'pass';
  private readonly pairs = new Set<Pair>();

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, target);
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The local ports of the proxy's connections to the server: how the server knows them (pg_stat_activity.client_port). */
  upstreamPorts(): number[] {
    return [...this.pairs].flatMap((pair) => (pair.upstream?.localPort ? [pair.upstream.localPort] : []));
  }

  cut(): void {
    this.mode = 'cut';
    for (const pair of this.pairs) this.drop(pair, (socket) => socket.destroy());
  }

  reset(): void {
    for (const pair of this.pairs) this.drop(pair, (socket) => socket.resetAndDestroy());
  }

  blackhole(): void {
    this.mode = 'blackhole';
    for (const pair of this.pairs) this.pause(pair);
  }

  restore(): void {
    this.mode = 'pass';
    for (const pair of this.pairs) {
      if (pair.upstream) this.flow(pair);
      else this.connect(pair);
    }
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((closed) => this.server.close(() => closed()));
  }

  private accept(client: Socket): void {
    if (this.mode === 'cut') {
      client.destroy();
      return;
    }
    const pair: Pair = { client };
    this.pairs.add(pair);
    client.on('error', () => this.drop(pair, (socket) => socket.destroy()));
    client.on('close', () => this.drop(pair, (socket) => socket.destroy()));
    if (this.mode === 'blackhole') client.pause();
    else this.connect(pair);
  }

  private connect(pair: Pair): void {
    const upstream = createConnection(this.target);
    pair.upstream = upstream;
    upstream.on('error', () => this.drop(pair, (socket) => socket.destroy()));
    upstream.on('close', () => this.drop(pair, (socket) => socket.destroy()));
    this.flow(pair);
  }

  private flow(pair: Pair): void {
    pair.client.pipe(pair.upstream!);
    pair.upstream!.pipe(pair.client);
  }

  private pause(pair: Pair): void {
    pair.client.unpipe();
    pair.upstream?.unpipe();
    pair.client.pause();
    pair.upstream?.pause();
  }

  private drop(pair: Pair, end: (socket: Socket) => void): void {
    if (!this.pairs.delete(pair)) return;
    for (const socket of [pair.client, pair.upstream]) if (socket && !socket.destroyed) end(socket);
  }
}
