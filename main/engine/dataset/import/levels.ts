// Levels of one file: what the import reports about it (peak, loudness, clipping, offset) and the
// optional levelling (loudness normalisation, silence trim) applied before caching.
import { StudioError } from '../../errors';

/** Quieter than this (RMS, dBFS) a file is reported as silent or near-silent. */
export const SILENT_DB = -60;
/** A mean offset above this (|mean| of the mix, ≈ −40 dBFS) is reported as DC offset. */
export const DC_OFFSET_LIMIT = 0.01;
/** |sample| at or above this counts as clipped. */
export const CLIP_LEVEL = 0.999;
/** Levels below this are reported as this, so JSON never holds −Infinity. */
export const FLOOR_DB = -120;

export const toDb = (x: number): number => (x > 0 ? Math.max(FLOOR_DB, 20 * Math.log10(x)) : FLOOR_DB);
const fromDb = (db: number): number => 10 ** (db / 20);

export interface Levels {
  peakDb: number;
  loudnessDb: number;
  clipped: number;
  dcOffset: number;
}

/** Peak and clipping over every channel as recorded; loudness and offset of the mono mix. */
export function measureLevels(channels: Float32Array[], mono: Float32Array): Levels {
  let peak = 0;
  let clipped = 0;
  for (const ch of channels) {
    for (let i = 0; i < ch.length; i++) {
      const a = Math.abs(ch[i]!);
      if (a > peak) peak = a;
      if (a >= CLIP_LEVEL) clipped++;
    }
  }
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < mono.length; i++) {
    sum += mono[i]!;
    squares += mono[i]! * mono[i]!;
  }
  const n = Math.max(1, mono.length);
  return { peakDb: toDb(peak), loudnessDb: toDb(Math.sqrt(squares / n)), clipped, dcOffset: sum / n };
}

/**
 * Scales the file to `targetDb` RMS, but never past full scale: a gain that would clip is
 * lowered to put the peak just under it (a dynamic file ends up quieter than the target rather
 * than distorted). Digital silence stays as it is.
 */
export function normalizeLoudness(x: Float32Array, targetDb: number): Float32Array {
  let squares = 0;
  let peak = 0;
  for (let i = 0; i < x.length; i++) {
    squares += x[i]! * x[i]!;
    peak = Math.max(peak, Math.abs(x[i]!));
  }
  const rms = Math.sqrt(squares / Math.max(1, x.length));
  if (rms === 0) return x;
  const gain = Math.min(fromDb(targetDb) / rms, CLIP_LEVEL / peak);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! * gain;
  return out;
}

/**
 * Cuts leading and trailing silence: everything before the first and after the last 10 ms window
 * whose RMS reaches `thresholdDb`. Returns the kept range; a file with no window that loud is
 * refused (nothing would be left to learn from).
 */
export function trimSilence(x: Float32Array, sampleRate: number, thresholdDb: number, name: string): { start: number; end: number } {
  const win = Math.max(1, Math.round(sampleRate / 100));
  const threshold = fromDb(thresholdDb) ** 2;
  let first = -1;
  let last = -1;
  for (let start = 0; start < x.length; start += win) {
    const end = Math.min(x.length, start + win);
    let squares = 0;
    for (let i = start; i < end; i++) squares += x[i]! * x[i]!;
    if (squares / (end - start) >= threshold) {
      if (first < 0) first = start;
      last = end;
    }
  }
  if (first < 0) throw new StudioError('AUDIO_EMPTY', `${name} is silent (nothing reaches ${thresholdDb} dBFS): remove it, or lower or turn off the silence trim.`);
  return { start: first, end: last };
}
