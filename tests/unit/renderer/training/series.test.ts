// A run's metrics in the Training section: history plus live records, resets, units, CSV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendSeries, applyMetricsEvent, bestValidation, emptySeries, formatLoss, indexAtStep, seriesCsv, toUnit, UNIFORM_8BIT_NATS, xOf, xOfStep,
  type HeldSeries, type MetricsSeries,
} from '../../../../renderer/src/training/series';
import { extendRunPoints, newRunPoints, resmooth } from '../../../../renderer/src/training/chart-data';
import { smooth } from '../../../../renderer/src/training/smoothing';

function series(steps: number[], opts: { val?: Record<number, number>; t0?: number } = {}): MetricsSeries {
  const s = emptySeries();
  for (const step of steps) {
    s.step.push(step);
    s.time.push((opts.t0 ?? 1_700_000_000_000) + step * 1000);
    s.train.push(5 - step / 100);
    s.val.push(opts.val?.[step] ?? null);
    s.lr.push(0.001);
    s.samplesPerSec.push(8000);
  }
  return s;
}

test('appending keeps the order and drops records already held (history and watch overlap)', () => {
  const s = series([5, 10, 15]);
  assert.equal(appendSeries(s, series([10, 15, 20, 25])), 2);
  assert.deepEqual(s.step, [5, 10, 15, 20, 25]);
  assert.equal(s.train.length, 5);
  assert.equal(s.val.length, 5);
  assert.equal(appendSeries(s, series([25])), 0);
  assert.equal(appendSeries(s, emptySeries()), 0);
});

test('appending copies values, so the event arrays can be reused', () => {
  const s = emptySeries();
  const more = series([1, 2]);
  appendSeries(s, more);
  more.train[0] = 99;
  assert.notEqual(s.train[0], 99);
});

test('a reset replaces the series and bumps the generation; records append otherwise', () => {
  const held: HeldSeries = { series: series([5, 10, 15, 20]), generation: 0 };
  assert.equal(applyMetricsEvent(held, { reset: false, series: series([25]) }), 'append');
  assert.equal(held.generation, 0);
  assert.equal(applyMetricsEvent(held, { reset: false, series: series([25]) }), 'none');
  // A resume from the checkpoint at 10 rewrote metrics.jsonl up to there.
  const rewritten = series([5, 10]);
  assert.equal(applyMetricsEvent(held, { reset: true, series: rewritten }), 'replace');
  assert.equal(held.generation, 1);
  assert.deepEqual(held.series.step, [5, 10]);
  rewritten.step.push(999);
  assert.deepEqual(held.series.step, [5, 10], 'the held series is a copy');
  // A reset with nothing after it (the file was removed) empties the run.
  applyMetricsEvent(held, { reset: true, series: emptySeries() });
  assert.equal(held.series.step.length, 0);
  assert.equal(held.generation, 2);
});

test('nats and bits: bits = nats / ln 2; the 8-bit uniform baseline is ln 256 nats = 8 bits', () => {
  assert.equal(toUnit(2, 'nats'), 2);
  assert.ok(Math.abs(toUnit(Math.LN2, 'bits') - 1) < 1e-12);
  assert.ok(Math.abs(UNIFORM_8BIT_NATS - 5.545) < 1e-3);
  assert.ok(Math.abs(toUnit(UNIFORM_8BIT_NATS, 'bits') - 8) < 1e-12);
  assert.equal(formatLoss(2.71345, 'nats'), '2.713');
  assert.equal(formatLoss(null, 'bits'), '—');
});

test('best validation: the lowest, the later one on a tie; null before any', () => {
  assert.equal(bestValidation(series([1, 2, 3])), null);
  const s = series([10, 20, 30, 40], { val: { 20: 3.1, 30: 2.9, 40: 2.9 } });
  assert.deepEqual(bestValidation(s), { index: 3, step: 40, nats: 2.9 });
});

test('x axis: step, seconds since the first record, wall time; steps found by binary search', () => {
  const s = series([10, 20, 30], { t0: 1_000_000 });
  assert.equal(xOf(s, 1, 'step'), 20);
  assert.equal(xOf(s, 0, 'relative'), 0);
  assert.equal(xOf(s, 2, 'relative'), 20);
  assert.equal(xOf(s, 2, 'wall'), 1_000_000 + 30_000);
  assert.equal(indexAtStep(s, 5), -1);
  assert.equal(indexAtStep(s, 20), 1);
  assert.equal(indexAtStep(s, 29), 1);
  assert.equal(indexAtStep(s, 1000), 2);
  assert.equal(xOfStep(s, 25, 'step'), 25);
  assert.equal(xOfStep(s, 25, 'relative'), 10);
  assert.equal(xOfStep(s, 5, 'wall'), null);
});

test('CSV: one header, a row per record per run, losses in the chosen unit, names quoted when needed', () => {
  const a = series([1, 2], { val: { 2: Math.LN2 * 3 } });
  const b = series([1]);
  const csv = seriesCsv([{ name: 'run-a', series: a }, { name: 'b, "second"', series: b }], 'bits');
  const lines = csv.trimEnd().split('\n');
  assert.equal(lines[0], 'run,step,time,train_loss_bits,val_loss_bits,lr,samples_per_sec');
  assert.equal(lines.length, 4);
  const row2 = lines[2]!.split(',');
  assert.equal(row2[0], 'run-a');
  assert.equal(row2[1], '2');
  assert.equal(row2[2], new Date(1_700_000_002_000).toISOString());
  assert.ok(Math.abs(Number(row2[3]) - (5 - 0.02) / Math.LN2) < 1e-9);
  assert.ok(Math.abs(Number(row2[4]) - 3) < 1e-9);
  assert.equal(lines[1]!.split(',')[4], '', 'no validation → empty cell');
  assert.ok(lines[3]!.startsWith('"b, ""second""",1,'));
  assert.ok(seriesCsv([], 'nats').startsWith('run,step,time,train_loss_nats,'));
});

test('chart points: built once, then extended with only the new records; smoothing matches the whole-series EMA', () => {
  const s = series([10, 20, 30], { val: { 20: 4 } });
  const p = newRunPoints(0, { x: 'step', unit: 'nats', smoothing: 0.6 });
  assert.equal(extendRunPoints(p, s), 3);
  const firstRaw = p.raw[0];
  appendSeries(s, series([40, 50], { val: { 50: 3.5 } }));
  assert.equal(extendRunPoints(p, s), 2);
  assert.equal(p.raw[0], firstRaw, 'earlier points are kept, not rebuilt');
  assert.deepEqual(p.raw.map((q) => q.x), [10, 20, 30, 40, 50]);
  assert.deepEqual(p.val, [{ x: 20, y: 4 }, { x: 50, y: 3.5 }]);
  assert.deepEqual(p.smooth.map((q) => q.y), smooth(s.train, 0.6));
  assert.equal(p.lr.length, 5);
  assert.equal(p.speed.length, 5);
  const arr = p.smooth;
  resmooth(p, 0);
  assert.equal(p.smooth, arr, 'resmoothing keeps the array the chart holds');
  assert.deepEqual(p.smooth.map((q) => q.y), s.train);
});

test('chart points in bits against relative time', () => {
  const s = series([0, 100], { t0: 5000 });
  const p = newRunPoints(0, { x: 'relative', unit: 'bits', smoothing: 0 });
  extendRunPoints(p, s);
  assert.deepEqual(p.raw.map((q) => q.x), [0, 100]);
  assert.ok(Math.abs(p.raw[0]!.y - 5 / Math.LN2) < 1e-12);
});
