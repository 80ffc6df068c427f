import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditRecord } from '../audit/case-stream';
import { COMPLAINT_STREAM_PREFIX, complaintStreamName } from '../complaints/domain/complaint.decider';
import type { AppConfig } from '../config/app-config';
import type { EventStore, RecordedEvent } from '../core/event-store/event-store.port';
import { ChainVerifier } from '../core/event-store/hash-chain';
import { openEventStore } from '../core/event-store/open-event-store';
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
    after = page[page.length - 1]!.position;
  }
  return done;
}

/**
 * `redress verify [caseId…]`: recomputes hash chains over the stored bytes — of the named cases, or
 * of every stream in one pass over the log. Returns false when any chain is broken.
 */
export async function verifyCommand(config: AppConfig, caseIds: string[], out: NodeJS.WritableStream = process.stdout): Promise<boolean> {
  const store = openEventStore(config);
  try {
    const verifier = new ChainVerifier();
    const wanted = new Set(caseIds.map(complaintStreamName));
    await scanLog(store, 'Verifying', (events) => {
      for (const event of events) if (wanted.size === 0 || wanted.has(event.streamName)) verifier.add(event);
    });
    const names = wanted.size > 0 ? [...wanted] : verifier.streamNames;
    let broken = 0;
    for (const name of names.sort()) {
      const verdict = verifier.verdict(name);
      if (verdict.events === 0) {
        broken += 1;
        out.write(`${name}: no such stream\n`);
      } else if (!verdict.valid) {
        broken += 1;
        out.write(`${name}: BROKEN at revision ${verdict.brokenAt}: ${verdict.reason}\n`);
      }
    }
    out.write(`${names.length} stream(s) verified, ${broken} broken\n`);
    return broken === 0;
  } finally {
    await store.close();
  }
}

/** `redress export --out DIR [caseId…]`: one NDJSON file per case, every event as stored (re-verifiable offline). */
export async function exportCommand(config: AppConfig, outDir: string, caseIds: string[]): Promise<number> {
  const store = openEventStore(config);
  try {
    mkdirSync(outDir, { recursive: true });
    const wanted = new Set(caseIds.map(complaintStreamName));
    const started = new Set<string>();
    const count = await scanLog(store, 'Exporting', (events) => {
      const lines = new Map<string, string[]>();
      for (const event of events) {
        if (!event.streamName.startsWith(COMPLAINT_STREAM_PREFIX) || (wanted.size > 0 && !wanted.has(event.streamName))) continue;
        lines.set(event.streamName, [...(lines.get(event.streamName) ?? []), JSON.stringify(auditRecord(event))]);
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
    if (missing.length > 0) throw new Error(`No such case: ${missing.map((stream) => stream.slice(COMPLAINT_STREAM_PREFIX.length)).join(', ')}`);
    return started.size;
  } finally {
    await store.close();
  }
}
