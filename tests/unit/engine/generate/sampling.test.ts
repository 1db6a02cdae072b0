import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldResidualBiases } from '../../../../main/engine/generate/fold';
import { StreamState } from '../../../../main/engine/generate/stream-state';
import { preset } from '../../../../main/engine/model/config';
import { initialParams, paramSpecs } from '../../../../main/engine/model/params';
import { Random } from '../../../../main/engine/util/random';

// Five classes (one past the four-float vectors, so the scalar tail is exercised), two streams.
const classes = 5;
const rows = [
  [0, 1, 2, -1, 0.5],
  [3, -2, 0, 1, 1],
];

/** A stream state of `tiny` with `classes` classes, one stream a row of `logits`, holding them. */
function holding(logits: number[][]): StreamState {
  const cfg = { ...preset('tiny'), quantization: classes };
  const state = new StreamState(cfg, foldResidualBiases(cfg, initialParams(paramSpecs(cfg), 1)), logits.length, 'onnx');
  state.logits.set(logits.flat());
  return state;
}

/** The generator's sampler (kernel/streams.c) with these logits, one draw a stream per call. */
function sampler(logits: number[][]): (temperature: number, rng: Random) => number[] {
  const state = holding(logits);
  return (temperature, rng) => {
    for (let n = 0; n < logits.length; n++) state.uniforms[n] = rng.next();
    state.sample(logits.length, temperature);
    return [...state.cur.subarray(0, logits.length)];
  };
}

function softmax(row: number[], temperature: number): number[] {
  const e = row.map((v) => Math.exp(v / temperature));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

test('sampling frequencies match softmax(logits / temperature), stream by stream', () => {
  const draw = sampler(rows);
  for (const temperature of [1, 0.5, 2]) {
    const rng = new Random(11);
    const counts = rows.map(() => new Array<number>(classes).fill(0));
    const n = 200_000;
    for (let i = 0; i < n; i++) draw(temperature, rng).forEach((q, s) => counts[s]![q]!++);
    rows.forEach((row, s) => {
      const expected = softmax(row, temperature);
      for (let q = 0; q < classes; q++) {
        const p = counts[s]![q]! / n;
        // 5 standard errors of a binomial proportion.
        const tolerance = 5 * Math.sqrt((expected[q]! * (1 - expected[q]!)) / n) + 1e-4;
        assert.ok(Math.abs(p - expected[q]!) < tolerance, `T=${temperature} stream ${s} class ${q}: ${p} vs ${expected[q]}`);
      }
    });
  }
});

test('temperature 0 is the arg-max; huge logits do not overflow; a seed reproduces the draw', () => {
  assert.deepEqual(sampler(rows)(0, new Random(1)), [2, 0]);
  const [q] = sampler([[1e30, 1e30 - 1e24, -1e30, 0, -1e30]])(1, new Random(3));
  assert.ok(q === 0 || q === 1, `drew ${q}`);
  const draws = (seed: number): number[][] => {
    const draw = sampler(rows);
    const rng = new Random(seed);
    return Array.from({ length: 50 }, () => draw(1, rng));
  };
  assert.deepEqual(draws(42), draws(42));
  assert.notDeepEqual(draws(42), draws(43));
});

test('a draw moves the current sample to the previous one', () => {
  const state = holding([rows[0]!]);
  state.cur[0] = 4;
  state.sample(1, 0);
  assert.deepEqual([state.prev[0], state.cur[0]], [4, 2]);
});
