// Chart-ready points of one run, built once and then extended as records arrive: Chart.js takes
// them as they are (parsing: false), so a live update appends a few objects instead of rebuilding
// 100,000. The smoothed line keeps its EMA state for the same reason.
import { emaNext, emaState, type EmaState } from './smoothing';
import { toUnit, xOf, type LossUnit, type MetricsSeries, type XMode } from './series';

export interface Point {
  x: number;
  y: number;
}

/** What the charts show; changing x or unit redraws the points, changing smoothing redoes that line. */
export interface ChartView {
  x: XMode;
  unit: LossUnit;
  smoothing: number;
}

export interface RunPoints {
  /** The HeldSeries generation these points were built from. */
  generation: number;
  /** Records of the series already turned into points. */
  consumed: number;
  x: XMode;
  unit: LossUnit;
  raw: Point[];
  smooth: Point[];
  val: Point[];
  lr: Point[];
  speed: Point[];
  ema: EmaState;
}

export function newRunPoints(generation: number, view: ChartView): RunPoints {
  return { generation, consumed: 0, x: view.x, unit: view.unit, raw: [], smooth: [], val: [], lr: [], speed: [], ema: emaState(view.smoothing) };
}

/** Turns the records of `s` not yet consumed into points; returns how many records were added. */
export function extendRunPoints(p: RunPoints, s: MetricsSeries): number {
  const from = p.consumed;
  const n = s.step.length;
  for (let i = from; i < n; i++) {
    const x = xOf(s, i, p.x);
    const train = s.train[i]!;
    if (Number.isFinite(train)) {
      const y = toUnit(train, p.unit);
      p.raw.push({ x, y });
      p.smooth.push({ x, y: emaNext(p.ema, y) });
    }
    const v = s.val[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) p.val.push({ x, y: toUnit(v, p.unit) });
    const lr = s.lr[i];
    if (lr !== null && lr !== undefined && Number.isFinite(lr)) p.lr.push({ x, y: lr });
    const sps = s.samplesPerSec[i];
    if (sps !== null && sps !== undefined && Number.isFinite(sps)) p.speed.push({ x, y: sps });
  }
  p.consumed = n;
  return n - from;
}

/** Redoes the smoothed line in place (the same array: a chart holding it sees the change) for a new weight. */
export function resmooth(p: RunPoints, weight: number): void {
  p.ema = emaState(weight);
  const out = p.smooth;
  out.length = p.raw.length;
  for (let i = 0; i < p.raw.length; i++) {
    const r = p.raw[i]!;
    out[i] = { x: r.x, y: emaNext(p.ema, r.y) };
  }
}
