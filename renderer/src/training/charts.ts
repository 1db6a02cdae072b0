// The Training section's charts (loss, learning rate, samples/s) on Chart.js, set up the way its
// performance guide asks for long series: pre-shaped {x, y} points with parsing off, no
// animation, the decimation plugin (LTTB: about one point per pixel, shape and spikes kept), and live records
// appended to the points the chart already holds followed by update('none') — nothing rebuilt.
import {
  Chart, Decimation, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip,
  type ChartDataset, type ChartOptions, type Scale, type TooltipItem,
} from 'chart.js';
import annotationPlugin, { type AnnotationOptions } from 'chartjs-plugin-annotation';
import zoomPlugin from 'chartjs-plugin-zoom';
import { extendRunPoints, newRunPoints, resmooth, type ChartView, type Point, type RunPoints } from './chart-data';
import { bestValidation, toUnit, UNIFORM_8BIT_NATS, unitLabel, xOfStep, type HeldSeries, type XMode } from './series';
import { clampWeight } from './smoothing';
import { roundTicks } from './ticks';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Decimation, zoomPlugin, annotationPlugin);

export type YScale = 'linear' | 'log';

export interface ChartSettings extends ChartView {
  y: YScale;
}

/** One run drawn on the charts. */
export interface ChartRun {
  dir: string;
  label: string;
  color: string;
  held: HeldSeries;
  /** The run the page is about: its best validation and sample markers are drawn. */
  primary: boolean;
  /** Steps at which a training sample was rendered. */
  sampleSteps: readonly number[];
}

type LineDataset = ChartDataset<'line', Point[]>;
type LineChart = Chart<'line', Point[]>;

interface Drawn {
  run: ChartRun;
  /** The series the points were built from: a run followed again gets a new one. */
  held: HeldSeries;
  points: RunPoints;
  raw: LineDataset;
  smooth: LineDataset;
  val: LineDataset;
  lr: LineDataset;
  speed: LineDataset;
}

export interface Theme {
  text: string;
  grid: string;
  muted: string;
  warn: string;
  ok: string;
  background: string;
}

/** The theme's colours, read from the CSS variables so the charts follow light and dark mode. */
export function themeFromCss(el: Element = document.documentElement): Theme {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text-muted', '#5b6270'),
    grid: v('--border', '#d3d7de'),
    muted: v('--text-faint', '#8a909c'),
    warn: v('--warn', '#9a6400'),
    ok: v('--ok', '#23804a'),
    background: v('--bg-raised', '#ffffff'),
  };
}

/** A colour with an alpha, from #rrggbb (what the palette and theme give). */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(color.trim());
  if (!m) return color;
  const n = parseInt(m[1]!, 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

function formatDurationTick(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}`;
  if (m > 0) return `${m}m${sec ? String(sec).padStart(2, '0') : ''}`;
  return `${sec}s`;
}

function compactNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toFixed(a >= 1e4 ? 0 : 1)}k`;
  return String(+v.toPrecision(3));
}

