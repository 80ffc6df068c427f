import { BEGIN_MARKER, END_MARKER, renderFaultTable, replaceBetweenMarkers } from '../../scripts/faults-table';

describe('the README fault table', () => {
  const rows = [
    {
      key: 'a',
      fault: 'Cut | off',
      outcome: 'comes back',
      figures: ['503 in: 70 ms', 'lost: 0'],
      at: '2026-11-27T11:00:00.000Z',
      node: 'v20.20.2',
    },
  ];

  it('renders one row per fault, with its figures and the date of the run', () => {
    const table = renderFaultTable(rows);
    expect(table).toContain('Last run 2026-11-27 11:00 UTC, Node.js v20.20.2, 1 faults.');
    expect(table).toContain('| Cut \\| off | comes back | 503 in: 70 ms; lost: 0 |');
  });

  it('replaces only what lies between the markers', () => {
    const readme = `# Title\n\n${BEGIN_MARKER}\nold table\n${END_MARKER}\n\nAfter.\n`;
    const next = replaceBetweenMarkers(readme, 'new table');
    expect(next).toBe(`# Title\n\n${BEGIN_MARKER}\nnew table\n${END_MARKER}\n\nAfter.\n`);
    expect(() => replaceBetweenMarkers('# no markers', 'x')).toThrow('markers');
  });
});
