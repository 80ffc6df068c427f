import { act, agent, read, readCase, receive, supervisor } from '../support/case-scenarios';
import { eventsOf, expectProblem, withTestServer } from './e2e-helpers';

const analyst = { 'X-Actor-Id': 'analyst-1', 'X-Actor-Role': 'analyst' };
const assessment = { category: 'delivery', severity: 'high', justified: 'yes', rootCause: 'systemic', findings: 'Courier' };

describe('the desk on one case: tags, internal notes, the vulnerability flag and the root-cause taxonomy', () => {
  const server = withTestServer({ env: { DEADLINE_CHECK_INTERVAL_MS: '86400000' } });

  it('tags and untags a case: the view and the history say who did what; a repeat is a 409 naming the rule', async () => {
    const { caseId } = await receive(server, { customerId: 'cust-t', channel: 'email', summary: 'Late parcel' });
    await act(server, caseId, 'tags', { tag: 'vip' });
    await act(server, caseId, 'tags', { tag: 'press' }, supervisor);
    const last = await act(server, caseId, 'tags/remove', { tag: 'vip' });
    expect((await readCase(server, caseId, last.position)).body.tags).toEqual(['press']);
    const history = await eventsOf(server, caseId);
    expect(history.filter((e) => /^Case(Un)?tagged$/i.test(e.type)).map((e) => [e.type, e.data['tag'], e.data['by']])).toEqual([
      ['CaseTagged', 'vip', { id: 'agent-7', role: 'agent' }],
      ['CaseTagged', 'press', { id: 'sup-1', role: 'supervisor' }],
      ['CaseUntagged', 'vip', { id: 'agent-7', role: 'agent' }],
    ]);
    const again = await server.post(`/cases/${caseId}/tags`, { tag: 'press' }, agent);
    expectProblem(again, 409);
    expect(again.body.rule).toBe('tag-already-on-case');
    const notThere = await server.post(`/cases/${caseId}/tags/remove`, { tag: 'vip' }, agent);
    expect(notThere.body.rule).toBe('tag-not-on-case');
    expect((await server.post(`/cases/${caseId}/tags`, { tag: 'Not A Tag' }, agent)).status).toBe(400);
  });

  it("keeps internal notes for staff on the case view, with their author, and never as the customer's words", async () => {
    const { caseId } = await receive(server, { customerId: 'cust-n', channel: 'email', summary: 'Broken lamp' });
    const note = await server.post(`/cases/${caseId}/notes`, { text: 'Depot confirms the box was crushed' }, agent);
    expect(note.status).toBe(200);
    expect(note.body.noteId).toEqual(expect.any(String));
    const view = (await readCase(server, caseId, note.body.position)).body;
    expect(view.notes).toEqual([
      {
        noteId: note.body.noteId,
        text: 'Depot confirms the box was crushed',
        at: expect.any(String),
        by: { id: 'agent-7', role: 'agent' },
      },
    ]);
    expect(view.contacts).toEqual([]);
    // Staff only: an analyst reads case views but writes no notes.
    expect((await server.post(`/cases/${caseId}/notes`, { text: 'x' }, analyst)).status).toBe(403);
  });

  it('flags a customer vulnerable (FG21/1) with a shortened target, shows it on view and queue, and clears it', async () => {
    const { caseId } = await receive(server, { customerId: 'cust-v', channel: 'phone', summary: 'Charged twice', regime: 'FCA' });
    const flagged = await act(server, caseId, 'vulnerability', {
      reason: 'life-events',
      note: 'Recently bereaved',
      shortenedFinalResponseDays: 14,
    });
    const view = (await readCase(server, caseId, flagged.position)).body;
    expect(view.vulnerability).toEqual({
      reason: 'life-events',
      note: 'Recently bereaved',
      shortenedFinalResponseDays: 14,
      flaggedAt: expect.any(String),
      flaggedBy: { id: 'agent-7', role: 'agent' },
    });
    const listed = await read(server, '/cases?vulnerable=true', flagged.position);
    expect(listed.body.items).toEqual([expect.objectContaining({ caseId, vulnerable: 'life-events' })]);
    const tooLong = await server.post(`/cases/${caseId}/vulnerability`, { reason: 'health', shortenedFinalResponseDays: 60 }, agent);
    expect(tooLong.body.rule).toBe('shortened-deadline-not-shorter');
    const cleared = await act(server, caseId, 'vulnerability/clear', { note: 'Support in place' });
    expect((await readCase(server, caseId, cleared.position)).body).not.toHaveProperty('vulnerability');
    expect((await server.post(`/cases/${caseId}/vulnerability/clear`, {}, agent)).body.rule).toBe('case-not-flagged-vulnerable');
  });

  it('checks a root-cause code against the taxonomy in force and lets analysts group loyalty by its levels and by vulnerability', async () => {
    const taxonomy = await server.get('/taxonomy', agent);
    expect(taxonomy.status).toBe(200);
    expect(taxonomy.body.current.version).toBe('taxonomy@2026-01');
    expect(Object.keys(taxonomy.body.current.categories.billing)).toContain('double-charge');

    const a = await receive(server, { customerId: 'cust-g1', channel: 'email', summary: 'Late' });
    const assessed = await act(server, a.caseId, 'assess', { ...assessment, causeCode: 'delivery/late' });
    expect((await readCase(server, a.caseId, assessed.position)).body.causeCode).toBe('delivery/late');
    const unknown = await server.post(`/cases/${a.caseId}/assess`, { ...assessment, causeCode: 'delivery/teleported' }, agent);
    expectProblem(unknown, 409);
    expect(unknown.body.rule).toBe('cause-code-unknown');
    const outside = await server.post(`/cases/${a.caseId}/assess`, { ...assessment, causeCode: 'billing/double-charge' }, agent);
    expect(outside.body.rule).toBe('cause-code-outside-category');
    const b = await receive(server, { customerId: 'cust-g2', channel: 'email', summary: 'Charged twice' });
    const last = await act(server, b.caseId, 'vulnerability', { reason: 'health' });

    const today = new Date().toISOString().slice(0, 10);
    const groupsOf = async (groupBy: string) => {
      const response = await server.get(
        `/analytics/loyalty-outcomes?from=${today}&to=${today}&windowDays=1&minCohort=1&groupBy=${groupBy}&minPosition=${last.position}`,
        analyst,
      );
      expect(response.status).toBe(200);
      return new Set((response.body.rows as Array<{ group: string | null }>).map((row) => row.group));
    };
    const level1 = await groupsOf('causeLevel1');
    expect(level1.has('delivery')).toBe(true);
    expect(level1.has('uncoded')).toBe(true);
    expect((await groupsOf('causeLevel2')).has('delivery/late')).toBe(true);
    const vulnerability = await groupsOf('vulnerability');
    expect(vulnerability.has('health')).toBe(true);
    expect(vulnerability.has('not-vulnerable')).toBe(true);
  });
});
