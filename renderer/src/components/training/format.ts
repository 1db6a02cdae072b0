// Display formatters for the Training section: counts with separators, rates, durations, losses.
import { formatLoss, type LossUnit } from '../../training/series';

const counter = new Intl.NumberFormat('en-US');

/** 12400 → "12,400". */
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : counter.format(Math.round(n));
}

/** 24312 → "24.3k", 950 → "950" (samples/s in a header). */
export function formatRate(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e5 ? 0 : 1)}k`;
  return String(Math.round(n));
}

/** A span of time a person plans with: "45 s", "2 min 10 s", "1 h 05 min", "3 d 4 h". */
export function formatSpan(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  const t = Math.round(seconds);
  const d = Math.floor(t / 86400);
  const h = Math.floor((t % 86400) / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = t % 60;
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(s).padStart(2, '0')} s`;
  return `${s} s`;
}

/** Loss with its unit: "2.713 nats". */
export function lossWithUnit(nats: number | null | undefined, unit: LossUnit): string {
  const v = formatLoss(nats, unit);
  return v === '—' ? v : `${v} ${unit}`;
}

/** "12 Mar, 14:05" (a checkpoint's time). */
export function formatWhen(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : d.toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/** Learning rate: "3.0e-3". */
export function formatLr(lr: number | null | undefined): string {
  return lr === null || lr === undefined || !Number.isFinite(lr) ? '—' : lr.toExponential(1);
}

/** The phase a job reports, as a person reads it. */
export function phaseText(phase: string): string {
  switch (phase) {
    case 'starting':
      return 'starting the worker';
    case 'queued':
      return 'queued';
    case 'loading':
      return 'loading audio';
    case 'compiling':
      return 'compiling the training graph';
    case 'validating':
      return 'validating';
    case 'checkpoint':
      return 'saving a checkpoint';
    case 'sample':
      return 'rendering a sample';
    case 'paused':
      return 'paused';
    case 'done':
      return 'finishing';
    default:
      return phase;
  }
}
