import type { LoyaltyRow } from '../../loyalty/public';
import type { LoyaltyOutcomes } from '../../loyalty/public';

const COHORT_NAMES: Record<string, string> = {
  'no-complaint': 'no complaint',
  recovered: 'recovered',
  'not-recovered': 'not recovered',
  open: 'open',
};

function money(minor: number | null, currency: string | null): string {
  if (minor === null) return '—';
  const symbol = currency === 'GBP' ? '£' : currency === 'EUR' ? '€' : currency === 'USD' ? '$' : '';
  return `${symbol}${(minor / 100).toFixed(2)}${symbol ? '' : ` ${currency ?? ''}`}`;
}

const percent = (fraction: number | null) => (fraction === null ? '—' : `${(fraction * 100).toFixed(1)}%`);
const signedPercent = (lift: number | null) => (lift === null ? '—' : `${lift >= 0 ? '+' : '−'}${Math.abs(lift * 100).toFixed(1)}%`);
const times = (lift: number | null) => (lift === null ? '—' : `${(lift + 1).toFixed(2)}×`);

/** The loyalty-outcome table as an analyst would print it: one line per cohort (and group), aligned. */
export function formatLoyaltyTable(report: LoyaltyOutcomes): string {
  const grouped = report.groupBy !== null;
  const header = [
    ...(grouped ? [report.groupBy!] : []),
    'cohort',
    'customers',
    'mean spend',
    'median spend',
    'retention',
    'referrals',
    'repeat complaints',
    'vs no complaint',
    'vs not recovered',
  ];
  const lines = report.rows.map((row: LoyaltyRow) => [
    ...(grouped ? [row.group ?? '—'] : []),
    COHORT_NAMES[row.cohort] ?? row.cohort,
    String(row.customers),
    money(row.meanSpend, report.currency),
    money(row.medianSpend, report.currency),
    percent(row.retention),
    String(row.referrals),
    String(row.repeatComplaints),
    row.cohort === 'no-complaint' ? '—' : signedPercent(row.meanSpendLiftVsNoComplaint),
    row.cohort === 'not-recovered' ? '—' : times(row.meanSpendLiftVsNotRecovered),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  const textColumns = grouped ? 2 : 1;
  const render = (cells: string[]) =>
    cells.map((cell, column) => (column < textColumns ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  return [render(header), widths.map((width) => '─'.repeat(width)).join('  '), ...lines.map(render)].join('\n');
}
