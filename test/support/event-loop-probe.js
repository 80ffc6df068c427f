/**
 * Preloaded into a service process by the fault suite (NODE_OPTIONS=--require …) when EVENT_LOOP_PROBE_FILE is set:
 * measures the event loop's delay with perf_hooks.monitorEventLoopDelay. On SIGWINCH (ignored by default, and not one
 * of the signals Nest's shutdown hooks take) it writes the delay since the last SIGWINCH (or the start) to that file as
 * JSON, in milliseconds, and starts a new measurement.
 *
 * Two delays are reported. `p99Ms`/`maxMs` are monitorEventLoopDelay's: wall-clock lateness of a 10 ms timer, which
 * on a machine whose cores are busy with other processes also counts the time this thread was ready to run but
 * waited for a core. `ownP99Ms`/`ownMaxMs` are the same lateness less that wait (the kernel's run-queue wait of the
 * main thread, /proc/self/task/<pid>/schedstat, Linux only): what the process's own work held the loop, as it
 * would on a core of its own. Where schedstat is missing they are absent. `rssMaxMb` is the largest resident set
 * seen in the window (sampled every 100 ms).
 */
const { createHistogram, monitorEventLoopDelay } = require('node:perf_hooks');
const { readFileSync, renameSync, writeFileSync } = require('node:fs');

const file = process.env.EVENT_LOOP_PROBE_FILE;
if (file) {
  // The histogram records the time between samples; the delay is what exceeds the sampling interval.
  const resolution = 10;
  const histogram = monitorEventLoopDelay({ resolution });
  histogram.enable();
  const own = ownDelay(resolution);
  let rssMax = 0;
  setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage.rss())), 100).unref();
  let since = Date.now();
  process.on('SIGWINCH', () => {
    const ms = (ns) => Math.max(0, Math.round((ns / 1e6 - resolution) * 10) / 10);
    const report = {
      seconds: (Date.now() - since) / 1000,
      p50Ms: ms(histogram.percentile(50)),
      p99Ms: ms(histogram.percentile(99)),
      maxMs: ms(histogram.max),
      samples: histogram.count,
      rssMaxMb: Math.round(Math.max(rssMax, process.memoryUsage.rss()) / 1024 / 1024),
      ...(own && own.histogram.count > 0
        ? { ownP99Ms: ms(own.histogram.percentile(99)), ownMaxMs: ms(own.histogram.max), runQueueShare: own.runQueueShare() }
        : {}),
    };
    writeFileSync(`${file}.tmp`, JSON.stringify(report));
    renameSync(`${file}.tmp`, file);
    histogram.reset();
    own?.reset();
    rssMax = 0;
    since = Date.now();
  });
}

/** A timer every `resolution` ms whose lateness is recorded less the main thread's run-queue wait meanwhile (ns). */
function ownDelay(resolution) {
  const schedstat = `/proc/self/task/${process.pid}/schedstat`;
  // Fields: time on a core, time waiting on a run queue (ns), time slices.
  const runQueueWaitNs = () => Number(readFileSync(schedstat, 'utf8').split(' ')[1]);
  try {
    runQueueWaitNs();
  } catch {
    return undefined;
  }
  const histogram = createHistogram();
  let lastAt = process.hrtime.bigint();
  let lastWait = runQueueWaitNs();
  let wall = 0;
  let waited = 0;
  setInterval(() => {
    const at = process.hrtime.bigint();
    const wait = runQueueWaitNs();
    const intervalNs = Number(at - lastAt);
    histogram.record(Math.max(1, intervalNs - (wait - lastWait)));
    wall += intervalNs;
    waited += wait - lastWait;
    lastAt = at;
    lastWait = wait;
  }, resolution).unref();
  return {
    histogram,
    /** The share of the window the main thread spent waiting for a core. */
    runQueueShare: () => Math.round((100 * waited) / Math.max(1, wall)) / 100,
    reset() {
      histogram.reset();
      wall = 0;
      waited = 0;
    },
  };
}
