/* The case timeline: GET /cases/:caseId/history, /verify and /state?atRevision=N with an auditor's (or supervisor's) token. */
'use strict';

(() => {
  const { el, api, ApiError } = window.Redress;
  const caseId = decodeURIComponent(location.pathname.split('/')[2] || '');
  const status = document.getElementById('status');
  const slider = document.getElementById('revision');
  const output = document.getElementById('revision-output');
  let events = [];
  let pending;

  const when = (instant) =>
    instant ? new Date(instant).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC' : '—';
  const words = (type) =>
    type
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .replace(/^./, (first) => first.toUpperCase());
  const show = (value) => (value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value));

  async function load() {
    if (!window.Redress.token()) {
      status.textContent = 'Paste an auditor or supervisor token above to see the case.';
      return;
    }
    status.classList.remove('error');
    status.textContent = 'Loading…';
    try {
      events = [];
      let fromRevision = 0;
      for (;;) {
        const page = await api(`/cases/${encodeURIComponent(caseId)}/history?fromRevision=${fromRevision}&limit=1000`);
        events.push(...page.events);
        if (page.nextRevision === undefined || page.nextRevision === null) break;
        fromRevision = page.nextRevision;
      }
      const verdict = await api(`/cases/${encodeURIComponent(caseId)}/verify`);
      renderVerdict(verdict);
      renderEvents();
      const last = events.length - 1;
      slider.max = String(last);
      slider.value = String(last);
      document.getElementById('slider-section').hidden = false;
      document.getElementById('case-summary').textContent =
        `Case ${caseId}: ${events.length} events, ${when(events[0].metadata.occurredAt)} to ${when(events[last].metadata.occurredAt)}.`;
      await select(last);
      status.textContent = '';
    } catch (error) {
      const refused = error instanceof ApiError && (error.status === 401 || error.status === 403);
      status.textContent = refused
        ? `The API refused the token (${error.status}): ${error.message}`
        : `Could not load the case: ${error.message}`;
      status.classList.add('error');
    }
  }

  function renderVerdict(verdict) {
    const box = document.getElementById('verify');
    box.hidden = false;
    box.className = `verify ${verdict.valid ? 'ok' : 'broken'}`;
    box.textContent = verdict.valid
      ? `✔ Verified: the hash chain of all ${verdict.events} events is intact${verdict.ledger ? `, and matches the ledger (leaf ${verdict.ledger.leafIndex})` : ''}. Head ${verdict.head ? verdict.head.hash.slice(0, 16) : ''}…`
      : `✘ Not verified: broken at revision ${verdict.brokenAt}: ${verdict.reason}`;
  }

  function renderEvents() {
    const list = document.getElementById('events');
    list.replaceChildren(
      ...events.map((event) => {
        const { by, at, caseId: _caseId, ...changed } = event.data;
        const actor = event.metadata.actor || by || {};
        return el(
          'li',
          { class: 'event', id: `event-${event.revision}`, 'data-revision': event.revision },
          el(
            'h3',
            {},
            el(
              'button',
              {
                type: 'button',
                class: 'secondary',
                'aria-label': `Show the case after event ${event.revision}: ${words(event.type)}`,
                onclick: () => {
                  slider.value = String(event.revision);
                  void select(event.revision);
                },
              },
              `${event.revision}. ${words(event.type)}`,
            ),
          ),
          el('p', { class: 'meta', text: `${when(event.metadata.occurredAt)} · by ${actor.id || '—'} (${actor.role || '—'})` }),
          el(
            'dl',
            {},
            Object.entries(changed).flatMap(([name, value]) => [el('dt', { text: name }), el('dd', { text: show(value) })]),
          ),
        );
      }),
    );
  }

  async function select(revision) {
    output.textContent = `${revision}: ${words(events[revision].type)}`;
    for (const item of document.querySelectorAll('.event')) {
      const itemRevision = Number(item.dataset.revision);
      item.classList.toggle('current', itemRevision === revision);
      item.classList.toggle('future', itemRevision > revision);
      item.toggleAttribute('aria-current', itemRevision === revision);
    }
    const asked = revision;
    pending = asked;
    const answer = await api(`/cases/${encodeURIComponent(caseId)}/state?atRevision=${revision}`);
    if (pending !== asked) return;
    renderState(answer);
  }

  function renderState(answer) {
    const view = answer.view || {};
    const deadlines = view.deadlines || [];
    const container = document.getElementById('state');
    container.replaceChildren(
      el(
        'p',
        {},
        el('strong', { text: `Revision ${answer.atRevision}` }),
        ` — after ${words(answer.lastEvent.type)}, ${when(answer.lastEvent.occurredAt)}`,
      ),
      el(
        'dl',
        { class: 'facts' },
        ...[
          ['Status', view.status],
          ['Category', view.category],
          ['Severity', view.severity],
          ['Assignee', view.assignee],
          ['Escalation level', view.escalationLevel],
          ['Breached', view.breached ? 'yes' : 'no'],
        ].flatMap(([name, value]) => [el('dt', { text: name }), el('dd', { text: show(value) })]),
      ),
      el('h3', { text: 'Deadlines as they stood' }),
      deadlines.length === 0
        ? el('p', { text: 'None yet.' })
        : el(
            'ul',
            { class: 'deadline-list' },
            deadlines.map((deadline) =>
              el(
                'li',
                { class: deadline.status === 'met' ? 'met' : deadline.status === 'breached' ? 'late' : '' },
                `${words(deadline.kind)}: ${deadline.status}${deadline.dueAt ? `, due ${when(deadline.dueAt)}` : ''}${deadline.metAt ? `, met ${when(deadline.metAt)}` : ''}`,
              ),
            ),
          ),
      el('details', {}, el('summary', { text: 'The whole case view (JSON)' }), el('pre', { text: JSON.stringify(view, null, 2) })),
    );
  }

  let debounce;
  slider.addEventListener('input', () => {
    clearTimeout(debounce);
    const revision = Number(slider.value);
    output.textContent = `${revision}: ${words(events[revision].type)}`;
    debounce = setTimeout(
      () =>
        void select(revision).catch((error) => {
          status.textContent = error.message;
        }),
      120,
    );
  });

  window.Redress.takeTokenFromUrl();
  window.Redress.wireTokenForm(document.getElementById('token-form'), load);
  void load();
})();
