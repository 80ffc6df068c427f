/* Redress pages: what the dashboard and the timeline share. Plain browser JavaScript, no build step. */
'use strict';

window.Redress = (() => {
  const TOKEN_KEY = 'redress.token';

  /** A token passed once as #token=… is kept in sessionStorage (this tab only) and taken off the address bar. */
  function takeTokenFromUrl() {
    const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (!match) return;
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }

  const token = () => sessionStorage.getItem(TOKEN_KEY);
  const setToken = (value) => (value ? sessionStorage.setItem(TOKEN_KEY, value.trim()) : sessionStorage.removeItem(TOKEN_KEY));

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem && problem.detail ? problem.detail : `The API answered ${status}`);
      this.status = status;
      this.problem = problem;
    }
  }

  /** GET a JSON resource of the API with the bearer token. */
  async function api(path) {
    const response = await fetch(path, { headers: { authorization: `Bearer ${token()}`, accept: 'application/json' } });
    const body = await response.json().catch(() => undefined);
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  }

  /** The token form: shown when there is no token, or the API refused it. */
  function wireTokenForm(form, onToken) {
    const input = form.querySelector('input');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      setToken(input.value);
      input.value = '';
      onToken();
    });
    form.querySelector('[data-action="forget"]')?.addEventListener('click', () => {
      setToken(null);
      onToken();
    });
  }

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'text') node.textContent = value;
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat())
      if (child !== undefined && child !== null) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  }

  /** A table of `rows` (arrays of cells) under `headers`; numbers right-aligned. */
  function table(caption, headers, rows) {
    return el(
      'table',
      { class: 'numbers' },
      el('caption', { class: 'visually-hidden', text: caption }),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          headers.map((header) => el('th', { scope: 'col', text: header })),
        ),
      ),
      el(
        'tbody',
        {},
        rows.map((row) =>
          el(
            'tr',
            {},
            row.map((cell, index) => (index === 0 ? el('th', { scope: 'row', text: cell }) : el('td', { text: cell }))),
          ),
        ),
      ),
    );
  }

  /** RFC 4180 CSV of a header and rows, downloaded as `name`. */
  function downloadCsv(name, headers, rows) {
    const field = (value) => {
      if (value === null || value === undefined) return '';
      const text = String(value);
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    };
    const text = [headers, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
    const link = el('a', { href: URL.createObjectURL(new Blob([text], { type: 'text/csv' })), download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  const numberFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
  /** Minor units as money in the report's currency. */
  function money(minor, currency) {
    if (minor === null || minor === undefined) return '—';
    if (!currency) return numberFormat.format(minor / 100);
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency, maximumFractionDigits: 2, minimumFractionDigits: 2 }).format(
      minor / 100,
    );
  }
  const percent = (share, digits = 1) => (share === null || share === undefined ? '—' : `${(share * 100).toFixed(digits)}%`);
  const signedPercent = (share) =>
    share === null || share === undefined ? '—' : `${share >= 0 ? '+' : '−'}${Math.abs(share * 100).toFixed(1)}%`;
  const range = (low, high, format) =>
    low === null || low === undefined ? '—' : `${format(low)} – ${high === null || high === undefined ? '∞' : format(high)}`;

  /**
   * Whiskers for Chart.js bars: a dataset's `intervals` ([{low, high}] per bar, in data units) drawn as
   * an I-beam over each bar, in the direction of the value axis.
   */
  const errorBarsPlugin = {
    id: 'redressErrorBars',
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      const horizontal = chart.options.indexAxis === 'y';
      chart.data.datasets.forEach((dataset, datasetIndex) => {
        if (!dataset.intervals || !chart.isDatasetVisible(datasetIndex)) return;
        const meta = chart.getDatasetMeta(datasetIndex);
        const scale = chart.scales[horizontal ? meta.xAxisID : meta.yAxisID];
        ctx.save();
        ctx.strokeStyle = dataset.whiskerColor || '#f8fafc';
        ctx.lineWidth = 2;
        meta.data.forEach((bar, index) => {
          const interval = dataset.intervals[index];
          if (!interval || interval.low === null || interval.low === undefined) return;
          const high = interval.high === null || interval.high === undefined ? scale.max : interval.high;
          const from = scale.getPixelForValue(interval.low);
          const to = scale.getPixelForValue(Math.min(high, scale.max));
          const across = horizontal ? bar.y : bar.x;
          const cap = Math.max(4, Math.min(10, (horizontal ? bar.height : bar.width) / 4));
          ctx.beginPath();
          if (horizontal) {
            ctx.moveTo(from, across);
            ctx.lineTo(to, across);
            ctx.moveTo(from, across - cap);
            ctx.lineTo(from, across + cap);
            ctx.moveTo(to, across - cap);
            ctx.lineTo(to, across + cap);
          } else {
            ctx.moveTo(across, from);
            ctx.lineTo(across, to);
            ctx.moveTo(across - cap, from);
            ctx.lineTo(across + cap, from);
            ctx.moveTo(across - cap, to);
            ctx.lineTo(across + cap, to);
          }
          ctx.stroke();
        });
        ctx.restore();
      });
    },
  };

  return {
    takeTokenFromUrl,
    token,
    setToken,
    api,
    ApiError,
    wireTokenForm,
    el,
    table,
    downloadCsv,
    money,
    percent,
    signedPercent,
    range,
    errorBarsPlugin,
  };
})();
