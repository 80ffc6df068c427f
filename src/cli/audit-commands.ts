import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditRecord, ledgerStreams, type LedgerStream, type LedgerTables } from '../audit/headless';
import { COMPLAINT_STREAM_PREFIX, complaintStreamName } from '../complaints/headless';
import type { AppConfig } from '../config/app-config';
import type { EventStore, RecordedEvent } from '../core/event-store/event-store.port';
import { ChainVerifier } from '../core/event-store/hash-chain';
import { openEventStore } from '../core/event-store/open-event-store';
import { openReadStore } from '../core/read-store/read-store';
import { REDRESS_STREAM_PREFIXES } from '../event-schemas';
import { PERSONAL_FIELDS } from '../personal-fields';
import { PersonalDataProtection } from '../privacy/headless';
import { ProgressBar } from './progress-bar';

const PAGE = 1000;

/** Reads the global log once, in pages, handing each page to `visit` (with progress). */
async function scanLog(store: EventStore, label: string, visit: (events: RecordedEvent[]) => void): Promise<number> {
  const total = await store.countEventsAfter(0);
  const bar = new ProgressBar(label);
  let done = 0;
  bar.update(0, total);
  for (let after = 0; ;) {
    const page = await store.readAll({ after, maxCount: PAGE });
    if (page.length === 0) break;
    visit(page);
    done += page.length;
    bar.update(Math.min(done, total), total);
    after = page[page.length - 1].position;
  }
  return done;
}

/** One stream's verdict, as `verify --json` prints it. */
export interface StreamVerdict {
  readonly stream: string;
  readonly status: 'ok' | 'broken' | 'deleted' | 'truncated' | 'replaced' | 'missing';
  readonly revision?: number;
  readonly hash?: string;
  /** The line `verify` prints for it. */
  readonly detail: string;
}

/**
 * `redress verify [caseId…]`: recomputes hash chains over the stored bytes — of the named cases, or
 * of every stream in one pass over the log — and prints each stream's head (last revision and hash).
 * Over every stream it also compares the log with the ledger (the read store's Merkle tree of every
 * event): a stream the ledger recorded but the log no longer has, or whose last recorded event is gone
 * or different, is named. Returns false when anything is broken. With `json`, one JSON document instead of lines.
 */
export async function verifyCommand(
  config: AppConfig,
  caseIds: string[],
  out: NodeJS.WritableStream = process.stdout,
  options: { readonly json?: boolean } = {},
): Promise<boolean> {
  const store = openEventStore(config, REDRESS_STREAM_PREFIXES);
  try {
    const verifier = new ChainVerifier();
    const wanted = new Set(caseIds.map(complaintStreamName));
    await scanLog(store, 'Verifying', (events) => {
      for (const event of events) if (wanted.size === 0 || wanted.has(event.streamName)) verifier.add(event);
    });
    const ledger = wanted.size === 0 ? await readLedgerStreams(config) : undefined;
    const deleted = ledger ? [...ledger.keys()].filter((name) => verifier.verdict(name).events === 0) : [];
    const names = wanted.size > 0 ? [...wanted] : [...verifier.streamNames, ...deleted];
    const verdicts = names.sort().map((name): StreamVerdict => {
      const verdict = verifier.verdict(name);
      const head = verifier.head(name);
      const recorded = ledger?.get(name);
      const at = head ? { revision: head.revision, hash: head.hash } : {};
      const headText = head ? `revision ${head.revision}, head ${head.hash}` : '';
      const of = (status: StreamVerdict['status'], detail: string): StreamVerdict => ({
        stream: name,
        status,
        ...at,
        detail: `${name}: ${detail}`,
      });
      if (verdict.events === 0 && recorded) {
        return of(
          'deleted',
          `DELETED: the ledger recorded ${recorded.leaves} event(s) of it, up to revision ${recorded.lastRevision} (hash ${recorded.lastHash})`,
        );
      }
      if (verdict.events === 0) return of('missing', 'no such stream');
      if (!verdict.valid) return of('broken', `BROKEN at revision ${verdict.brokenAt}: ${verdict.reason} (${headText})`);
      if (recorded && head && head.revision < recorded.lastRevision) {
        return of(
          'truncated',
          `TRUNCATED: the ledger recorded revision ${recorded.lastRevision} (hash ${recorded.lastHash}), the log ends at ${headText}`,
        );
      }
      if (recorded && head && head.revision === recorded.lastRevision && head.hash !== recorded.lastHash) {
        return of('replaced', `REPLACED: revision ${head.revision} has hash ${head.hash}, the ledger recorded ${recorded.lastHash}`);
      }
      return of('ok', `ok, ${headText}`);
    });
    const broken = verdicts.filter((verdict) => verdict.status !== 'ok').length;
    if (options.json) {
      out.write(
        `${JSON.stringify({ verified: verdicts.length, broken, streams: verdicts.map(({ detail: _, ...verdict }) => verdict) })}\n`,
      );
    } else {
      for (const verdict of verdicts) out.write(`${verdict.detail}\n`);
      out.write(`${names.length} stream(s) verified, ${broken} broken\n`);
    }
    return broken === 0;
  } finally {
    await store.close();
  }
}

