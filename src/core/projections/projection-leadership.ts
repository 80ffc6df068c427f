import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { DEFAULT_READ_STORE_TIMEOUTS } from '../read-store/read-store';

/**
 * Which instance runs a projection when several share one read store. The holder applies
 * events; the others stand by, follow its checkpoint, and try again every `retryMs`.
 */
export interface ProjectionLeadership {
  readonly isLeader: boolean;
  /** How long a standby waits between attempts to take over (and between looks at the leader's checkpoint). */
  readonly retryMs: number;
  /** Takes the lead if nobody holds it; true while this instance holds it. */
  tryAcquire(): Promise<boolean>;
  /** Hands the lead over (a standby takes it on its next attempt). */
  release(): Promise<void>;
}

export interface PostgresLeadershipOptions {
  readonly url: string;
  /** The read models' schema: projections of different schemas (deployments, test suites) do not contend. */
  readonly schema?: string;
  readonly projection: string;
  readonly retryMs?: number;
  /** Bounds on the lock connection, as on the read store's: a partition must not hang the runner. */
  readonly timeouts?: { readonly statementMs: number; readonly connectMs: number };
  readonly logger?: Pick<Logger, 'log' | 'warn'>;
}

/**
 * A session-level PostgreSQL advisory lock per projection, held on a connection of its own for
 * as long as this instance leads. PostgreSQL releases it when that session ends, so a crashed
 * or partitioned leader loses it without anyone's help and a standby takes over. Losing the
 * connection means losing the lead; the runner's checkpoint check (SELECT … FOR UPDATE in each
 * batch's transaction) keeps a deposed leader's last batch from being applied twice.
 */
export class PostgresAdvisoryLeadership implements ProjectionLeadership {
  readonly retryMs: number;
  private readonly key: string;
  private readonly logger: Pick<Logger, 'log' | 'warn'>;
  private client?: Client;
  private leader = false;

  constructor(private readonly options: PostgresLeadershipOptions) {
    this.retryMs = options.retryMs ?? 500;
    this.key = advisoryLockKey(`redress/projection/${options.schema ?? ''}/${options.projection}`);
    this.logger = options.logger ?? new Logger(`Projection ${options.projection}`);
  }

  get isLeader(): boolean {
    return this.leader;
  }

  async tryAcquire(): Promise<boolean> {
    if (this.leader) return true;
    try {
      const client = await this.connection();
      const { rows } = await client.query<{ acquired: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS acquired', [this.key]);
      this.leader = rows[0]?.acquired === true;
      if (this.leader) this.logger.log('leads: holds the PostgreSQL advisory lock');
      return this.leader;
    } catch (error) {
      this.lost(error);
      return false;
    }
  }

  async release(): Promise<void> {
    const client = this.client;
    const wasLeader = this.leader;
    this.client = undefined;
    this.leader = false;
    if (!client) return;
    if (wasLeader) await client.query('SELECT pg_advisory_unlock($1::bigint)', [this.key]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const timeouts = this.options.timeouts ?? DEFAULT_READ_STORE_TIMEOUTS;
    const client = new Client({
      connectionString: this.options.url,
      keepAlive: true,
      application_name: 'redress-leadership',
      connectionTimeoutMillis: timeouts.connectMs,
      statement_timeout: timeouts.statementMs,
      query_timeout: timeouts.statementMs + 1000,
    });
    client.on('error', (error) => this.lost(error, client));
    client.on('end', () => this.lost(new Error('connection ended'), client));
    await client.connect();
    this.client = client;
    return client;
  }

  private lost(error: unknown, client = this.client): void {
    if (client !== this.client) return;
    if (this.leader)
      this.logger.warn(`lost the lead: the lock's connection failed (${error instanceof Error ? error.message : String(error)})`);
    this.leader = false;
    this.client = undefined;
    void client?.end().catch(() => undefined);
  }
}

/** A signed 64-bit key (as text, for pg's bigint) derived from a name. */
export function advisoryLockKey(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest().readBigInt64BE(0).toString();
}
