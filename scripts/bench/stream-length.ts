/**
 * What one command costs as its stream grows, in process (no HTTP), on the embedded event store: a logged contact
 * on a complaint case and a purchase on a customer, timed at stream lengths 10, 100 and 1,000 events. The
 * baseline is the same command on a stream of 10 events, measured in the same run: flat is a ratio near 1.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { complaintStream } from '../../src/complaints/case-commands';
import { DEFAULT_COMPLAINT_POLICY } from '../../src/complaints/domain/complaint-policy';
import type { CommandContext } from '../../src/core/command-handling';
import { executeStreamCommand } from '../../src/core/commands/execute-stream-command';
import { SqliteEventStore } from '../../src/core/event-store/sqlite-event-store';
import { customerStream } from '../../src/customers/customer-commands';
import { spread, type Spread } from './stats';

const AT = '2026-11-20T10:00:00.000Z';
const by = { id: 'bench-agent', role: 'agent' as const };

function context(): CommandContext {
  const id = randomUUID();
  return { commandId: id, correlationId: id, causationId: id, actor: by, occurredAt: AT };
}

export interface StreamLengthResults {
  readonly msPerCommand: Record<string, Record<string, Spread>>;
  readonly ratioTo10: Record<string, Record<string, Spread>>;
}

export async function benchStreamLength(lengths: readonly number[] = [10, 100, 1000], samples = 30): Promise<StreamLengthResults> {
  const dir = mkdtempSync(join(tmpdir(), 'redress-bench-streams-'));
  const store = new SqliteEventStore(join(dir, 'events.db'));
  const complaints = complaintStream(DEFAULT_COMPLAINT_POLICY);
  let order = 0;
  const kinds = {
    complaint: {
      start: async () => {
        const caseId = randomUUID();
        await executeStreamCommand(store, complaints, caseId, {
          type: 'ReceiveComplaint',
          data: { caseId, customerId: 'c-1', channel: 'email', summary: 'Late parcel', regime: 'default' },
          by,
          at: AT,
        } as never, context());
        return caseId;
      },
      step: (id: string) =>
        executeStreamCommand(store, complaints, id, {
          type: 'LogCustomerContact',
          data: { direction: 'outbound', channel: 'phone', summary: 'Called back' },
          by,
          at: AT,
        } as never, context()),
    },
    customer: {
      start: async () => randomUUID(),
      step: (id: string) =>
        executeStreamCommand(store, customerStream, id, {
          type: 'RecordPurchase',
          data: { customerId: id, orderId: `o-${order++}`, amount: 100, currency: 'GBP', at: AT },
          by,
          at: AT,
        } as never, context()),
    },
  };
  const msPerCommand: StreamLengthResults['msPerCommand'] = {};
  const ratioTo10: StreamLengthResults['ratioTo10'] = {};
  try {
    for (const [kind, { start, step }] of Object.entries(kinds)) {
      // Warm the code paths (JIT) before anything is timed.
      const warm = await start();
      for (let n = 0; n < 30; n++) await step(warm);
      const perLength: Record<string, number[]> = {};
      for (const length of lengths) {
        const id = await start();
        for (let n = kind === 'complaint' ? 1 : 0; n < length; n++) await step(id);
        const runs: number[] = [];
        for (let sample = 0; sample < samples; sample++) {
          const started = performance.now();
          await step(id);
          runs.push(performance.now() - started);
        }
        perLength[String(length)] = runs;
      }
      msPerCommand[kind] = Object.fromEntries(Object.entries(perLength).map(([length, runs]) => [length, spread(runs)]));
      const base = spread(perLength[String(lengths[0])]).median;
      ratioTo10[kind] = Object.fromEntries(
        Object.entries(perLength).map(([length, runs]) => [length, spread(runs.map((ms) => ms / base))]),
      );
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { msPerCommand, ratioTo10 };
}

if (require.main === module) void benchStreamLength().then((results) => console.log(JSON.stringify(results.msPerCommand)));
