// A run's metrics as the Training section holds them: the history from runs.metrics, extended by
// runs.onMetrics events (appended in place, never rebuilt), replaced when the file was rewritten
// (a resume truncates it); losses in nats or bits per sample; the CSV of the runs shown.
import type { MetricsSeries } from '../../../main/contract/domain/train';

export type { MetricsSeries };

export type LossUnit = 'nats' | 'bits';
export type XMode = 'step' | 'relative' | 'wall';

/** The loss of a model that spreads its guess evenly over the 256 classes of 8-bit mu-law: ln 256. */
export const UNIFORM_8BIT_NATS = Math.log(256);

export function toUnit(nats: number, unit: LossUnit): number {
  return unit === 'bits' ? nats / Math.LN2 : nats;
}

export function unitLabel(unit: LossUnit): string {
  return unit === 'bits' ? 'bits/sample' : 'nats/sample';
}

/** "2.713" (the CLI prints nats with three decimals), "—" when unknown. */
export function formatLoss(nats: number | null | undefined, unit: LossUnit): string {
  if (nats === null || nats === undefined || !Number.isFinite(nats)) return '—';
  return toUnit(nats, unit).toFixed(3);
}

export function emptySeries(): MetricsSeries {
  return { step: [], time: [], train: [], val: [], lr: [], samplesPerSec: [] };
}

export function seriesLength(s: MetricsSeries): number {
  return s.step.length;
}

/**
 * Appends `more` to `target` in place and returns how many records were taken. Records at or
 * before the last step already held are dropped: the history fetched with runs.metrics and the
 * first watched records may overlap.
 */
export function appendSeries(target: MetricsSeries, more: MetricsSeries): number {
  const n = target.step.length;
  const last = n > 0 ? target.step[n - 1]! : -Infinity;
  let taken = 0;
  for (let i = 0; i < more.step.length; i++) {
    if (more.step[i]! <= last) continue;
    target.step.push(more.step[i]!);
    target.time.push(more.time[i] ?? 0);
    target.train.push(more.train[i]!);
    target.val.push(more.val[i] ?? null);
    target.lr.push(more.lr[i] ?? null);
    target.samplesPerSec.push(more.samplesPerSec[i] ?? null);
    taken++;
  }
  return taken;
}

/** A copy (so later appends do not write into an event's arrays). */
export function copySeries(s: MetricsSeries): MetricsSeries {
  return { step: [...s.step], time: [...s.time], train: [...s.train], val: [...s.val], lr: [...s.lr], samplesPerSec: [...s.samplesPerSec] };
}

/**
 * A run's series with a generation that changes whenever it is replaced, so a chart that has
 * drawn the first `consumed` records of generation g knows whether to append or start over.
 */
export interface HeldSeries {
  series: MetricsSeries;
  generation: number;
}

/** Applies a runs.onMetrics event; returns what a chart must do: append the new records or redraw. */
export function applyMetricsEvent(held: HeldSeries, event: { reset: boolean; series: MetricsSeries }): 'append' | 'replace' | 'none' {
  if (event.reset) {
    held.series = copySeries(event.series);
    held.generation++;
    return 'replace';
  }
  return appendSeries(held.series, event.series) > 0 ? 'append' : 'none';
}

/** The lowest validation loss and where it was; null before the first validation. */
export function bestValidation(s: MetricsSeries): { index: number; step: number; nats: number } | null {
  let best: { index: number; step: number; nats: number } | null = null;
  for (let i = 0; i < s.val.length; i++) {
    const v = s.val[i];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (!best || v <= best.nats) best = { index: i, step: s.step[i]!, nats: v };
  }
  return best;
}

/** The last value of a column that is not null. */
export function lastValue(column: readonly (number | null)[]): number | null {
  for (let i = column.length - 1; i >= 0; i--) {
    const v = column[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) return v;
  }
  return null;
}

/** The index of the last record at or before `step` (steps ascend), −1 when none. */
export function indexAtStep(s: MetricsSeries, step: number): number {
  let lo = 0;
  let hi = s.step.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (s.step[mid]! <= step) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Where record i sits on the x axis: its step, seconds since the run's first record, or epoch ms. */
export function xOf(s: MetricsSeries, i: number, mode: XMode): number {
  if (mode === 'step') return s.step[i]!;
  if (mode === 'wall') return s.time[i]!;
  return (s.time[i]! - (s.time[0] ?? 0)) / 1000;
}

/** The x of a step (a checkpoint, a sample) on this axis; null when the series has not reached it. */
export function xOfStep(s: MetricsSeries, step: number, mode: XMode): number | null {
  if (mode === 'step') return step;
  const i = indexAtStep(s, step);
  return i < 0 ? null : xOf(s, i, mode);
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvNumber(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '' : String(v);
}

/**
 * The runs' metrics as one CSV table (a row per logged step, the run named in the first column),
 * losses in the chosen unit; what a spreadsheet or pandas reads without help.
 */
export function seriesCsv(runs: readonly { name: string; series: MetricsSeries }[], unit: LossUnit): string {
  const u = unit === 'bits' ? 'bits' : 'nats';
  const lines = [`run,step,time,train_loss_${u},val_loss_${u},lr,samples_per_sec`];
  for (const { name, series: s } of runs) {
    const run = csvField(name);
    for (let i = 0; i < s.step.length; i++) {
      const t = s.time[i];
      const v = s.val[i];
      lines.push([
        run,
        String(s.step[i]),
        t ? new Date(t).toISOString() : '',
        csvNumber(toUnit(s.train[i]!, unit)),
        v === null || v === undefined ? '' : csvNumber(toUnit(v, unit)),
        csvNumber(s.lr[i]),
        csvNumber(s.samplesPerSec[i]),
      ].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
