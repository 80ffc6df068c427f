/** A progress bar on stderr: redrawn in place on a terminal, a line per 10% otherwise (CI logs). */
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
    if (this.stream.isTTY) {
      if (now - this.lastDraw < 100 && fraction < 1) return;
      this.lastDraw = now;
      const width = 30;
      const filled = Math.round(fraction * width);
      const rate = done / Math.max(0.001, (now - this.startedAt) / 1000);
      this.stream.write(
        `\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${done}/${total} ${rate.toFixed(0)}/s`,
      );
      if (fraction === 1) this.stream.write('\n');
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile === this.lastDecile) return;
    this.lastDecile = decile;
    this.stream.write(`${this.label}: ${decile * 10}% (${done}/${total})\n`);
  }
}
