/* The analyst dashboard: reads GET /analytics/loyalty-outcomes, /analytics/systemic-issues and /analytics/deadlines with the analyst's token. */
'use strict';

(() => {
  const { el, table, downloadCsv, money, percent, signedPercent, range } = window.Redress;
  const COHORTS = ['no-complaint', 'recovered', 'not-recovered', 'open'];
  const COHORT_LABEL = { 'no-complaint': 'No complaint', recovered: 'Recovered', 'not-recovered': 'Not recovered', open: 'Still open' };
  // Colours chosen for contrast on the dark panels (each ≥ 4.5:1 against #1e293b) and to stay apart for the colour-blind.
  const COHORT_COLOUR = { 'no-complaint': '#94a3b8', recovered: '#34d399', 'not-recovered': '#fb7185', open: '#fbbf24' };
  const GROUP_LABEL = {
    firstResponseBucket: 'time to first response',
    category: 'category',
    channel: 'channel',
    rootCause: 'root cause',
    goodwillKind: 'goodwill',
    causeLevel1: 'root-cause category (taxonomy)',
    causeLevel2: 'root cause (taxonomy)',
    vulnerability: 'vulnerability',
  };
  const charts = new Map();

  Chart.defaults.color = '#e2e8f0';
  Chart.defaults.borderColor = '#334155';
  Chart.defaults.font.size = 14;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.animation = false;
  Chart.register(window.Redress.errorBarsPlugin);

  const form = document.getElementById('controls');
  const status = document.getElementById('status');

  /** The controls from the address (?from=&to=&windowDays=&currency=&groupBy=), else the six months that ended a window ago. */
  function initControls() {
    const params = new URLSearchParams(location.search);
    const day = (date) => date.toISOString().slice(0, 10);
    const windowDays = Number(params.get('windowDays') || 90);
    const end = new Date(Date.now() - windowDays * 86_400_000);
    const start = new Date(end.getTime() - 182 * 86_400_000);
    form.from.value = params.get('from') || day(start);
    form.to.value = params.get('to') || day(end);
    form.windowDays.value = String(windowDays);
    form.currency.value = params.get('currency') || '';
    form.groupBy.value = params.get('groupBy') || 'firstResponseBucket';
  }

  function query() {
    const params = new URLSearchParams({ from: form.from.value, to: form.to.value, windowDays: form.windowDays.value });
    if (form.currency.value.trim()) params.set('currency', form.currency.value.trim().toUpperCase());
    return params;
  }

  async function load() {
    if (!window.Redress.token()) {
      status.textContent = 'Paste an analyst token above (or open the link the demo prints) to see the figures.';
      document.getElementById('token-input').focus();
      return;
    }
    const params = query();
    const groupBy = form.groupBy.value;
    const period = new URLSearchParams({ from: form.from.value, to: form.to.value });
    history.replaceState(null, '', `${location.pathname}?${new URLSearchParams([...params, ['groupBy', groupBy]])}`);
    status.textContent = 'Loading…';
    try {
      const [outcomes, grouped, systemic, deadlines] = await Promise.all([
        window.Redress.api(`/analytics/loyalty-outcomes?${params}`),
        window.Redress.api(`/analytics/loyalty-outcomes?${params}&groupBy=${encodeURIComponent(groupBy)}`),
        window.Redress.api(`/analytics/systemic-issues?${period}`),
        window.Redress.api(`/analytics/deadlines?${period}`),
      ]);
      render(outcomes, grouped, systemic, deadlines);
      status.textContent = `Updated ${new Date().toLocaleTimeString('en-GB')}: ${outcomes.customers} active customers.`;
    } catch (error) {
      const refused = error instanceof window.Redress.ApiError && (error.status === 401 || error.status === 403);
      status.textContent = refused
        ? `The API refused the token (${error.status}): ${error.message} Paste an analyst token.`
        : `Could not load the figures: ${error.message}`;
      status.classList.add('error');
      return;
    }
    status.classList.remove('error');
  }

  function render(outcomes, grouped, systemic, deadlines) {
    const currency = outcomes.currency;
    const day = (instant) => instant.slice(0, 10);
    const lastDay = (instant) => new Date(Date.parse(instant) - 1).toISOString().slice(0, 10);
    document.getElementById('period-summary').textContent =
      `Customers active ${day(outcomes.period.from)} to ${lastDay(outcomes.period.to)}, ` +
      `their spend in the ${outcomes.window.days} days after${outcomes.window.complete ? '' : ' (window still running)'}${currency ? `, ${currency}` : ''}.`;
    const { intervals } = outcomes;
    document.getElementById('method-note').textContent =
      `Intervals: 95% percentile bootstrap over customers, ${intervals.resamples.toLocaleString('en-GB')} resamples, seed ${intervals.seed}; ` +
      `cohorts under ${intervals.minCohort} customers are flagged and get none. Fix windows: ${systemic.windowDays} days, exact Poisson intervals. Lifts are associations, not causes.`;
    renderTiles(outcomes, systemic, deadlines);
    renderCohorts(outcomes);
    renderGroups(grouped, currency);
    renderSystemic(systemic);
    renderDeadlines(deadlines);
  }

  const row = (outcomes, cohort) => outcomes.rows.find((candidate) => candidate.cohort === cohort);

  function renderTiles(outcomes, systemic, deadlines) {
    const recovered = row(outcomes, 'recovered');
    const notRecovered = row(outcomes, 'not-recovered');
    const ratio = recovered.meanSpendLiftVsNotRecovered === null ? '—' : `${(recovered.meanSpendLiftVsNotRecovered + 1).toFixed(2)}×`;
    const fixes = systemic.categories.flatMap((category) => category.fixes.map((fix) => ({ ...fix, category: category.category })));
    const fix = fixes[0];
    const final = deadlines.total.finalResponse;
    const judged = final.onTime + final.late;
    const tiles = [
      [
        'Recovered customers spend',
        signedPercent(recovered.meanSpendLiftVsNoComplaint),
        `vs no complaint · 95%: ${range(recovered.meanSpendLiftVsNoComplaintLow, recovered.meanSpendLiftVsNoComplaintHigh, signedPercent)}`,
        'recovered',
      ],
      [
        'Recovered vs not recovered',
        ratio,
        `mean spend · ${COHORT_LABEL.recovered} ${money(recovered.meanSpend, outcomes.currency)}, not recovered ${money(notRecovered.meanSpend, outcomes.currency)}`,
        'recovered',
      ],
      [
        'Retention after recovery',
        percent(recovered.retention),
        `not recovered: ${percent(notRecovered.retention)} · no complaint: ${percent(row(outcomes, 'no-complaint').retention)}`,
        'recovered',
      ],
      fix
        ? [
            'After the fix',
            signedPercent(fix.change),
            `${fix.category} complaints, ${fix.before.complaints} → ${fix.after.complaints} in ${systemic.windowDays} days`,
            'fix',
          ]
        : ['System fixes', '0', 'none applied in the period', 'fix'],
      [
        'Final responses on time',
        judged === 0 ? '—' : percent(final.onTime / judged),
        `${final.onTime} of ${judged} due · ${final.pending} pending`,
        'deadline',
      ],
    ];
    const container = document.getElementById('tiles');
    container.replaceChildren(
      ...tiles.map(([label, value, detail, kind]) =>
        el(
          'div',
          { class: `tile tile-${kind}` },
          el('p', { class: 'tile-label', text: label }),
          el('p', { class: 'tile-value', text: value }),
          el('p', { class: 'tile-detail', text: detail }),
        ),
      ),
    );
  }

  /** A panel: its chart (replacing the previous one), its numbers and a CSV download of them. */
  function panel(id, config, caption, headers, rows, csvName, csvHeaders, csvRows) {
    const figure = document.getElementById(id);
    charts.get(id)?.destroy();
    const canvas = figure.querySelector('canvas');
    canvas.setAttribute('aria-label', `${caption}: chart; the same numbers are in the table beside it.`);
    stretchToIntervals(config);
    charts.set(id, new Chart(canvas, config));
    const side = figure.querySelector('.side');
    side.replaceChildren(
      table(caption, headers, rows),
      el(
        'button',
        { type: 'button', class: 'secondary download', 'data-csv': csvName, onclick: () => downloadCsv(csvName, csvHeaders, csvRows) },
        `Download CSV (${csvName})`,
      ),
    );
  }

  /** Lets the value axis reach every whisker's end (an unbounded high stays at the axis' top). */
  function stretchToIntervals(config) {
    const ends = config.data.datasets
      .flatMap((dataset) => (dataset.intervals || []).flatMap((interval) => [interval.low, interval.high]))
      .filter((value) => typeof value === 'number' && Number.isFinite(value));
    if (ends.length === 0) return;
    const axis = config.options.indexAxis === 'y' ? 'x' : 'y';
    const scale = config.options.scales[axis];
    scale.suggestedMax = Math.max(...ends);
    if (Math.min(...ends) < 0) scale.suggestedMin = Math.min(...ends);
  }

  const barOptions = (format, extra = {}) => ({
    responsive: true,
    maintainAspectRatio: false,
    plugins: {
      legend: { display: extra.legend ?? false, labels: { boxWidth: 14 } },
      tooltip: {
        callbacks: {
          label: (context) =>
            `${context.dataset.label ? `${context.dataset.label}: ` : ''}${format(context.parsed[extra.indexAxis === 'y' ? 'x' : 'y'])}`,
        },
      },
    },
    indexAxis: extra.indexAxis || 'x',
    scales: {
      [extra.indexAxis === 'y' ? 'x' : 'y']: {
        beginAtZero: true,
        ticks: { callback: (value) => format(value) },
        grid: { color: '#334155' },
        ...(extra.valueScale || {}),
      },
      [extra.indexAxis === 'y' ? 'y' : 'x']: { grid: { display: false }, stacked: extra.stacked || false },
    },
  });

  function renderCohorts(outcomes) {
    const currency = outcomes.currency;
    const rows = COHORTS.map((cohort) => row(outcomes, cohort));
    const labels = rows.map((r) => `${COHORT_LABEL[r.cohort]} (${r.customers})`);
    const colours = rows.map((r) => (r.tooSmall ? `${COHORT_COLOUR[r.cohort]}55` : COHORT_COLOUR[r.cohort]));
    const small = (r) => (r.tooSmall ? ' (too few)' : '');
    const csvHeaders = [
      'cohort',
      'customers',
      'tooSmall',
      'meanSpend',
      'meanSpendLow',
      'meanSpendHigh',
      'retention',
      'retentionLow',
      'retentionHigh',
      'meanSpendLiftVsNoComplaint',
      'meanSpendLiftVsNoComplaintLow',
      'meanSpendLiftVsNoComplaintHigh',
      'retentionLiftVsNoComplaint',
      'retentionLiftVsNoComplaintLow',
      'retentionLiftVsNoComplaintHigh',
    ];
    const csvRows = rows.map((r) => csvHeaders.map((header) => r[header]));
    const moneyOf = (value) => money(value, currency);

    panel(
      'panel-spend',
      {
        type: 'bar',
        data: {
          labels,
          datasets: [
            {
              label: 'Mean spend',
              data: rows.map((r) => (r.meanSpend === null ? null : r.meanSpend)),
              backgroundColor: colours,
              intervals: rows.map((r) => ({ low: r.meanSpendLow, high: r.meanSpendHigh })),
            },
          ],
        },
        options: barOptions(moneyOf),
      },
      'Mean spend by cohort',
      ['Cohort', 'Customers', 'Mean spend', '95% interval'],
      rows.map((r) => [
        COHORT_LABEL[r.cohort] + small(r),
        String(r.customers),
        moneyOf(r.meanSpend),
        range(r.meanSpendLow, r.meanSpendHigh, moneyOf),
      ]),
      'loyalty-spend.csv',
      csvHeaders,
      csvRows,
    );

    panel(
      'panel-retention',
      {
        type: 'bar',
        data: {
          labels,
          datasets: [
            {
              label: 'Retention',
              data: rows.map((r) => r.retention),
              backgroundColor: colours,
              intervals: rows.map((r) => ({ low: r.retentionLow, high: r.retentionHigh })),
            },
          ],
        },
        options: barOptions((value) => percent(value, 0), { valueScale: { max: 1, suggestedMax: 1 } }),
      },
      'Retention by cohort',
      ['Cohort', 'Customers', 'Retention', '95% interval'],
      rows.map((r) => [
        COHORT_LABEL[r.cohort] + small(r),
        String(r.customers),
        percent(r.retention),
        range(r.retentionLow, r.retentionHigh, percent),
      ]),
      'loyalty-retention.csv',
      csvHeaders,
      csvRows,
    );

    const compared = rows.filter((r) => r.cohort !== 'no-complaint');
    panel(
      'panel-lift',
      {
        type: 'bar',
        data: {
          labels: compared.map((r) => COHORT_LABEL[r.cohort]),
          datasets: [
            {
              label: 'Mean spend',
              data: compared.map((r) => r.meanSpendLiftVsNoComplaint),
              backgroundColor: '#38bdf8',
              intervals: compared.map((r) => ({ low: r.meanSpendLiftVsNoComplaintLow, high: r.meanSpendLiftVsNoComplaintHigh })),
            },
            {
              label: 'Retention',
              data: compared.map((r) => r.retentionLiftVsNoComplaint),
              backgroundColor: '#c084fc',
              intervals: compared.map((r) => ({ low: r.retentionLiftVsNoComplaintLow, high: r.retentionLiftVsNoComplaintHigh })),
            },
          ],
        },
        options: barOptions(signedPercent, { indexAxis: 'y', legend: true, valueScale: { beginAtZero: false } }),
      },
      'Lift against no complaint',
      ['Cohort', 'Spend lift', '95% interval', 'Retention lift', '95% interval'],
      compared.map((r) => [
        COHORT_LABEL[r.cohort] + small(r),
        signedPercent(r.meanSpendLiftVsNoComplaint),
        range(r.meanSpendLiftVsNoComplaintLow, r.meanSpendLiftVsNoComplaintHigh, signedPercent),
        signedPercent(r.retentionLiftVsNoComplaint),
        range(r.retentionLiftVsNoComplaintLow, r.retentionLiftVsNoComplaintHigh, signedPercent),
      ]),
      'loyalty-lift.csv',
      csvHeaders,
      csvRows,
    );
  }

  function renderGroups(grouped, currency) {
    const groupBy = grouped.groupBy;
    document.getElementById('groups-title').textContent = `Mean spend by ${GROUP_LABEL[groupBy]}`;
    const groups = [...new Set(grouped.rows.map((r) => r.group))];
    const labels = groups.map((group) => (group === null ? 'no complaint' : group));
    const cohorts = COHORTS.filter((cohort) => grouped.rows.some((r) => r.cohort === cohort));
    const cell = (group, cohort) => grouped.rows.find((r) => r.group === group && r.cohort === cohort);
    const moneyOf = (value) => money(value, currency);
    const datasets = cohorts.map((cohort) => ({
      label: COHORT_LABEL[cohort],
      data: groups.map((group) => cell(group, cohort)?.meanSpend ?? null),
      backgroundColor: groups.map((group) => (cell(group, cohort)?.tooSmall ? `${COHORT_COLOUR[cohort]}55` : COHORT_COLOUR[cohort])),
      intervals: groups.map((group) => ({
        low: cell(group, cohort)?.meanSpendLow ?? null,
        high: cell(group, cohort)?.meanSpendHigh ?? null,
      })),
      skipNull: true,
    }));
    const csvHeaders = [
      'group',
      'cohort',
      'customers',
      'tooSmall',
      'meanSpend',
      'meanSpendLow',
      'meanSpendHigh',
      'retention',
      'retentionLow',
      'retentionHigh',
      'meanSpendLiftVsNoComplaint',
      'meanSpendLiftVsNoComplaintLow',
      'meanSpendLiftVsNoComplaintHigh',
    ];
    panel(
      'panel-groups',
      {
        type: 'bar',
        data: { labels, datasets },
        options: { ...barOptions(moneyOf, { legend: true }), datasets: { bar: { skipNull: true } } },
      },
      `Mean spend by ${GROUP_LABEL[groupBy]}`,
      [GROUP_LABEL[groupBy], 'Cohort', 'Customers', 'Mean spend', '95% interval', 'Retention'],
      grouped.rows.map((r) => [
        r.group === null ? 'no complaint' : r.group,
        COHORT_LABEL[r.cohort] + (r.tooSmall ? ' (too few)' : ''),
        String(r.customers),
        moneyOf(r.meanSpend),
        range(r.meanSpendLow, r.meanSpendHigh, moneyOf),
        percent(r.retention),
      ]),
      `loyalty-by-${groupBy}.csv`,
      csvHeaders,
      grouped.rows.map((r) => csvHeaders.map((header) => r[header])),
    );
  }

  function renderSystemic(systemic) {
    const fixes = systemic.categories.flatMap((category) => category.fixes.map((fix) => ({ ...fix, category: category.category })));
    const labels = fixes.map(
      (fix) =>
        `${fix.category}: ${fix.description.length > 40 ? `${fix.description.slice(0, 39)}…` : fix.description} (${fix.effectiveFrom.slice(0, 10)})`,
    );
    const count = (value) => (value === null || value === undefined ? '—' : Number(value).toFixed(Number.isInteger(value) ? 0 : 1));
    const csvHeaders = [
      'category',
      'fixId',
      'description',
      'effectiveFrom',
      'beforeComplaints',
      'beforeLow',
      'beforeHigh',
      'afterComplaints',
      'afterLow',
      'afterHigh',
      'afterComplete',
      'change',
      'changeLow',
      'changeHigh',
    ];
    panel(
      'panel-systemic',
      {
        type: 'bar',
        data: {
          labels: labels.length ? labels : ['no system fix in the period'],
          datasets: [
            {
              label: `${systemic.windowDays} days before`,
              data: fixes.map((fix) => fix.before.complaints),
              backgroundColor: '#fb7185',
              intervals: fixes.map((fix) => ({ low: fix.before.complaintsLow, high: fix.before.complaintsHigh })),
            },
            {
              label: `${systemic.windowDays} days after`,
              data: fixes.map((fix) => fix.after.complaints),
              backgroundColor: '#34d399',
              intervals: fixes.map((fix) => ({ low: fix.after.complaintsLow, high: fix.after.complaintsHigh })),
            },
          ],
        },
        options: barOptions(count, { legend: true }),
      },
      'Complaints before and after each fix',
      ['Fix', 'Before', 'After', 'Change', '95% interval'],
      fixes.map((fix) => [
        `${fix.category}, ${fix.effectiveFrom.slice(0, 10)}`,
        String(fix.before.complaints),
        `${fix.after.complaints}${fix.after.complete ? '' : ' (so far)'}`,
        signedPercent(fix.change),
        range(fix.changeLow, fix.changeHigh, signedPercent),
      ]),
      'systemic-fixes.csv',
      csvHeaders,
      fixes.map((fix) => [
        fix.category,
        fix.fixId,
        fix.description,
        fix.effectiveFrom,
        fix.before.complaints,
        fix.before.complaintsLow,
        fix.before.complaintsHigh,
        fix.after.complaints,
        fix.after.complaintsLow,
        fix.after.complaintsHigh,
        fix.after.complete,
        fix.change,
        fix.changeLow,
        fix.changeHigh,
      ]),
    );
  }

  function renderDeadlines(deadlines) {
    const regimes = [...deadlines.regimes, { regime: 'all regimes', ...deadlines.total }];
    const kinds = [
      ['acknowledgement', 'Acknowledgement'],
      ['finalResponse', 'Final response'],
    ];
    const parts = [
      ['onTime', 'on time', '#34d399'],
      ['late', 'late', '#fb7185'],
      ['pending', 'pending', '#94a3b8'],
    ];
    const datasets = kinds.flatMap(([kind, kindLabel]) =>
      parts.map(([part, partLabel, colour]) => ({
        label: `${kindLabel}: ${partLabel}`,
        stack: kind,
        data: regimes.map((regime) => regime[kind][part]),
        backgroundColor: kind === 'acknowledgement' ? `${colour}99` : colour,
        borderColor: '#0f172a',
        borderWidth: 1,
      })),
    );
    const share = (counts) => (counts.onTime + counts.late === 0 ? '—' : percent(counts.onTime / (counts.onTime + counts.late)));
    const csvHeaders = [
      'regime',
      'cases',
      'acknowledgementDue',
      'acknowledgementOnTime',
      'acknowledgementLate',
      'acknowledgementPending',
      'finalResponseDue',
      'finalResponseOnTime',
      'finalResponseLate',
      'finalResponsePending',
      'breaches',
      'upheldRate',
    ];
    panel(
      'panel-deadlines',
      {
        type: 'bar',
        data: { labels: regimes.map((regime) => `${regime.regime} (${regime.cases} cases)`), datasets },
        options: { ...barOptions((value) => String(value), { legend: true, stacked: true, valueScale: { stacked: true } }) },
      },
      'Deadline adherence per regime',
      ['Regime', 'Cases', 'Acknowledged on time', 'Final response on time', 'Breaches', 'Upheld'],
      regimes.map((regime) => [
        regime.regime,
        String(regime.cases),
        share(regime.acknowledgement),
        share(regime.finalResponse),
        String(regime.breaches.total),
        percent(regime.upheldRate),
      ]),
      'deadlines.csv',
      csvHeaders,
      regimes.map((regime) => [
        regime.regime,
        regime.cases,
        regime.acknowledgement.due,
        regime.acknowledgement.onTime,
        regime.acknowledgement.late,
        regime.acknowledgement.pending,
        regime.finalResponse.due,
        regime.finalResponse.onTime,
        regime.finalResponse.late,
        regime.finalResponse.pending,
        regime.breaches.total,
        regime.upheldRate,
      ]),
    );
  }

  window.Redress.takeTokenFromUrl();
  initControls();
  window.Redress.wireTokenForm(document.getElementById('token-form'), load);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
  void load();
})();
