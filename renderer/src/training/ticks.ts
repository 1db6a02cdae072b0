// Where the training charts' x axis puts its ticks (kept apart from the charts, which need a window).
import type { Scale } from 'chart.js';
import type { XMode } from './series';

/** Steps a clock's axis is read in, in seconds: 5 min, 10 min, 1 h … rather than 200 s. */
const CLOCK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** The clock step at least `seconds` long (ticks no denser than Chart.js chose). */
function clockStep(seconds: number): number {
  return CLOCK_STEPS.find((step) => step >= seconds) ?? Math.ceil(seconds / 86400) * 86400;
}

/**
 * An axis bounded by its data gets ticks from the data's first value on (steps 10, 110, 210 …, or
 * 52.1, 62.1 … once zoomed): they go on round multiples instead (100, 200 …), and a time axis on
 * clock steps (5m, 10m …; 06:05, 06:10 … in local time).
 */
export function roundTicks(scale: Scale, mode: XMode): void {
  const ticks = scale.ticks;
  if (ticks.length < 2) return;
  let spacing = ticks[1]!.value - ticks[0]!.value;
  if (!(spacing > 0)) return;
  // Wall time is in ms; its multiples are counted from local midnight, not from UTC's.
  let origin = 0;
  if (mode === 'relative') spacing = clockStep(spacing);
  if (mode === 'wall') {
    spacing = clockStep(spacing / 1000) * 1000;
    origin = new Date(scale.min).getTimezoneOffset() * 60_000;
  }
  const values: { value: number }[] = [];
  for (let k = Math.ceil((scale.min - origin) / spacing - 1e-9); origin + k * spacing <= scale.max + spacing * 1e-9; k++) {
    values.push({ value: Number((origin + k * spacing).toPrecision(15)) });
  }
  scale.ticks = values;
}
