/** The README's "What we tried" table from the fault suite's figures (pure, so it is tested on its own). */
export const BEGIN_MARKER = '<!-- faults-table:begin (npm run faults:report writes this table) -->';
export const END_MARKER = '<!-- faults-table:end -->';

export interface FaultRow {
  readonly key: string;
  readonly fault: string;
  readonly outcome: string;
  readonly figures: readonly string[];
  readonly at?: string;
  readonly node?: string;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderFaultTable(rows: readonly FaultRow[]): string {
  const dates = rows.flatMap((row) => (row.at ? [row.at] : [])).sort();
  const nodes = [...new Set(rows.flatMap((row) => (row.node ? [row.node] : [])))];
  const when = dates.length > 0 ? `Last run ${dates[dates.length - 1].slice(0, 16).replace('T', ' ')} UTC` : 'Last run: date unknown';
  return [
    `${when}${nodes.length > 0 ? `, Node.js ${nodes.join(', ')}` : ''}, ${rows.length} faults.`,
    '',
    '| fault | what happens | figures (last run) |',
    '|---|---|---|',
    ...rows.map((row) => `| ${cell(row.fault)} | ${cell(row.outcome)} | ${row.figures.map(cell).join('; ')} |`),
  ].join('\n');
}

/** `document` with the text between the markers replaced by `table`; the markers must be there, once each. */
export function replaceBetweenMarkers(document: string, table: string): string {
  const begin = document.indexOf(BEGIN_MARKER);
  const end = document.indexOf(END_MARKER);
  if (begin < 0 || end < begin) throw new Error(`README.md needs the markers ${BEGIN_MARKER} and ${END_MARKER}, in that order`);
  return `${document.slice(0, begin + BEGIN_MARKER.length)}\n${table}\n${document.slice(end)}`;
}
