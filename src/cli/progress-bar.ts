/**
 * Progress on stderr with the rate and the time left: redrawn in place on a terminal, a line per 10%
 * otherwise (CI logs). Never on stdout, which holds the command's result (and its --json).
 */
export class ProgressBar {
  private readonly startedAt = Date.now();
  private lastDraw = 0;
  private lastDecile = -1;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, total: number): void {
    const fraction = total === 0 ? 1 : Math.min(1, done / total);
    const now = Date.now();
    const rate = done / Math.max(0.001, (now - this.startedAt) / 1000);
    const timing = fraction < 1 ? `ETA ${eta(total - done, rate)}` : `in ${duration((now - this.startedAt) / 1000)}`;
    if (this.stream.isTTY) {
      if (now - this.lastDraw < 100 && fraction < 1) return;
      this.lastDraw = now;
      const width = 30;
      const filled = Math.round(fraction * width);
      this.stream.write(
        `\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${done}/${total} ${rate.toFixed(0)}/s ${timing}\x1b[K`,
      );
      if (fraction === 1) this.stream.write('\n');
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile === this.lastDecile) return;
    this.lastDecile = decile;
    this.stream.write(`${this.label}: ${decile * 10}% (${done}/${total}) ${rate.toFixed(0)}/s, ${timing}\n`);
  }
}

/** The time `remaining` items take at `rate` per second, as m:ss (or h:mm:ss); `?` before any rate is known. */
export function eta(remaining: number, rate: number): string {
  return rate > 0 ? duration(remaining / rate) : '?';
}

function duration(seconds: number): string {
  const whole = Math.ceil(seconds);
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  const mmss = `${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}
