// TensorBoard's scalar smoothing: an exponential moving average with its start-up bias removed.
// A plain EMA starts at 0 and creeps up; dividing by (1 − w^n) makes the first smoothed value the
// first raw value, keeps a constant series constant, and weight 0 the raw series itself.

/** Where a running EMA stands, so live points extend it without going over the whole series. */
export interface EmaState {
  weight: number;
  /** The biased average so far. */
  last: number;
  /** Finite values averaged so far. */
  count: number;
}

export function emaState(weight: number): EmaState {
  return { weight: clampWeight(weight), last: 0, count: 0 };
}

/** A weight in [0, 0.999]: 1 would never move. */
export function clampWeight(weight: number): number {
  return Number.isFinite(weight) ? Math.min(0.999, Math.max(0, weight)) : 0;
}

/** The smoothed value of the next raw value; non-finite values pass through and do not count. */
export function emaNext(state: EmaState, value: number): number {
  if (!Number.isFinite(value)) return value;
  const w = state.weight;
  state.last = state.last * w + (1 - w) * value;
  state.count += 1;
  const debias = w === 0 ? 1 : 1 - Math.pow(w, state.count);
  return state.last / debias;
}

/** The whole series smoothed (a new array). */
export function smooth(values: ArrayLike<number>, weight: number): number[] {
  const state = emaState(weight);
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = emaNext(state, values[i]!);
  return out;
}
