import assert from 'node:assert/strict';
import { test } from 'node:test';
import { biasCorrected, learningRate } from '../../../../main/engine/train/schedule';

test('learning rate warms up linearly, peaks, then follows the cosine down to the floor', () => {
  const s = { peak: 1e-3, warmupSteps: 10, totalSteps: 110, floor: 0.1 };
  assert.equal(learningRate(s, 0), 1e-4);
  assert.equal(learningRate(s, 9), 1e-3);
  assert.equal(learningRate(s, 10), 1e-3);
  // Half-way through the decay the cosine term is 1/2: floor + (1 - floor)/2.
  assert.ok(Math.abs(learningRate(s, 60) - 1e-3 * 0.55) < 1e-12);
  assert.ok(Math.abs(learningRate(s, 110) - 1e-4) < 1e-12);
  assert.ok(Math.abs(learningRate(s, 500) - 1e-4) < 1e-12, 'past the end it stays at the floor');
  for (let step = 11; step <= 110; step++) assert.ok(learningRate(s, step) <= learningRate(s, step - 1), `non-increasing at ${step}`);
});

test('folded bias correction gives the same Adam update as the textbook form', () => {
  const [lr, eps, b1, b2] = [2e-3, 1e-8, 0.9, 0.999];
  // Two steps of Adam on one weight with gradients g1, g2, computed both ways.
  let m = 0;
  let v = 0;
  for (const [step, g] of [[0, 0.3], [1, -0.7]] as const) {
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    const t = step + 1;
    const textbook = (lr * (m / (1 - b1 ** t))) / (Math.sqrt(v / (1 - b2 ** t)) + eps);
    const folded = biasCorrected(lr, eps, b1, b2, step);
    const ours = (folded.lr * m) / (Math.sqrt(v) + folded.eps);
    assert.ok(Math.abs(ours - textbook) < 1e-15, `step ${t}: ${ours} vs ${textbook}`);
  }
});
