import { ProgressBar } from './progress-bar';
import { formatLoyaltyTable } from './demo/loyalty-table';
import { WINDOW_DAYS } from './demo/shop-simulation';

/** The demo's options, as `redress demo` parses them (see main.ts). */
export interface DemoArguments {
  readonly customers: number;
  readonly months: number;
  readonly seed: string;
  readonly dataDir?: string;
  readonly keep: boolean;
  readonly groupBy?: string;
  readonly serve: boolean;
  readonly port: number;
}

export const DEMO_DESCRIPTION =
  'Simulates a shop through the real Redress API (an in-process service on a temporary data directory): ' +
  'customers and purchases, complaints handled with varied quality, spending afterwards that depends on ' +
  `the outcome. Then prints the loyalty-outcome table for the period and the ${WINDOW_DAYS} days after it.`;

/** `redress demo`: simulate, print the loyalty table, and with --serve keep serving the data. */
export async function demoCommand(args: DemoArguments): Promise<void> {
  const started = Date.now();
  const bar = new ProgressBar(`Simulating ${args.customers} customers over ${args.months} months + ${WINDOW_DAYS} days`);
  const projecting = new ProgressBar('Projecting the read models');
  // Imported here: the demo runs the whole service in process; other commands (a rebuild) need not load it.
  const { runDemo } = await import('./demo/run-demo');
  const result = await runDemo({
    customers: args.customers,
    months: args.months,
    seed: args.seed,
    dataDir: args.dataDir,
    keep: args.keep || args.serve,
    groupBy: args.groupBy,
    onProgress: (done, total) => bar.update(done, total),
    onProjectionProgress: (done, total) => projecting.update(done, total),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const { loyalty, systemic, plan } = result;
  const day = (instant: string) => instant.slice(0, 10);
  const lastDay = (instant: string) => new Date(Date.parse(instant) - 1).toISOString().slice(0, 10);

  const out: string[] = [];
  out.push('');
  out.push(
    `Loyalty outcomes: customers active ${day(loyalty.period.from)} to ${lastDay(loyalty.period.to)}, ` +
      `their spend in the ${loyalty.window.days} days after (to ${lastDay(loyalty.window.to)}), ${loyalty.currency ?? 'no purchases'}`,
  );
  out.push('');
  out.push(formatLoyaltyTable(loyalty));
  out.push('');
  out.push(
    `${loyalty.customers} customers classified` +
      (loyalty.excluded.withdrawnOnly > 0 ? `; ${loyalty.excluded.withdrawnOnly} left out (their only complaint was withdrawn)` : '') +
      '. Recovered: every complaint resolved and the customer satisfied at follow-up; not recovered: resolved without satisfaction or closed unresolved.',
  );
  if (result.grouped) {
    out.push('');
    out.push(formatLoyaltyTable(result.grouped));
  }
  const fixed = plan.systemicFix && systemic.categories.find((category) => category.category === plan.systemicFix!.category);
  const fix = fixed?.fixes[0];
  if (fix) {
    const change = fix.change === null ? '' : ` (${fix.change <= 0 ? '−' : '+'}${Math.abs(fix.change * 100).toFixed(0)}%)`;
    out.push('');
    out.push(
      `Systemic fix in "${fixed.category}" effective ${day(fix.effectiveFrom)}: ${fix.before.complaints} complaints in the ${systemic.windowDays} days before, ` +
        `${fix.after.complaints} in the ${systemic.windowDays} days after${change}.`,
    );
  }
  out.push('');
  out.push(`${result.requests} requests through the API (${result.lastPosition} events) in ${seconds} s, seed ${args.seed}.`);
  const dashboardQuery = `from=${day(loyalty.period.from)}&to=${lastDay(loyalty.period.to)}&windowDays=${loyalty.window.days}`;
  if (!args.serve) {
    if (result.kept) out.push(`Data kept in ${result.dataDir}: explore it with  DATA_DIR=${result.dataDir} npm start  (then /docs).`);
    out.push(
      result.kept
        ? `Dashboard on this data: http://127.0.0.1:3000/dashboard?${dashboardQuery} with an analyst token (DATA_DIR=${result.dataDir} npm run token -- --sub me --role analyst).`
        : 'To see it on the analyst dashboard: npm run demo -- --serve (the same seed gives the same data), then open the link it prints.',
    );
    console.log(out.join('\n'));
    return;
  }
  console.log(out.join('\n'));
  await serve(result.dataDir, args.port, loyalty);
}

/**
 * `--serve`: the demo's data on 127.0.0.1 until Ctrl-C, with links that carry a token (in the fragment: it never
 * reaches a server log). The data is kept (the service's own shutdown hook ends the process on the signal).
 */
async function serve(
  dataDir: string,
  port: number,
  loyalty: { period: { from: string; to: string }; window: { days: number } },
): Promise<void> {
  const { serveDemo } = await import('./demo/serve-demo');
  const served = await serveDemo({ dataDir, port, period: loyalty.period, windowDays: loyalty.window.days });
  const listCases = await fetch(`${served.url}/cases?limit=1&sort=receivedAt`, {
    headers: { authorization: await served.bearer('analyst') },
  });
  const firstCase = listCases.ok ? ((await listCases.json()) as { items: Array<{ caseId: string }> }).items[0] : undefined;
  console.log(
    [
      '',
      `Serving the demo's data on ${served.url}; Ctrl-C stops it (the data stays in ${dataDir}: DATA_DIR=${dataDir} npm start serves it again).`,
      `Analyst dashboard:  ${served.dashboardUrl}`,
      ...(firstCase ? [`A case timeline:    ${await served.timelineUrl(firstCase.caseId)}`] : []),
      'The tokens last a day and live only in that browser tab (sessionStorage).',
    ].join('\n'),
  );
}
