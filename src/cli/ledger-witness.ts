import { randomInt } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  checkpointProblem,
  consistencyHolds,
  eventChainHash,
  eventLeafHash,
  inclusionHolds,
  type LedgerPublicJwk,
  type SignedCheckpoint,
} from '../audit/headless';

/**
 * `redress audit witness | prove | check-proof`: an outside party keeps the ledger honest. Everything
 * here that decides whether something verifies is the RFC 8785 / RFC 9162 code (through
 * checkpoint-verification.ts); the rest fetches and reports.
 */
export const AUDIT_USAGE = `audit witness --url URL --state FILE [--public-key FILE] [--token T] [--spot-check N]
                               Fetch the latest signed checkpoint, verify its signature and that it extends the one in FILE,
                               spot-check N events against their history records, then keep it in FILE; exit 1 naming any failure.
  audit prove --case ID [--url URL] [--token T] [--out FILE]
                               Every event of the case with its inclusion proof against the latest checkpoint, as JSON.
  audit check-proof FILE [--public-key FILE]
                               Verify such a file offline; exit 1 naming any failure.`;

export class AuditUsageError extends Error {}
/** A verification failed: the message says what and where. */
export class WitnessFailure extends Error {}

interface WitnessState {
  readonly url: string;
  readonly publicKey: LedgerPublicJwk;
  readonly checkpoint: SignedCheckpoint;
  readonly witnessedAt: string;
}

interface InclusionAnswer {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  auditPath: string[];
  leaf: { hash: string; index: number; revision: number; stream: string };
}

interface HistoryRecord {
  type: string;
  recordedAt?: string;
  revision: number;
  data: unknown;
  metadata: Record<string, unknown>;
  sealed?: Record<string, string>;
}

function options(args: string[], flags: string[]): { values: Map<string, string>; rest: string[] } {
  const values = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (flags.includes(arg)) {
      const value = args[i + 1];
      if (value === undefined) throw new AuditUsageError(`${arg} needs a value`);
      values.set(arg, value);
      i += 1;
    } else if (arg.startsWith('--')) {
      throw new AuditUsageError(`Unknown option ${arg}\n\n${AUDIT_USAGE}`);
    } else {
      rest.push(arg);
    }
  }
  return { values, rest };
}

class Api {
  constructor(
    private readonly base: string,
    private readonly token: string | undefined,
  ) {}

