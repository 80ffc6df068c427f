import { BadRequestException, BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Selectable } from 'kysely';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { CLOCK, type Clock } from '../../core/clock';
import { NotFoundError } from '../../core/errors';
import { READ_STORE, type ReadStore, narrowTables } from '../../core/read-store/read-store';
import type { SignedCheckpoint } from './checkpoint-verification';
import { ledgerSize } from './ledger.projection';
import { LEDGER_TABLES, LedgerCheckpointRow, LedgerTables } from './ledger.tables';
import { Hash, consistencyProof, inclusionProof, treeHead } from './rfc9162';
import { LedgerSigningKey, resolveLedgerSigningKey } from './signing-key';

export interface InclusionProofAnswer {
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly leafHash: string;
  readonly auditPath: string[];
  /** What the leaf commits to (its hash is HASH(0x00 || JCS of this)). */
  readonly leaf: { readonly hash: string; readonly index: number; readonly revision: number; readonly stream: string };
}

export interface ConsistencyProofAnswer {
  readonly from: number;
  readonly to: number;
  readonly path: string[];
}

const toCheckpoint = (row: Selectable<LedgerCheckpointRow>): SignedCheckpoint => ({
  treeSize: Number(row.tree_size),
  rootHash: row.root_hash,
  issuedAt: row.issued_at,
  keyId: row.key_id,
  signature: row.signature,
});

