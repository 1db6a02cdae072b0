// The training charts' x axis: ticks on round steps and clock steps, not from the data's first value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Scale } from 'chart.js';
import { roundTicks } from '../../../../renderer/src/training/ticks';

/** Chart.js's own ticks for a data-bounded axis: from min on, every `spacing`. */
function axis(min: number, max: number, spacing: number): Scale {
  const ticks = [];
  for (let v = min; v <= max; v += spacing) ticks.push({ value: v });
  return { min, max, ticks } as unknown as Scale;
}
const values = (s: Scale) => s.ticks.map((t) => t.value);

test('steps: the same spacing, on its multiples', () => {
  const s = axis(10, 1000, 100);
  roundTicks(s, 'step');
  assert.deepEqual(values(s), [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  const zoomed = axis(52.1, 95.3, 10);
  roundTicks(zoomed, 'step');
  assert.deepEqual(values(zoomed), [60, 70, 80, 90]);
  const fine = axis(0.13, 0.61, 0.1);
  roundTicks(fine, 'step');
  assert.deepEqual(values(fine), [0.2, 0.3, 0.4, 0.5, 0.6]);
});

test('time since start: clock steps (200 s becomes 5 min)', () => {
  const s = axis(0, 1540, 200);
  roundTicks(s, 'relative');
  assert.deepEqual(values(s), [0, 300, 600, 900, 1200, 1500]);
  const long = axis(0, 40 * 3600, 20000);
  roundTicks(long, 'relative');
  assert.deepEqual(values(long), [0, 6, 12, 18, 24, 30, 36].map((h) => h * 3600));
});

test('wall time: clock steps of local time', () => {
  const start = new Date(2026, 10, 26, 5, 53, 41).getTime();
  const s = axis(start, start + 25 * 60_000, 200_000);
  roundTicks(s, 'wall');
  const labels = values(s).map((v) => { const d = new Date(v); return `${d.getHours()}:${String(d.getMinutes()).padStart(2, '0')}:${d.getSeconds()}`; });
  assert.deepEqual(labels, ['5:55:0', '6:00:0', '6:05:0', '6:10:0', '6:15:0']);
});