  async get<T>(path: string, authenticated = true): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (authenticated && this.token) headers['authorization'] = `Bearer ${this.token}`;
    let response: Response;
    try {
      response = await fetch(new URL(path, this.base), { headers });
    } catch (error) {
      throw new WitnessFailure(`cannot reach ${this.base}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: response.status, body: body as T };
  }

  async ok<T>(path: string, authenticated = true): Promise<T> {
    const { status, body } = await this.get<T>(path, authenticated);
    if (status !== 200) {
      const detail = (body as { detail?: string } | undefined)?.detail ?? JSON.stringify(body);
      throw new WitnessFailure(`GET ${path} answered ${status}: ${detail}`);
    }
    return body;
  }
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** The data as stored: personal fields put back in their sealed form (the history shows them opened). */
function storedData(record: HistoryRecord): unknown {
  if (!record.sealed || Object.keys(record.sealed).length === 0) return record.data;
  const data = structuredClone(record.data) as Record<string, unknown>;
  for (const [path, sealed] of Object.entries(record.sealed)) {
    const keys = path.split('.');
    let target: Record<string, unknown> = data;
    for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
    target[keys[keys.length - 1]] = sealed;
  }
  return data;
}

/** Checks one event: its leaf is in the signed tree, and the history serves the very event the leaf commits to. */
async function spotCheck(api: Api, checkpoint: SignedCheckpoint, leafIndex: number): Promise<void> {
  const proof = await api.ok<InclusionAnswer>(`/audit/proofs/inclusion?leafIndex=${leafIndex}&treeSize=${checkpoint.treeSize}`);
  const { leaf } = proof;
  const where = `${leaf.stream}@${leaf.revision} (leaf ${leafIndex})`;
  if (leaf.index !== leafIndex || eventLeafHash(leaf).toString('hex') !== proof.leafHash)
    throw new WitnessFailure(`leaf ${leafIndex}: the leaf hash does not match what it claims to commit to`);
  if (!inclusionHolds(proof.leafHash, leafIndex, checkpoint, proof.auditPath)) {
    throw new WitnessFailure(`${where}: its inclusion proof does not verify against the signed tree head`);
  }
  const prefix = 'complaint-';
  if (!leaf.stream.startsWith(prefix)) return; // only complaint streams have a history endpoint
  const caseId = leaf.stream.slice(prefix.length);
  const { status, body } = await api.get<{ events: HistoryRecord[] }>(
    `/cases/${encodeURIComponent(caseId)}/history?fromRevision=${leaf.revision}&limit=1`,
  );
  if (status === 404) throw new WitnessFailure(`${where}: the stream ${leaf.stream} no longer exists (deleted stream)`);
  if (status !== 200) throw new WitnessFailure(`${where}: GET history answered ${status}`);
  const record = body.events[0];
  if (!record || record.revision !== leaf.revision) {
    throw new WitnessFailure(
      `${where}: the history of ${leaf.stream} has no revision ${leaf.revision} (events were removed: truncated stream)`,
    );
  }
  if (record.metadata['hash'] !== leaf.hash) {
    throw new WitnessFailure(
      `${where}: the history serves an event with hash ${String(record.metadata['hash'])}, the ledger committed to ${leaf.hash} (event replaced or rehashed)`,
    );
  }
  const recomputed = eventChainHash({
    streamName: leaf.stream,
    revision: record.revision,
    type: record.type,
    data: storedData(record),
    metadata: record.metadata,
  });
  if (recomputed !== leaf.hash) throw new WitnessFailure(`${where}: the stored event does not hash to its recorded hash (event edited)`);
  const changed = recordingTimeChange(record);
  if (changed) throw new WitnessFailure(`${where}: ${changed}`);
}

/** Hash version 2 events carry the instant they were recorded in their (hashed) metadata: it must be the one served. */
function recordingTimeChange(record: HistoryRecord): string | undefined {
  if (Number(record.metadata['hashVersion'] ?? 1) < 2 || record.metadata['recordedAt'] === record.recordedAt) return undefined;
  return `its recording time was changed (served ${String(record.recordedAt)}, its hash covers ${String(record.metadata['recordedAt'])})`;
}

/** `audit witness`: returns the lines it reports; throws WitnessFailure naming the first failure. */
export async function witnessCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const { values } = options(args, ['--url', '--state', '--public-key', '--token', '--spot-check']);
  const url = values.get('--url');
  const stateFile = values.get('--state');
  if (!url || !stateFile) throw new AuditUsageError(`audit witness needs --url and --state\n\n${AUDIT_USAGE}`);
  const spotChecks = Number(values.get('--spot-check') ?? '0');
  if (!Number.isSafeInteger(spotChecks) || spotChecks < 0) throw new AuditUsageError('--spot-check needs a whole number');
  const api = new Api(url, values.get('--token') ?? env['REDRESS_TOKEN']);
  const previous = existsSync(stateFile) ? readJson<WitnessState>(stateFile) : undefined;
  const lines: string[] = [];

  const served = await api.ok<LedgerPublicJwk>('/audit/public-key', false);
  const trusted = values.has('--public-key') ? readJson<LedgerPublicJwk>(values.get('--public-key')!) : (previous?.publicKey ?? served);
  if (served.x !== trusted.x)
    throw new WitnessFailure(`the service signs with another key (${served.kid}) than the trusted one (${trusted.kid})`);

  const latest = await api.get<SignedCheckpoint>('/audit/checkpoints/latest', false);
  if (latest.status === 404 && previous) {
    throw new WitnessFailure(
      `the service has no signed checkpoint, yet this witness holds one of ${previous.checkpoint.treeSize} leaves (${previous.checkpoint.issuedAt}): the ledger and its checkpoints were reset, or the ledger stopped at an altered event`,
    );
  }
  if (latest.status !== 200) throw new WitnessFailure(`GET /audit/checkpoints/latest answered ${latest.status}`);
  const checkpoint = latest.body;
  const problem = checkpointProblem(checkpoint, trusted);
  if (problem) throw new WitnessFailure(`checkpoint of ${checkpoint.treeSize} leaves: ${problem}`);
  lines.push(`checkpoint: ${checkpoint.treeSize} leaves, root ${checkpoint.rootHash}, issued ${checkpoint.issuedAt}, signature valid`);

  if (previous) {
    const old = previous.checkpoint;
    if (checkpoint.treeSize < old.treeSize) {
      throw new WitnessFailure(
        `the ledger shrank from ${old.treeSize} to ${checkpoint.treeSize} leaves since ${previous.witnessedAt}: events were removed (truncation or deletion)`,
      );
    }
    if (checkpoint.treeSize === old.treeSize) {
      if (checkpoint.rootHash !== old.rootHash)
        throw new WitnessFailure(
          `the ledger of ${old.treeSize} leaves now has another root (${checkpoint.rootHash}, was ${old.rootHash}): history was rewritten`,
        );
    } else {
      const { path } = await api.ok<{ path: string[] }>(`/audit/proofs/consistency?from=${old.treeSize}&to=${checkpoint.treeSize}`);
      if (!consistencyHolds(old, checkpoint, path)) {
        throw new WitnessFailure(
          `the tree of ${checkpoint.treeSize} leaves does not extend the witnessed tree of ${old.treeSize} leaves: history before ${old.issuedAt} was rewritten (events edited, removed, reordered or replaced)`,
        );
      }
    }
    lines.push(`consistent with the witnessed checkpoint of ${old.treeSize} leaves (${old.issuedAt})`);
  }

  if (spotChecks > 0 && checkpoint.treeSize > 0) {
    const indices =
      spotChecks >= checkpoint.treeSize
        ? Array.from({ length: checkpoint.treeSize }, (_, i) => i)
        : [...new Set(Array.from({ length: spotChecks * 3 }, () => randomInt(checkpoint.treeSize)))].slice(0, spotChecks);
    for (const index of indices) await spotCheck(api, checkpoint, index);
    lines.push(`${indices.length} event(s) spot-checked against their history records`);
  }

  const state: WitnessState = { url, publicKey: trusted, checkpoint, witnessedAt: new Date().toISOString() };
  writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
  lines.push(`witnessed: ${stateFile} now holds the checkpoint of ${checkpoint.treeSize} leaves`);
  return lines;
}

interface CaseProof {
  readonly caseId: string;
  readonly stream: string;
  readonly checkpoint: SignedCheckpoint;
  readonly publicKey: LedgerPublicJwk;
  readonly events: { record: HistoryRecord; leafIndex: number; leafHash: string; auditPath: string[] }[];
}

/** `audit prove --case ID`: writes the case's events with their inclusion proofs against the latest checkpoint. */
export async function proveCommand(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const { values } = options(args, ['--case', '--url', '--token', '--out']);
  const caseId = values.get('--case');
  if (!caseId) throw new AuditUsageError(`audit prove needs --case ID\n\n${AUDIT_USAGE}`);
  const url = values.get('--url') ?? env['REDRESS_URL'] ?? 'http://127.0.0.1:3000';
  const api = new Api(url, values.get('--token') ?? env['REDRESS_TOKEN']);
  const publicKey = await api.ok<LedgerPublicJwk>('/audit/public-key', false);
  const checkpoint = await api.ok<SignedCheckpoint>('/audit/checkpoints/latest', false);
  const stream = `complaint-${caseId}`;
  const records: HistoryRecord[] = [];
  for (let from = 0; ;) {
    const page = await api.ok<{ events: HistoryRecord[]; nextRevision: number | null }>(
      `/cases/${encodeURIComponent(caseId)}/history?fromRevision=${from}&limit=1000`,
    );
    records.push(...page.events);
    if (page.nextRevision === null) break;
    from = page.nextRevision;
  }
  const events: CaseProof['events'] = [];
  for (const record of records) {
    const { status, body } = await api.get<InclusionAnswer>(
      `/audit/proofs/inclusion?stream=${encodeURIComponent(stream)}&revision=${record.revision}&treeSize=${checkpoint.treeSize}`,
    );
    if (status !== 200)
      throw new WitnessFailure(
        `${stream}@${record.revision} is not in the latest checkpoint's tree of ${checkpoint.treeSize} leaves (${status}); retry after the next checkpoint`,
      );
    events.push({ record, leafIndex: body.leafIndex, leafHash: body.leafHash, auditPath: body.auditPath });
  }
  const proof: CaseProof = { caseId, stream, checkpoint, publicKey, events };
  const text = `${JSON.stringify(proof, null, 2)}\n`;
  if (values.has('--out')) writeFileSync(values.get('--out')!, text);
  else out.write(text);
}

