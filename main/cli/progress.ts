import cliProgress from 'cli-progress';

/** Seconds as h:mm:ss or m:ss for ETAs. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`;
}

/**
 * A progress bar on stderr with a phase, figures and ETA. Without a terminal (CI, pipes) it
 * prints a plain line at most every few seconds instead of redrawing.
 */
export class ProgressBar {
  private readonly bar: cliProgress.SingleBar | null;
  private lastPlain = 0;
  private started = false;

  constructor(private readonly label: string) {
    this.bar = process.stderr.isTTY
      ? new cliProgress.SingleBar(
          { format: `${label} [{bar}] {percentage}% | {value}/{total} | {phase} {figures} | ETA {eta_h}`, hideCursor: true, stream: process.stderr, etaBuffer: 50 },
          cliProgress.Presets.shades_classic,
        )
      : null;
  }

  update(done: number, total: number, phase: string, figures = '', etaSeconds?: number): void {
    const eta = etaSeconds !== undefined ? formatDuration(etaSeconds) : '';
    if (this.bar) {
      if (!this.started) {
        this.bar.start(total, done, { phase, figures, eta_h: eta });
        this.started = true;
      }
      this.bar.setTotal(total);
      this.bar.update(done, { phase, figures, eta_h: eta });
      return;
    }
    const now = Date.now();
    if (now - this.lastPlain > 5000 || done >= total) {
      this.lastPlain = now;
      const pct = total > 0 ? ((100 * done) / total).toFixed(0) : '0';
      process.stderr.write(`${this.label}: ${phase} ${done}/${total} (${pct}%) ${figures}${eta ? ` ETA ${eta}` : ''}\n`);
    }
  }

  stop(): void {
    if (this.bar && this.started) this.bar.stop();
    this.started = false;
  }
}