/** Answers proofs from the ledger's tables and signs checkpoints of it as it grows. */
@Injectable()
export class LedgerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Ledger');
  private key?: LedgerSigningKey;
  private keyProblem?: string;
  private timer?: NodeJS.Timeout;
  private issuing?: Promise<void>;
  private lastIssuedMs = Date.now();

  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore<LedgerTables>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    try {
      this.key = resolveLedgerSigningKey(this.config);
      this.logger.log(`checkpoints signed with key ${this.key.keyId} (${this.key.source})`);
    } catch (error) {
      this.keyProblem = error instanceof Error ? error.message : String(error);
      this.logger.error(`no checkpoints will be signed: ${this.keyProblem}`);
      return;
    }
    const tickMs = Math.min(1000, this.config.ledger.checkpointSeconds * 1000);
    this.timer = setInterval(() => void this.tick(), tickMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.issuing;
  }

  private get db() {
    return narrowTables<LedgerTables, LedgerTables>(this.readStore.db);
  }

  private tick(): Promise<void> {
    if (this.issuing) return this.issuing;
    const issuing = this.issueIfDue()
      .then(
        () => undefined,
        (error: unknown) => this.logger.warn(`could not sign a checkpoint: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        this.issuing = undefined;
      });
    this.issuing = issuing;
    return issuing;
  }

  /** Signs a checkpoint of the ledger as it stands when enough events or enough time have passed since the last one. */
  async issueIfDue(force = false): Promise<SignedCheckpoint | undefined> {
    if (!this.key) return undefined;
    const size = await ledgerSize(this.db);
    const last = await this.latestCheckpoint();
    const since = size - (last?.treeSize ?? 0);
    if (since <= 0) return undefined;
    const due =
      force || since >= this.config.ledger.checkpointEvery || Date.now() - this.lastIssuedMs >= this.config.ledger.checkpointSeconds * 1000;
    if (!due) return undefined;
    const rootHash = (await treeHead(this.nodes, size)).toString('hex');
    const checkpoint = this.key.sign({ treeSize: size, rootHash, issuedAt: this.clock.now().toISOString() });
    await this.db
      .insertInto(LEDGER_TABLES.checkpoints)
      .values({
        tree_size: checkpoint.treeSize,
        root_hash: checkpoint.rootHash,
        issued_at: checkpoint.issuedAt,
        key_id: checkpoint.keyId,
        signature: checkpoint.signature,
      })
      .onConflict((conflict) => conflict.column('tree_size').doNothing())
      .execute();
    this.lastIssuedMs = Date.now();
    return checkpoint;
  }

  publicKey() {
    if (!this.key) throw new NotFoundError(`The ledger has no signing key: ${this.keyProblem ?? 'not started'}`);
    return this.key.publicJwk;
  }

  async latestCheckpoint(): Promise<SignedCheckpoint | undefined> {
    const row = await this.db.selectFrom(LEDGER_TABLES.checkpoints).selectAll().orderBy('tree_size', 'desc').limit(1).executeTakeFirst();
    return row && toCheckpoint(row);
  }

  /** Checkpoints in tree-size order, after `afterTreeSize`. */
  async checkpoints(afterTreeSize: number, limit: number): Promise<{ items: SignedCheckpoint[]; next: number | null }> {
    const rows = await this.db
      .selectFrom(LEDGER_TABLES.checkpoints)
      .selectAll()
      .where('tree_size', '>', afterTreeSize)
      .orderBy('tree_size', 'asc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map(toCheckpoint);
    return { items, next: rows.length > limit ? items[items.length - 1].treeSize : null };
  }

  size(): Promise<number> {
    return ledgerSize(this.db);
  }

  /** A stored perfect subtree; a missing one means the ledger is incomplete. */
  private readonly nodes = async (level: number, index: number): Promise<Hash> => {
    const row = await this.db
      .selectFrom(LEDGER_TABLES.nodes)
      .select('hash')
      .where('level', '=', level)
      .where('node_index', '=', index)
      .executeTakeFirst();
    if (!row) throw new Error(`The ledger has no node ${level}/${index}`);
    return Buffer.from(row.hash, 'hex');
  };

  private async treeSizeOrLatest(treeSize: number | undefined): Promise<number> {
    const size = await this.size();
    const chosen = treeSize ?? (await this.latestCheckpoint())?.treeSize ?? size;
    if (chosen > size) throw new BadRequestException(`treeSize ${chosen} is larger than the ledger (${size} leaves)`);
    return chosen;
  }

  async inclusion(query: { leafIndex?: number; stream?: string; revision?: number; treeSize?: number }): Promise<InclusionProofAnswer> {
    const treeSize = await this.treeSizeOrLatest(query.treeSize);
    let leafQuery = this.db.selectFrom(LEDGER_TABLES.leaves).selectAll();
    if (query.leafIndex !== undefined) leafQuery = leafQuery.where('leaf_index', '=', query.leafIndex);
    else if (query.stream !== undefined && query.revision !== undefined)
      leafQuery = leafQuery.where('stream_name', '=', query.stream).where('revision', '=', query.revision);
    else throw new BadRequestException('Give leafIndex, or stream and revision');
    const leaf = await leafQuery.orderBy('leaf_index', 'asc').limit(1).executeTakeFirst();
    if (!leaf)
      throw new NotFoundError(
        query.leafIndex !== undefined
          ? `The ledger has no leaf ${query.leafIndex}`
          : `The ledger has no event ${query.stream}@${query.revision}`,
      );
    const leafIndex = Number(leaf.leaf_index);
    if (leafIndex >= treeSize) throw new BadRequestException(`Leaf ${leafIndex} is not in the tree of ${treeSize} leaves`);
    const auditPath = await inclusionProof(this.nodes, leafIndex, treeSize);
    return {
      leafIndex,
      treeSize,
      leafHash: (await this.nodes(0, leafIndex)).toString('hex'),
      auditPath: auditPath.map((hash) => hash.toString('hex')),
      leaf: { hash: leaf.event_hash, index: leafIndex, revision: Number(leaf.revision), stream: leaf.stream_name },
    };
  }

  async consistency(from: number, to: number): Promise<ConsistencyProofAnswer> {
    const size = await this.size();
    if (to > size) throw new BadRequestException(`to ${to} is larger than the ledger (${size} leaves)`);
    if (from < 1 || from > to) throw new BadRequestException('A consistency proof needs 0 < from <= to');
    return { from, to, path: (await consistencyProof(this.nodes, from, to)).map((hash) => hash.toString('hex')) };
  }

  /** Every leaf of the ledger's tree of `treeSize` for one stream, in revision order (for `redress audit prove`). */
  async leavesOf(stream: string): Promise<{ leafIndex: number; revision: number; hash: string }[]> {
    const rows = await this.db
      .selectFrom(LEDGER_TABLES.leaves)
      .select(['leaf_index', 'revision', 'event_hash'])
      .where('stream_name', '=', stream)
      .orderBy('leaf_index', 'asc')
      .execute();
    return rows.map((row) => ({ leafIndex: Number(row.leaf_index), revision: Number(row.revision), hash: row.event_hash }));
  }

  /** The last event of the stream the ledger committed to. */
  async lastLeafOf(stream: string): Promise<{ revision: number; hash: string; leafIndex: number } | undefined> {
    const row = await this.db
      .selectFrom(LEDGER_TABLES.leaves)
      .select(['leaf_index', 'revision', 'event_hash'])
      .where('stream_name', '=', stream)
      .orderBy('leaf_index', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && { revision: Number(row.revision), hash: row.event_hash, leafIndex: Number(row.leaf_index) };
  }

  /** The set of streams the ledger has seen, with each one's number of leaves and last revision. */
  async streams(): Promise<{ stream: string; leaves: number; lastRevision: number }[]> {
    const rows = await this.db
      .selectFrom(LEDGER_TABLES.leaves)
      .select((eb) => ['stream_name', eb.fn.countAll().as('leaves'), eb.fn.max('revision').as('last')])
      .groupBy('stream_name')
      .orderBy('stream_name')
      .execute();
    return rows.map((row) => ({ stream: row.stream_name, leaves: Number(row.leaves), lastRevision: Number(row.last) }));
  }
}