/** `audit check-proof FILE`: verifies a proof file offline; returns the report, throws WitnessFailure on the first failure. */
export function checkProofCommand(args: string[]): string[] {
  const { values, rest } = options(args, ['--public-key']);
  const file = rest[0];
  if (!file) throw new AuditUsageError(`audit check-proof needs a FILE\n\n${AUDIT_USAGE}`);
  const proof = readJson<CaseProof>(file);
  const key = values.has('--public-key') ? readJson<LedgerPublicJwk>(values.get('--public-key')!) : proof.publicKey;
  const problem = checkpointProblem(proof.checkpoint, key);
  if (problem) throw new WitnessFailure(`checkpoint: ${problem}`);
  let prevHash = '0'.repeat(64);
  proof.events.forEach((event, i) => {
    const { record } = event;
    const where = `${proof.stream}@${record.revision}`;
    if (record.revision !== i) throw new WitnessFailure(`${where}: expected revision ${i} (an event is missing)`);
    if (record.metadata['prevHash'] !== prevHash) throw new WitnessFailure(`${where}: prevHash does not link to the previous event`);
    const hash = eventChainHash({
      streamName: proof.stream,
      revision: record.revision,
      type: record.type,
      data: storedData(record),
      metadata: record.metadata,
    });
    if (hash !== record.metadata['hash']) throw new WitnessFailure(`${where}: the event does not hash to its recorded hash (edited)`);
    const changed = recordingTimeChange(record);
    if (changed) throw new WitnessFailure(`${where}: ${changed}`);
    const leafHash = eventLeafHash({ hash, index: event.leafIndex, revision: record.revision, stream: proof.stream }).toString('hex');
    if (leafHash !== event.leafHash) throw new WitnessFailure(`${where}: the leaf hash does not match the event`);
    if (!inclusionHolds(leafHash, event.leafIndex, proof.checkpoint, event.auditPath))
      throw new WitnessFailure(`${where}: the inclusion proof does not verify against the signed checkpoint`);
    prevHash = hash;
  });
  return [
    `${proof.events.length} event(s) of case ${proof.caseId} verified: chained, and included in the signed tree of ${proof.checkpoint.treeSize} leaves (${proof.checkpoint.issuedAt})`,
  ];
}

/** `redress audit <sub-command> …`. */
export async function auditCommand(args: string[]): Promise<boolean> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'witness':
        for (const line of await witnessCommand(rest)) console.log(line);
        return true;
      case 'prove':
        await proveCommand(rest);
        return true;
      case 'check-proof':
        for (const line of checkProofCommand(rest)) console.log(line);
        return true;
      default:
        throw new AuditUsageError(`Unknown audit command "${sub ?? ''}".\n\n  ${AUDIT_USAGE}`);
    }
  } catch (error) {
    if (error instanceof WitnessFailure) {
      console.error(`FAILED: ${error.message}`);
      return false;
    }
    throw error;
  }
}
