// Grid math for the piano roll. Tempo is in quarter notes per minute (MIDI's convention, as
// @tonejs/midi reads it), so a "beat" here is a quarter note whatever the time signature's unit.
import type { ScoreDocument } from '../../../main/contract/domain/index';

export type TimeSignature = ScoreDocument['timeSignature'];

/** Grid steps as note values; T = triplet (two thirds of the straight value); 'off' = no snap. */
export type SnapValue =
  | '1/1' | '1/2' | '1/4' | '1/8' | '1/16' | '1/32'
  | '1/2T' | '1/4T' | '1/8T' | '1/16T' | '1/32T'
  | 'off';

export const SNAP_VALUES: readonly SnapValue[] = [
  '1/1', '1/2', '1/4', '1/8', '1/16', '1/32', '1/2T', '1/4T', '1/8T', '1/16T', '1/32T', 'off',
];

export function secondsPerBeat(tempo: number): number {
  return 60 / tempo;
}

export function beatsToSeconds(beats: number, tempo: number): number {
  return (beats * 60) / tempo;
}

export function secondsToBeats(seconds: number, tempo: number): number {
  return (seconds * tempo) / 60;
}

/** One grid step in beats (quarter notes): '1/16' → 0.25, '1/8T' → 1/3; null when off. */
export function snapBeats(snap: SnapValue): number | null {
  if (snap === 'off') return null;
  const match = /^1\/(\d+)(T?)$/.exec(snap);
  if (!match) throw new Error(`unknown snap value ${String(snap)}`);
  const straight = 4 / Number(match[1]);
  return match[2] === 'T' ? (straight * 2) / 3 : straight;
}

/** One grid step in seconds at `tempo`; null when snap is off. */
export function snapSeconds(snap: SnapValue, tempo: number): number | null {
  const beats = snapBeats(snap);
  return beats === null ? null : beatsToSeconds(beats, tempo);
}

/** Beats (quarter notes) in one bar: 4/4 → 4, 6/8 → 3, 3/2 → 6. */
export function barBeats(ts: TimeSignature): number {
  return (ts.beats * 4) / ts.unit;
}

export type QuantizeMode = 'nearest' | 'floor' | 'ceil';

/**
 * `value` moved to a multiple of `step` (nearest, or the one below/above for drawing a note in
 * the cell under the pointer); `strength` < 1 moves it only that part of the way (groove-keeping
 * quantize). A step of null or ≤ 0 leaves the value as it is.
 */
export function quantize(value: number, step: number | null, mode: QuantizeMode = 'nearest', strength = 1): number {
  if (step === null || !(step > 0)) return value;
  const ratio = value / step;
  // A hair of tolerance so that 0.3 / 0.1 (= 2.9999…) floors to 3, as a person means it.
  const eps = 1e-9;
  const k = mode === 'floor' ? Math.floor(ratio + eps) : mode === 'ceil' ? Math.ceil(ratio - eps) : Math.round(ratio);
  const target = k * step;
  return strength >= 1 ? target : value + (target - value) * Math.max(0, strength);
}

/** A time in seconds on the grid of `snap` at `tempo`; unchanged when snap is off. */
export function quantizeTime(seconds: number, snap: SnapValue, tempo: number, mode: QuantizeMode = 'nearest', strength = 1): number {
  return quantize(seconds, snapSeconds(snap, tempo), mode, strength);
}
