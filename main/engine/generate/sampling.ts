import type { Random } from '../util/random';

/**
 * Draw a class from logits at a temperature (0 = the most likely class). Uses max-subtraction so
 * that exp never overflows.
 */
export function sampleClass(logits: Float32Array, offset: number, classes: number, temperature: number, rng: Random, scratch: Float64Array): number {
  let best = 0;
  let max = -Infinity;
  for (let q = 0; q < classes; q++) {
    const v = logits[offset + q]!;
    if (v > max) {
      max = v;
      best = q;
    }
  }
  if (temperature <= 0) return best;
  let total = 0;
  for (let q = 0; q < classes; q++) {
    total += Math.exp((logits[offset + q]! - max) / temperature);
    scratch[q] = total;
  }
  const u = rng.next() * total;
  let lo = 0;
  let hi = classes - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (scratch[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
