import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleClass } from '../../../../main/engine/generate/sampling';
import { Random } from '../../../../main/engine/util/random';

const logits = new Float32Array([0, 1, 2, -1, 800]); // the last entry belongs to another row
const classes = 4;

function softmax(temperature: number): number[] {
  const e = [...logits.subarray(0, classes)].map((v) => Math.exp(v / temperature));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

test('sampling frequencies match softmax(logits / temperature)', () => {
  const scratch = new Float64Array(classes);
  for (const temperature of [1, 0.5, 2]) {
    const rng = new Random(11);
    const counts = new Array<number>(classes).fill(0);
    const n = 200_000;
    for (let i = 0; i < n; i++) counts[sampleClass(logits, 0, classes, temperature, rng, scratch)]!++;
    const expected = softmax(temperature);
    for (let q = 0; q < classes; q++) {
      const p = counts[q]! / n;
      // 5 standard errors of a binomial proportion.
      const tolerance = 5 * Math.sqrt((expected[q]! * (1 - expected[q]!)) / n) + 1e-4;
      assert.ok(Math.abs(p - expected[q]!) < tolerance, `T=${temperature} class ${q}: ${p} vs ${expected[q]}`);
    }
  }
});

test('temperature 0 is the arg-max; huge logits do not overflow; a seed reproduces the draw', () => {
  const scratch = new Float64Array(classes);
  assert.equal(sampleClass(logits, 0, classes, 0, new Random(1), scratch), 2);
  const huge = new Float32Array([1e30, 1e30 - 1e24, -1e30, 0]);
  const q = sampleClass(huge, 0, 4, 1, new Random(3), scratch);
  assert.ok(q === 0 || q === 1, `drew ${q}`);
  const draws = (seed: number) => Array.from({ length: 50 }, ((rng) => () => sampleClass(logits, 0, classes, 1, rng, scratch))(new Random(seed)));
  assert.deepEqual(draws(42), draws(42));
  assert.notDeepEqual(draws(42), draws(43));
});
