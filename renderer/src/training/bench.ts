// How long one live chart update takes with a long run on the charts: a synthetic series of n
// records goes through the same code as a real run (held series → points → Chart.js with
// decimation), then records are appended a few at a time as runs.onMetrics delivers them and
// each sync (append + update('none') of the three charts) is timed. The e2e test calls it
// through window.studioTrainingBench and reports the figure.
import { TrainingCharts, type ChartRun } from './charts';
import { appendSeries, emptySeries, type HeldSeries, type MetricsSeries } from './series';

export interface ChartBenchResult {
  points: number;
  /** Building the points and drawing the charts the first time. */
  firstDrawMs: number;
  /** One live update: `appendPerUpdate` records appended, then the charts synced. */
  updateMs: { min: number; median: number; p95: number; max: number };
  appendPerUpdate: number;
  /** Redoing the smoothed line of every point (the smoothing slider moved). */
  resmoothMs: number;
  /** Rebuilding every point (the x axis changed). */
  rebuildMs: number;
}

function synthetic(from: number, count: number, t0: number): MetricsSeries {
  const s = emptySeries();
  for (let i = from; i < from + count; i++) {
    const step = (i + 1) * 5;
    s.step.push(step);
    s.time.push(t0 + i * 250);
    s.train.push(1.8 + 3.7 * Math.exp(-i / 8000) + 0.25 * Math.sin(i * 12.9898) * Math.sin(i * 0.31));
    s.val.push(i % 100 === 99 ? 1.9 + 3.6 * Math.exp(-i / 8000) : null);
    s.lr.push(1e-3 * Math.min(1, i / 500));
    s.samplesPerSec.push(24000 + 2000 * Math.sin(i / 300));
  }
  return s;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

export async function chartUpdateBench(n = 100_000, updates = 40, appendPerUpdate = 5, options: { algorithm?: 'min-max' | 'lttb' } = {}): Promise<ChartBenchResult> {
  const host = document.createElement('div');
  host.style.cssText = 'position:fixed;left:0;top:0;width:1000px;background:var(--bg);z-index:100';
  const canvases = ['loss', 'lr', 'speed'].map((name) => {
    const wrap = document.createElement('div');
    wrap.style.cssText = `position:relative;height:${name === 'loss' ? 320 : 120}px`;
    const canvas = document.createElement('canvas');
    wrap.appendChild(canvas);
    host.appendChild(wrap);
    return canvas;
  });
  document.body.appendChild(host);
  const t0 = Date.now() - n * 250;
  const held: HeldSeries = { series: synthetic(0, n, t0), generation: 1 };
  const run: ChartRun = { dir: 'bench', label: 'bench', color: '#2f63c9', held, primary: true, sampleSteps: [n, n * 2, n * 3, n * 4] };
  const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  let charts: TrainingCharts | null = null;
  try {
    const startDraw = performance.now();
    charts = new TrainingCharts({ loss: canvases[0]!, lr: canvases[1]!, speed: canvases[2]! }, { x: 'step', y: 'linear', unit: 'nats', smoothing: 0.6 });
    if (options.algorithm) {
      for (const c of [charts.loss, charts.lr, charts.speed]) c.options.plugins!.decimation = { enabled: true, algorithm: options.algorithm };
    }
    charts.setRuns([run]);
    const firstDrawMs = performance.now() - startDraw;
    await frame();

    const times: number[] = [];
    let next = n;
    for (let u = 0; u < updates; u++) {
      const more = synthetic(next, appendPerUpdate, t0);
      next += appendPerUpdate;
      const start = performance.now();
      appendSeries(held.series, more);
      charts.sync();
      times.push(performance.now() - start);
      await frame();
    }
    const sorted = [...times].sort((a, b) => a - b);

    let start = performance.now();
    charts.setSettings({ smoothing: 0.9 });
    const resmoothMs = performance.now() - start;
    await frame();
    start = performance.now();
    charts.setSettings({ x: 'relative' });
    const rebuildMs = performance.now() - start;
    await frame();

    return {
      points: held.series.step.length,
      firstDrawMs,
      updateMs: { min: sorted[0]!, median: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted[sorted.length - 1]! },
      appendPerUpdate,
      resmoothMs,
      rebuildMs,
    };
  } finally {
    charts?.destroy();
    host.remove();
  }
}