/** The ledger's view of every stream, or undefined (with a note) when the read store has no ledger yet. */
async function readLedgerStreams(config: AppConfig): Promise<Map<string, LedgerStream> | undefined> {
  if (!config.readStoreUrl && !existsSync(join(config.dataDir, 'read-models.db'))) {
    process.stderr.write('No read store in DATA_DIR: streams not compared with the ledger\n');
    return undefined;
  }
  const readStore = await openReadStore<LedgerTables>({
    url: config.readStoreUrl,
    schema: config.readStoreSchema,
    dataDir: config.dataDir,
  });
  try {
    return await ledgerStreams(readStore.db);
  } catch (error) {
    process.stderr.write(
      `The ledger cannot be read (${error instanceof Error ? error.message : String(error)}): streams not compared with it\n`,
    );
    return undefined;
  } finally {
    await readStore.close();
  }
}

/**
 * `redress export --out DIR [caseId…]`: one NDJSON file per case, every event as stored, its personal fields opened
 * (or `[erased]`) with their stored form in `sealed`, so the files re-verify offline.
 */
export async function exportCommand(config: AppConfig, outDir: string, caseIds: string[]): Promise<number> {
  const store = openEventStore(config, REDRESS_STREAM_PREFIXES);
  const personalData = PersonalDataProtection.open(config, PERSONAL_FIELDS, { lazy: true });
  try {
    mkdirSync(outDir, { recursive: true });
    const wanted = new Set(caseIds.map(complaintStreamName));
    const started = new Set<string>();
    const count = await scanLog(store, 'Exporting', (events) => {
      const lines = new Map<string, string[]>();
      const opener = personalData.opener();
      for (const event of events) {
        if (!event.streamName.startsWith(COMPLAINT_STREAM_PREFIX) || (wanted.size > 0 && !wanted.has(event.streamName))) continue;
        lines.set(event.streamName, [...(lines.get(event.streamName) ?? []), JSON.stringify(opener.openEventRecord(auditRecord(event)))]);
      }
      for (const [stream, streamLines] of lines) {
        const file = join(outDir, `${stream.slice(COMPLAINT_STREAM_PREFIX.length)}.ndjson`);
        const text = `${streamLines.join('\n')}\n`;
        if (started.has(stream)) appendFileSync(file, text);
        else writeFileSync(file, text);
        started.add(stream);
      }
    });
    process.stderr.write(`Exported ${started.size} case(s) to ${outDir} (${count} events read)\n`);
    const missing = [...wanted].filter((stream) => !started.has(stream));
    if (missing.length > 0)
      throw new Error(`No such case: ${missing.map((stream) => stream.slice(COMPLAINT_STREAM_PREFIX.length)).join(', ')}`);
    return started.size;
  } finally {
    personalData.close();
    await store.close();
  }
}
