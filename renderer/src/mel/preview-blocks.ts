// The Griffin-Lim preview made in blocks of frames, so that after an edit only the blocks it
// touched are made again (a brush stroke on a 30 s sheet redoes a second or two of sound, not 30):
// each block is inverted with a few frames of context either side, and neighbouring blocks are
// cross-faded over a few hops at their boundary. Pure: the worker and the tests use it alike.
import type { MelSettings } from '../../../main/contract/domain/mel';
import { melToAudio, type GriffinLimOptions, type LogMelGrid } from './griffin-lim';

/** Frames a block owns (1.6 s at 16 kHz / hop 200). */
export const BLOCK_FRAMES = 128;
/** Frames of context inverted with a block either side (more than the fade and the window's reach). */
export const CONTEXT_FRAMES = 8;
/** The cross-fade at a boundary reaches this many hops either side of it. */
export const FADE_HOPS = 2;

export function blockCount(frames: number): number {
  return Math.ceil(Math.max(0, frames) / BLOCK_FRAMES);
}

/** The frames block b owns [frame0, frame1) and those inverted with it [context0, context1). */
export function blockFrames(b: number, frames: number): { frame0: number; frame1: number; context0: number; context1: number } {
  const frame0 = b * BLOCK_FRAMES;
  const frame1 = Math.min(frames, frame0 + BLOCK_FRAMES);
  return { frame0, frame1, context0: Math.max(0, frame0 - CONTEXT_FRAMES), context1: Math.min(frames, frame1 + CONTEXT_FRAMES) };
}

/** The blocks whose sound depends on frames [frame0, frame1). */
export function blocksTouching(frame0: number, frame1: number, frames: number): number[] {
  const n = blockCount(frames);
  const first = Math.max(0, Math.floor((frame0 - CONTEXT_FRAMES) / BLOCK_FRAMES));
  const last = Math.min(n - 1, Math.floor((frame1 - 1 + CONTEXT_FRAMES) / BLOCK_FRAMES));
  const out: number[] = [];
  for (let b = first; b <= last; b++) out.push(b);
  return out;
}

/** The frames [context0, context1) of a sheet as a sheet of their own (a copy, for a worker). */
export function sliceFrames(sheet: LogMelGrid, context0: number, context1: number): { frames: number; bins: number; data: Float32Array } {
  const bins = sheet.bins;
  const data = new Float32Array((context1 - context0) * bins);
  for (let i = 0; i < data.length; i++) data[i] = sheet.data[context0 * bins + i]!;
  return { frames: context1 - context0, bins, data };
}

/** A block's sound: its frames with their context, inverted; sample 0 sounds at frame context0. */
export function renderBlock(sheet: LogMelGrid, cfg: MelSettings, b: number, options: GriffinLimOptions = {}): Float32Array {
  const { context0, context1 } = blockFrames(b, sheet.frames);
  return renderSlice(sliceFrames(sheet, context0, context1), cfg, b, options);
}

/** Block b's sound from its frames with context already cut out (what the worker is sent). */
export function renderSlice(slice: LogMelGrid, cfg: MelSettings, b: number, options: GriffinLimOptions = {}): Float32Array {
  return melToAudio(slice, cfg, { ...options, seed: (options.seed ?? 1) + b });
}

/**
 * Joins block sounds into the sheet's sound ((frames − 1)·hop samples, as analysis would read
 * it): each block's own frames, cross-faded (raised cosine, weights summing to one) with its
 * neighbour over FADE_HOPS hops either side of their boundary. Missing blocks are silent.
 */
export function assembleBlocks(blocks: readonly (Float32Array | null)[], frames: number, hop: number, out?: Float32Array): Float32Array {
  const length = Math.max(0, (frames - 1) * hop);
  const y = out && out.length === length ? out : new Float32Array(length);
  y.fill(0);
  const fade = FADE_HOPS * hop;
  const n = blockCount(frames);
  for (let b = 0; b < n; b++) {
    const sound = blocks[b];
    if (!sound) continue;
    const { frame0, frame1, context0 } = blockFrames(b, frames);
    const offset = context0 * hop;
    const start = b === 0 ? 0 : frame0 * hop - fade;
    const end = b === n - 1 ? length : frame1 * hop + fade;
    for (let t = Math.max(0, start); t < Math.min(length, end); t++) {
      let w = 1;
      if (b > 0 && t < frame0 * hop + fade) w *= rise((t - (frame0 * hop - fade)) / (2 * fade));
      if (b < n - 1 && t >= frame1 * hop - fade) w *= 1 - rise((t - (frame1 * hop - fade)) / (2 * fade));
      const s = sound[t - offset];
      if (s !== undefined) y[t] += w * s;
    }
  }
  return y;
}

/** 0 → 1 along half a cosine over u ∈ [0, 1]; rise(u) + rise(1 − u) = 1. */
function rise(u: number): number {
  if (u <= 0) return 0;
  if (u >= 1) return 1;
  return 0.5 - 0.5 * Math.cos(Math.PI * u);
}
