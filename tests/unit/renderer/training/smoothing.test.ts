// TensorBoard's debiased EMA: what a person sees on the smoothed loss line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clampWeight, emaNext, emaState, smooth } from '../../../../renderer/src/training/smoothing';

test('the first smoothed value is the first raw value, whatever the weight', () => {
  for (const w of [0, 0.3, 0.6, 0.9, 0.999]) assert.equal(smooth([4.2, 3, 2], w)[0], 4.2, `weight ${w}`);
});

test('a constant series stays constant', () => {
  for (const w of [0, 0.5, 0.95, 0.999]) {
    for (const v of smooth(new Array(500).fill(2.5), w)) assert.ok(Math.abs(v - 2.5) < 1e-12, `weight ${w}: ${v}`);
  }
});

test('weight 0 gives the raw series', () => {
  const raw = [5, 1, 4, 2, 8, 0.5];
  assert.deepEqual(smooth(raw, 0), raw);
});

test('matches the debiased EMA by hand', () => {
  const w = 0.6;
  const raw = [1, 3, 2];
  let last = 0;
  const expected = raw.map((v, i) => {
    last = last * w + (1 - w) * v;
    return last / (1 - w ** (i + 1));
  });
  const got = smooth(raw, w);
  for (let i = 0; i < raw.length; i++) assert.ok(Math.abs(got[i]! - expected[i]!) < 1e-12);
  // A heavier weight lags more behind a step change.
  const step = [...new Array(10).fill(5), ...new Array(10).fill(1)];
  assert.ok(smooth(step, 0.9)[12]! > smooth(step, 0.5)[12]!);
});

test('extending the running state gives the same values as smoothing the whole series', () => {
  const raw = Array.from({ length: 200 }, (_, i) => 5 * Math.exp(-i / 50) + Math.sin(i) * 0.3);
  const whole = smooth(raw, 0.9);
  const state = emaState(0.9);
  const live = raw.map((v) => emaNext(state, v));
  assert.deepEqual(live, whole);
});

test('non-finite values pass through and do not disturb what follows', () => {
  const got = smooth([2, NaN, 2, Infinity, 2], 0.8);
  assert.equal(got[0], 2);
  assert.ok(Number.isNaN(got[1]));
  assert.equal(got[3], Infinity);
  assert.ok(Math.abs(got[4]! - 2) < 1e-12);
});

test('weights are held to 0..0.999', () => {
  assert.equal(clampWeight(-1), 0);
  assert.equal(clampWeight(1), 0.999);
  assert.equal(clampWeight(NaN), 0);
  assert.equal(clampWeight(0.6), 0.6);
  // Weight 1 would never move from 0/0: the clamp keeps the line meaningful.
  assert.ok(smooth([3, 3, 3], 1).every((v) => Math.abs(v - 3) < 1e-9));
});