export function formatX(value: number, mode: XMode): string {
  if (mode === 'step') return compactNumber(Math.abs(value) >= 10 ? Math.round(value) : value);
  if (mode === 'relative') return formatDurationTick(value);
  return new Date(value).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

function xTitle(mode: XMode): string {
  return mode === 'step' ? 'step' : mode === 'relative' ? 'time since start' : 'wall time';
}

/**
 * Chart.js puts a log axis's ticks on 1…9 × 10^k, which crowd into a stack over a narrow loss
 * range (5.5, 5.6, … 6, 7, 8): six ticks evenly spaced in log space, at two significant digits.
 */
function logTicks(scale: Scale): void {
  if (scale.type !== 'logarithmic' || !(scale.min > 0) || !(scale.max > scale.min)) return;
  const lo = Math.log(scale.min);
  const hi = Math.log(scale.max);
  const values = new Set<number>();
  for (let i = 0; i <= 5; i++) values.add(Number(Math.exp(lo + ((hi - lo) * i) / 5).toPrecision(2)));
  scale.ticks = [...values].filter((v) => v >= scale.min && v <= scale.max).map((value) => ({ value }));
}

const FONT = { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size: 11 };

/**
 * The loss chart and the two small ones of a run page. setRuns says which runs to draw; sync()
 * takes what their series gained since the last call (or redraws a run whose series was replaced);
 * setSettings changes the axes, unit or smoothing.
 */
export class TrainingCharts {
  readonly loss: LineChart;
  readonly lr: LineChart;
  readonly speed: LineChart;
  private drawn = new Map<string, Drawn>();
  private settings: ChartSettings;
  private theme: Theme;
  private readonly onZoom: (zoomed: boolean) => void;

  constructor(canvases: { loss: HTMLCanvasElement; lr: HTMLCanvasElement; speed: HTMLCanvasElement }, settings: ChartSettings, options: { theme?: Theme; onZoom?: (zoomed: boolean) => void } = {}) {
    this.settings = { ...settings, smoothing: clampWeight(settings.smoothing) };
    this.theme = options.theme ?? themeFromCss();
    this.onZoom = options.onZoom ?? (() => undefined);
    Chart.defaults.font = { ...Chart.defaults.font, ...FONT };
    this.loss = new Chart(canvases.loss, { type: 'line', data: { datasets: [] }, options: this.lossOptions() });
    this.lr = new Chart(canvases.lr, { type: 'line', data: { datasets: [] }, options: this.smallOptions('learning rate', (v) => v.toExponential(1)) });
    this.speed = new Chart(canvases.speed, { type: 'line', data: { datasets: [] }, options: this.smallOptions('samples/s', compactNumber) });
  }

  private baseOptions(): ChartOptions<'line'> {
    const t = this.theme;
    return {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      spanGaps: true,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      elements: { point: { radius: 0, hitRadius: 4 }, line: { borderWidth: 1.5, tension: 0 } },
      layout: { padding: { top: 4, right: 8 } },
      scales: {
        x: {
          type: 'linear',
          bounds: 'data',
          grid: { color: withAlpha(t.grid, 0.7) },
          border: { color: t.grid },
          // No ticks at the zoomed edges (they fall on odd values like step 52.1).
          ticks: { color: t.text, maxRotation: 0, autoSkipPadding: 16, includeBounds: false, callback: (v) => formatX(Number(v), this.settings.x) },
          afterBuildTicks: (scale) => roundTicks(scale, this.settings.x),
        },
        y: {
          type: this.settings.y === 'log' ? 'logarithmic' : 'linear',
          grid: { color: withAlpha(t.grid, 0.7) },
          border: { color: t.grid },
          ticks: { color: t.text },
          afterBuildTicks: logTicks,
        },
      },
      plugins: {
        decimation: { enabled: true, algorithm: 'lttb' },
        legend: { display: false },
        tooltip: {
          animation: false,
          backgroundColor: withAlpha('#1d2027', 0.92),
          titleFont: FONT,
          bodyFont: FONT,
          callbacks: { title: (items) => (items[0] ? `${xTitle(this.settings.x)} ${formatX(items[0].parsed.x ?? 0, this.settings.x === 'step' ? 'step' : this.settings.x)}` : '') },
        },
      },
    };
  }

  private lossOptions(): ChartOptions<'line'> {
    const o = this.baseOptions();
    const t = this.theme;
    o.scales!.x!.title = { display: true, text: xTitle(this.settings.x), color: t.text, font: FONT };
    o.scales!.y!.title = { display: true, text: `loss (${unitLabel(this.settings.unit)})`, color: t.text, font: FONT };
    o.plugins!.tooltip!.filter = (item: TooltipItem<'line'>) => !(item.dataset as { faint?: boolean }).faint;
    o.plugins!.tooltip!.callbacks!.label = (item) => `${item.dataset.label}: ${(item.parsed.y ?? 0).toFixed(3)}`;
    o.plugins!.zoom = {
      zoom: { wheel: { enabled: true }, pinch: { enabled: true }, drag: { enabled: true, modifierKey: 'shift', backgroundColor: withAlpha(t.muted, 0.15) }, mode: 'x', onZoomComplete: () => this.followZoom() },
      pan: { enabled: true, mode: 'x', onPanComplete: () => this.followZoom() },
    };
    o.plugins!.annotation = { annotations: {} };
    return o;
  }

  private smallOptions(title: string, tick: (v: number) => string): ChartOptions<'line'> {
    const o = this.baseOptions();
    o.scales!.y!.type = 'linear';
    o.scales!.y!.ticks = { ...o.scales!.y!.ticks, callback: (v) => tick(Number(v)), maxTicksLimit: 4 };
    o.scales!.x!.ticks = { ...o.scales!.x!.ticks, maxTicksLimit: 6 };
    o.plugins!.tooltip!.callbacks!.label = (item) => `${item.dataset.label}: ${tick(item.parsed.y ?? 0)}`;
    o.plugins!.title = { display: false, text: title };
    return o;
  }

  /** Which runs to draw (in this order; the primary one on top). Keeps the points of runs already drawn. */
  setRuns(runs: readonly ChartRun[]): void {
    const keep = new Set(runs.map((r) => r.dir));
    for (const dir of [...this.drawn.keys()]) if (!keep.has(dir)) this.drawn.delete(dir);
    for (const run of runs) {
      const d = this.drawn.get(run.dir);
      if (d) {
        d.run = run;
        this.style(d);
      } else this.drawn.set(run.dir, this.draw(run));
    }
    const order = runs.map((r) => this.drawn.get(r.dir)!);
    this.loss.data.datasets = order.flatMap((d) => [d.raw, d.val, d.smooth]);
    this.lr.data.datasets = order.map((d) => d.lr);
    this.speed.data.datasets = order.map((d) => d.speed);
    this.sync();
  }

  private draw(run: ChartRun): Drawn {
    const points = newRunPoints(run.held.generation, this.settings);
    extendRunPoints(points, run.held.series);
    const line = (data: Point[]): LineDataset => ({ data, label: run.label, borderColor: run.color, backgroundColor: run.color });
    const d: Drawn = { run, held: run.held, points, raw: line(points.raw), smooth: line(points.smooth), val: line(points.val), lr: line(points.lr), speed: line(points.speed) };
    this.style(d);
    return d;
  }

  private style(d: Drawn): void {
    const c = d.run.color;
    const name = d.run.label;
    // Chart.js draws lower `order` on top: the primary run over the compared ones, and within a
    // run validation over the smoothed line over the faint raw one.
    const base = d.run.primary ? 0 : 10;
    Object.assign(d.raw, { label: `${name} train (raw)`, borderColor: withAlpha(c, 0.22), borderWidth: 1, faint: true, order: base + 3 });
    Object.assign(d.smooth, { label: `${name} train`, borderColor: c, borderWidth: d.run.primary ? 2 : 1.5, order: base + 1 });
    Object.assign(d.val, {
      label: `${name} validation`, borderColor: withAlpha(c, 0.9), borderDash: [5, 4], borderWidth: 1.5, pointRadius: 3, pointHoverRadius: 5,
      pointBackgroundColor: this.theme.background, pointBorderColor: c, pointBorderWidth: 1.5, order: base,
    });
    Object.assign(d.lr, { label: name, borderColor: c, borderWidth: 1.5, order: base });
    Object.assign(d.speed, { label: name, borderColor: c, borderWidth: 1, order: base });
  }

  /** Takes in what each run's series gained; redraws a run whose series was replaced. */
  sync(): void {
    for (const d of this.drawn.values()) {
      if (d.held !== d.run.held || d.points.generation !== d.run.held.generation) this.rebuild(d);
      extendRunPoints(d.points, d.run.held.series);
    }
    this.updateAnnotations();
    this.loss.update('none');
    this.followX(false);
    this.lr.update('none');
    this.speed.update('none');
  }

  /** The small charts span the same x range as the loss chart (its data, or its zoom). */
  private followX(update: boolean): void {
    const x = this.loss.scales.x as Scale | undefined;
    for (const c of [this.lr, this.speed]) {
      c.options.scales!.x!.min = x?.min;
      c.options.scales!.x!.max = x?.max;
      if (update) c.update('none');
    }
  }

  /**
   * New point arrays for a run (a reset, or a new x axis or unit), filled before its datasets get
   * them: Chart.js listens to pushes on the arrays it holds, one element update per push, which is
   * right for a few live records and far too slow for 100,000.
   */
  private rebuild(d: Drawn): void {
    d.held = d.run.held;
    d.points = newRunPoints(d.run.held.generation, this.settings);
    extendRunPoints(d.points, d.held.series);
    d.raw.data = d.points.raw;
    d.smooth.data = d.points.smooth;
    d.val.data = d.points.val;
    d.lr.data = d.points.lr;
    d.speed.data = d.points.speed;
  }

  setSettings(next: Partial<ChartSettings>): void {
    const before = this.settings;
    this.settings = { ...before, ...next, smoothing: clampWeight(next.smoothing ?? before.smoothing) };
    const s = this.settings;
    if (s.x !== before.x || s.unit !== before.unit) {
      for (const d of this.drawn.values()) this.rebuild(d);
      this.resetZoom(false);
      this.loss.options.scales!.x!.title!.text = xTitle(s.x);
      this.loss.options.scales!.y!.title!.text = `loss (${unitLabel(s.unit)})`;
    } else if (s.smoothing !== before.smoothing) {
      for (const d of this.drawn.values()) resmooth(d.points, s.smoothing);
    }
    if (s.y !== before.y) this.loss.options.scales!.y!.type = s.y === 'log' ? 'logarithmic' : 'linear';
    this.sync();
  }

  private annotationsKey = '';

  private updateAnnotations(): void {
    const t = this.theme;
    const s = this.settings;
    const baseline = toUnit(UNIFORM_8BIT_NATS, s.unit);
    const primary = [...this.drawn.values()].find((d) => d.run.primary);
    const series = primary?.run.held.series;
    const samples = series ? primary!.run.sampleSteps.map((step) => xOfStep(series, step, s.x)).filter((x): x is number => x !== null) : [];
    const bestRecord = series ? bestValidation(series) : null;
    const best = series && bestRecord ? { x: xOfStep(series, bestRecord.step, s.x)!, y: toUnit(bestRecord.nats, s.unit) } : null;
    // New options make the plugin rebuild its elements: only when a marker moved.
    const key = JSON.stringify([baseline, samples, best]);
    if (key === this.annotationsKey) return;
    this.annotationsKey = key;
    const annotations: Record<string, AnnotationOptions> = {
      baseline: {
        type: 'line', yMin: baseline, yMax: baseline, borderColor: withAlpha(t.muted, 0.9), borderWidth: 1, borderDash: [2, 3],
        label: {
          display: true, content: `8-bit uniform ${baseline.toFixed(2)}`, position: 'end', color: t.text,
          backgroundColor: withAlpha(t.background, 0.85), font: { ...FONT, size: 10 }, padding: 2, yAdjust: 10,
        },
      },
    };
    samples.forEach((x, i) => {
      annotations[`sample${i}`] = {
        type: 'line', xMin: x, xMax: x, borderColor: withAlpha(t.ok, 0.45), borderWidth: 1, drawTime: 'beforeDatasetsDraw',
        label: { display: true, content: '♪', position: 'start', color: t.ok, backgroundColor: 'transparent', font: { ...FONT, size: 12 }, padding: 0 },
      };
    });
    if (best) {
      annotations.best = { type: 'point', xValue: best.x, yValue: best.y, radius: 5, backgroundColor: t.warn, borderColor: t.background, borderWidth: 1.5 };
      annotations.bestLabel = {
        // Up and to the left of the point: the best is usually near the latest step, at the right edge.
        type: 'label', xValue: best.x, yValue: best.y, content: `★ best ${best.y.toFixed(3)}`, color: t.warn, font: { ...FONT, weight: 'bold' },
        position: { x: 'end', y: 'end' }, xAdjust: -4, yAdjust: -4, backgroundColor: withAlpha(t.background, 0.85), padding: 2,
      };
    }
    this.loss.options.plugins!.annotation = { annotations };
  }

  /** The small charts show the x range the loss chart is zoomed or panned to. */
  private followZoom(): void {
    this.followX(true);
    this.onZoom(this.loss.isZoomedOrPanned());
  }

  resetZoom(update = true): void {
    this.loss.resetZoom('none');
    this.followX(update);
    this.onZoom(false);
  }

  destroy(): void {
    this.loss.destroy();
    this.lr.destroy();
    this.speed.destroy();
    this.drawn.clear();
  }
}
