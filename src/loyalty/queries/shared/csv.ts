/** RFC 4180 CSV of a table: a header of `columns`, one line per row, CRLF line ends; null and undefined are empty fields. */
export function toCsv<Row>(columns: ReadonlyArray<keyof Row & string>, rows: readonly Row[]): string {
  const line = (values: readonly unknown[]) => values.map(field).join(',');
  return [line(columns), ...rows.map((row) => line(columns.map((column) => row[column])))].join('\r\n') + '\r\n';
}

function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Whether the client asked for CSV (`Accept: text/csv`) rather than JSON. */
export function wantsCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = accept.split(',').map((part) => {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    return { type: type.trim(), q: q ? Number(q.slice(2)) : 1 };
  });
  const quality = (type: string) => Math.max(0, ...ranges.filter((range) => range.type === type).map((range) => range.q));
  const csv = quality('text/csv');
  return csv > 0 && csv >= quality('application/json');
}
