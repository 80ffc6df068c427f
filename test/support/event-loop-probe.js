/**
 * Preloaded into a service process by the fault suite (NODE_OPTIONS=--require …) when EVENT_LOOP_PROBE_FILE is set:
 * measures the event loop's delay with perf_hooks.monitorEventLoopDelay. On SIGWINCH (ignored by default, and not one of the signals Nest's shutdown hooks take) it writes the delay since the last
 * SIGWINCH (or the start) to that file as JSON, in milliseconds, and starts a new measurement.
 */
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { writeFileSync } = require('node:fs');

const file = process.env.EVENT_LOOP_PROBE_FILE;
if (file) {
  // The histogram records the time between samples; the delay is what exceeds the sampling interval.
  const resolution = 10;
  const histogram = monitorEventLoopDelay({ resolution });
  histogram.enable();
  let since = Date.now();
  process.on('SIGWINCH', () => {
    const ms = (ns) => Math.max(0, Math.round((ns / 1e6 - resolution) * 10) / 10);
    const report = {
      seconds: (Date.now() - since) / 1000,
      p50Ms: ms(histogram.percentile(50)),
      p99Ms: ms(histogram.percentile(99)),
      maxMs: ms(histogram.max),
      samples: histogram.count,
    };
    writeFileSync(`${file}.tmp`, JSON.stringify(report));
    require('node:fs').renameSync(`${file}.tmp`, file);
    histogram.reset();
    since = Date.now();
  });
}
