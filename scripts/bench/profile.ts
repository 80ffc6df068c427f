/**
 * Where a command's CPU goes: Redress under the HTTP mix at 64 connections with `node --cpu-prof`, then the
 * functions with the most self time. `npx ts-node --transpile-only scripts/bench/profile.ts [seconds] [reads]`; with `reads`,
 * GET /cases/:id over one connection instead.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLoad, load, seedCases, startRedress, tokenFor } from './http';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The samples taken between two instants of the monotonic clock (µs), which V8's profile clock shares on Linux. */
function window(profile: CpuProfile, fromUs: number, toUs: number): CpuProfile {
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    at += profile.timeDeltas[index] ?? 0;
    if (at < fromUs || at > toUs) return;
    samples.push(id);
    timeDeltas.push(profile.timeDeltas[index] ?? 0);
  });
  return { ...profile, samples, timeDeltas };
}

/** Where a function lives: its package, or its folder under src/. */
function areaOf(url: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return inPackage[1];
  // The service runs compiled: dist/ mirrors src/.
  const inSource = /\/(?:src|dist)\/([^/]+(?:\/[^/.]+)?)/.exec(url);
  if (inSource) return `src/${inSource[1]}`;
  return url.startsWith('node:') ? 'node' : url === '' ? '(native, GC)' : url;
}

export function selfTimeByArea(profile: CpuProfile): Array<{ area: string; selfPercent: number }> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') return;
    const delta = profile.timeDeltas[index] ?? 0;
    const area = areaOf(node.callFrame.url);
    self.set(area, (self.get(area) ?? 0) + delta);
    total += delta;
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([area, micros]) => ({ area, selfPercent: Math.round((1000 * micros) / total) / 10 }));
}

export function topSelfTime(profile: CpuProfile, count: number): Array<{ function: string; where: string; selfPercent: number }> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id)!;
    const delta = profile.timeDeltas[index] ?? 0;
    const where = `${node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'src/').replace(/^.*\/(src|scripts)\//, '$1/')}:${node.callFrame.lineNumber + 1}`;
    const key = `${node.callFrame.functionName || '(anonymous)'}\t${where}`;
    self.set(key, (self.get(key) ?? 0) + delta);
    if (node.callFrame.functionName !== '(idle)') total += delta;
  });
  return [...self.entries()]
    .filter(([key]) => !key.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, micros]) => {
      const [name, where] = key.split('\t');
      return { function: name, where, selfPercent: Math.round((1000 * micros) / total) / 10 };
    });
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 10);
  // `reads`: GET /cases/:id over one connection instead of the command mix.
  const reads = process.argv[3] === 'reads';
  const profileDir = mkdtempSync(join(tmpdir(), 'redress-profile-'));
  const redress = await startRedress({ nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] });
  const authorization = await tokenFor(redress.dataDir!)({ id: 'bench-agent', role: 'agent' });
  const caseIds = await seedCases(redress.url, authorization, 200, 50);
  const fromUs = Number(process.hrtime.bigint() / 1000n);
  const cpuBefore = redress.cpuMs();
  const figures = reads
    ? await getLoad(redress.url, `/cases/${caseIds[7]}`, seconds, authorization)
    : await load(redress.url, Number(process.env["PROFILE_CONNECTIONS"] ?? 64), seconds, { caseIds, customers: 50, authorization });
  const cpuMs = redress.cpuMs() - cpuBefore;
  const toUs = Number(process.hrtime.bigint() / 1000n);
  await redress.stop();
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error('no profile was written');
  const profile = window(JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile, fromUs, toUs);
  console.log(JSON.stringify(figures));
  // CPU time rather than the profile's busy time: on a shared machine a descheduled process still looks busy to the sampler.
  console.log(`server CPU ${(cpuMs / 1000).toFixed(1)} s: ${(cpuMs / (figures.requestsPerSecond * seconds)).toFixed(2)} ms per request`);
  const busy = profile.timeDeltas.reduce((sum, delta, index) => {
    const node = profile.nodes.find((candidate) => candidate.id === profile.samples[index]);
    return node?.callFrame.functionName === '(idle)' ? sum : sum + delta;
  }, 0);
  console.log(`busy ${(busy / 1e6).toFixed(1)} s of ${(profile.timeDeltas.reduce((a, b) => a + b, 0) / 1e6).toFixed(1)} s`);
  for (const row of selfTimeByArea(profile).slice(0, 15)) console.log(`${String(row.selfPercent).padStart(5)} %  ${row.area}`);
  for (const row of topSelfTime(profile, 25)) console.log(`${String(row.selfPercent).padStart(5)} %  ${row.function}  ${row.where}`);
  if (process.env['KEEP_PROFILE']) {
    // The load window alone, for DevTools or further analysis.
    writeFileSync(join(profileDir, 'load-window.cpuprofile'), JSON.stringify(profile));
    console.log(`profile kept in ${profileDir}`);
  }
  else rmSync(profileDir, { recursive: true, force: true });
}

if (require.main === module) void main();
