/**
 * Ledger proofs at scale: a ledger of `leaves` events (default 1,000,000) is written straight into a SQLite
 * read store, as the ledger projection would have left it, then inclusion and consistency proofs are asked of
 * the service that answers GET /audit/proofs/*. The baseline, measured in the same run on the same file, is one
 * primary-key lookup of a ledger row: a proof costs O(log n) such lookups, so the ratio should stay near log2 n.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LedgerService } from '../../src/audit/ledger/ledger.service';
import { leafHashOf } from '../../src/audit/ledger/ledger.projection';
import { LEDGER_TABLES, ledgerMigrations, type LedgerTables } from '../../src/audit/ledger/ledger.tables';
import { nodeHash, treeHeadOfLeafHashes, verifyConsistency, verifyInclusion, type Hash } from '../../src/audit/ledger/rfc9162';
import type { AppConfig } from '../../src/config/app-config';
import { systemClock } from '../../src/core/clock';
import { migrateReadStore, openReadStore } from '../../src/core/read-store/read-store';

export interface LatencySummary {
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface LedgerProofResults {
  readonly leaves: number;
  readonly buildSeconds: number;
  readonly lookup: LatencySummary;
  readonly inclusion: LatencySummary & { readonly ratioToLookupP50: number };
  readonly consistency: LatencySummary & { readonly ratioToLookupP50: number };
}

const SAMPLES = 300;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function time(samples: number, run: (sample: number) => Promise<unknown>): Promise<LatencySummary> {
  const ms: number[] = [];
  for (let sample = 0; sample < samples; sample++) {
    const started = performance.now();
    await run(sample);
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { p50Ms: Math.round(percentile(ms, 50) * 1000) / 1000, p99Ms: Math.round(percentile(ms, 99) * 1000) / 1000 };
}

/** Every leaf and every perfect subtree of a ledger of `count` random events, inserted in one transaction. */
function writeLedger(file: string, count: number): Hash[] {
  const sqlite = new Database(file);
  const leaf = sqlite.prepare(
    `INSERT INTO ${LEDGER_TABLES.leaves} (leaf_index, stream_name, revision, event_hash, position) VALUES (?, ?, ?, ?, ?)`,
  );
  const node = sqlite.prepare(`INSERT INTO ${LEDGER_TABLES.nodes} (level, node_index, hash) VALUES (?, ?, ?)`);
  let leafHashes: Hash[] = [];
  sqlite.transaction(() => {
    let level: Hash[] = [];
    for (let index = 0; index < count; index++) {
      const stream = `complaint-${index >> 4}`;
      const entry = { hash: randomBytes(32).toString('hex'), index, revision: index & 15, stream };
      leaf.run(index, stream, entry.revision, entry.hash, index + 1);
      const hash = leafHashOf(entry);
      level.push(hash);
      node.run(0, index, hash.toString('hex'));
    }
    leafHashes = level;
    for (let height = 1; level.length > 1; height++) {
      const parents: Hash[] = [];
      for (let index = 0; index + 1 < level.length; index += 2) {
        const parent = nodeHash(level[index], level[index + 1]);
        parents.push(parent);
        node.run(height, index / 2, parent.toString('hex'));
      }
      level = parents;
    }
  })();
  sqlite.close();
  return leafHashes;
}

export async function benchLedgerProofs(leaves = 1_000_000): Promise<LedgerProofResults> {
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-bench-ledger-'));
  try {
    const store = await openReadStore<LedgerTables>({ dataDir });
    await migrateReadStore(store, ledgerMigrations);
    const buildStarted = performance.now();
    const leafHashes = writeLedger(join(dataDir, 'read-models.db'), leaves);
    const buildSeconds = Math.round((performance.now() - buildStarted) / 10) / 100;
    // The proofs need neither the signing key nor the clock's schedule: only the tables.
    const ledger = new LedgerService(store, {} as AppConfig, systemClock);
    const leafAt = (sample: number) => (sample * 7_919 + 13) % leaves;

    const lookup = await time(SAMPLES, (sample) =>
      store.db.selectFrom(LEDGER_TABLES.leaves).selectAll().where('leaf_index', '=', leafAt(sample)).executeTakeFirstOrThrow(),
    );
    const inclusion = await time(SAMPLES, async (sample) => {
      const proof = await ledger.inclusion({ leafIndex: leafAt(sample), treeSize: leaves });
      if (sample === 0) assertInclusion(proof, leafHashes);
    });
    const consistency = await time(SAMPLES, async (sample) => {
      const from = 1 + (leafAt(sample) % (leaves - 1));
      const proof = await ledger.consistency(from, leaves);
      if (sample === 0) assertConsistency(proof, leafHashes);
    });
    await store.close();
    const ratio = (summary: LatencySummary) => Math.round((summary.p50Ms / Math.max(lookup.p50Ms, 0.001)) * 10) / 10;
    return {
      leaves,
      buildSeconds,
      lookup,
      inclusion: { ...inclusion, ratioToLookupP50: ratio(inclusion) },
      consistency: { ...consistency, ratioToLookupP50: ratio(consistency) },
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A proof the benchmark times must also be right: checked against the tree built in memory. */
function assertInclusion(proof: { leafIndex: number; treeSize: number; auditPath: string[] }, leafHashes: readonly Hash[]): void {
  const root = treeHeadOfLeafHashes(leafHashes);
  const path = proof.auditPath.map((hex) => Buffer.from(hex, 'hex'));
  if (!verifyInclusion(leafHashes[proof.leafIndex], proof.leafIndex, proof.treeSize, path, root)) {
    throw new Error(`inclusion proof for leaf ${proof.leafIndex} does not verify`);
  }
}

function assertConsistency(proof: { from: number; to: number; path: string[] }, leafHashes: readonly Hash[]): void {
  const path = proof.path.map((hex) => Buffer.from(hex, 'hex'));
  if (!verifyConsistency(proof.from, proof.to, treeHeadOfLeafHashes(leafHashes.slice(0, proof.from)), treeHeadOfLeafHashes(leafHashes), path)) {
    throw new Error(`consistency proof ${proof.from} → ${proof.to} does not verify`);
  }
}
