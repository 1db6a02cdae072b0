import * as os from 'node:os';
import { mulawDecode } from '../dsp/mulaw';
import { StudioError } from '../errors';
import { receptiveField, type WaveNetConfig } from '../model/config';
import type { Device } from '../runtime/session';
import { Random } from '../util/random';
import { ConditioningStream, type FramesInput } from './conditioning';
import { engineFor, IncrementalGenerator } from './incremental';

/** Crossfade between chunks (20 ms at 16 kHz) when a render runs as several streams. */
const CROSSFADE = 320;
/** The shortest chunk worth a stream of its own. */
const MIN_CHUNK = 2000;

/**
 * How a folded render cuts its timeline: `streams` chunks of `chunk` samples, each generated from
 * `warm` samples before its start (a warm-up that is discarded) to `fade` samples past its end,
 * where it fades out under the next chunk's fade-in. Chunk n's stream takes `span` steps.
 */
export interface ChunkLayout {
  total: number;
  streams: number;
  chunk: number;
  warm: number;
  fade: number;
  span: number;
}

/**
 * Streams for a folded render of `total` samples when the person leaves it to us. A step of n
 * streams costs about a + b·n on the CPU, and every chunk adds a warm-up of one receptive field:
 * over `workers` threads the time (C/n + warm)(a + b·n), C the samples per worker, is least at
 * n = √((a/b)·C / warm). The step graph has a ≈ 10b (`small`, one thread: a ≈ 275 µs, b ≈ 25 µs;
 * a 26.8 s render on two workers was fastest at 32 streams a worker, 2.05–2.20× real time against
 * 1.79–1.93× at 20 and 1.70–1.86× at 44); the native step a ≈ 2b (its own call ~25 µs, b ≈ 24 µs,
 * plus the loop around it: the same render at 8 / 12 / 16 / 24 / 32 streams a worker gave
 * 3.07–3.47 / 3.35–3.60 / 3.13–3.37 / 3.52–3.53 / 2.87–3.23× real time). At most 32 a worker.
 */
export function autoStreams(cfg: WaveNetConfig, total: number, workers: number = os.availableParallelism()): number {
  const perWorker = total / Math.max(1, workers);
  const ratio = engineFor(cfg, Infinity) === 'native' ? 2 : 10;
  const n = Math.round(Math.sqrt((ratio * perWorker) / receptiveField(cfg)));
  return Math.max(1, Math.min(32, n) * Math.max(1, workers));
}

/**
 * The layout of a folded render; each chunk warms up over `warmUp` samples (one receptive field:
 * shorter ones were measured and lose to it, see README "Speed" and scripts/seam-study.ts).
 */
export function chunkLayout(cfg: WaveNetConfig, total: number, wanted: number, warmUp: number = receptiveField(cfg)): ChunkLayout {
  const streams = Math.max(1, Math.min(wanted, Math.floor(total / MIN_CHUNK) || 1));
  const chunk = Math.ceil(total / streams);
  const warm = streams > 1 ? Math.max(0, Math.round(warmUp)) : 0;
  const fade = streams > 1 ? Math.min(CROSSFADE, chunk) : 0;
  return { total, streams, chunk, warm, fade, span: warm + chunk + fade };
}

/** The time of chunk n's first step (its warm-up starts before its chunk). */
export const chunkOrigin = (layout: ChunkLayout, n: number): number => n * layout.chunk - layout.warm;

/** Chunks first … first + count − 1 of a layout, generated as the streams of one generator. */
export interface ChunkWork {
  cfg: WaveNetConfig;
  flat: Float32Array;
  frames: FramesInput | null;
  layout: ChunkLayout;
  first: number;
  count: number;
  temperature: number;
  seed: number;
  device: Device | 'auto';
  threads: number;
  globalId: number | null;
}

export interface ChunkHooks {
  signal?: AbortSignal;
  /** Called every few hundred steps with the steps done so far (of layout.span). */
  onSteps?: (steps: number) => void;
  onFallback?: (message: string) => void;
}

/**
 * Generate chunks as the lockstep streams of one IncrementalGenerator. Chunk n's random numbers
 * come from (seed, n) and its conditioning from its own times, so a chunk's classes do not depend
 * on which other chunks share its batch: the chunks of a render can be split across workers.
 * Returns each chunk's classes (step k's class is the sample at origin + k + 1).
 */
export async function generateChunks(w: ChunkWork, hooks: ChunkHooks = {}): Promise<{ classes: Uint8Array[]; device: Device }> {
  const { cfg, layout, count } = w;
  const cond = await ConditioningStream.open(cfg, w.flat, w.frames, w.globalId, 'cpu');
  let gen: IncrementalGenerator;
  try {
    gen = await IncrementalGenerator.create(cfg, w.flat, { streams: count, device: w.device, threads: w.threads, engine: engineFor(cfg, layout.streams), onFallback: hooks.onFallback });
  } catch (e) {
    await cond.close();
    throw e;
  }
  const ids = Array.from({ length: count }, (_, k) => w.first + k);
  const origins = ids.map((n) => chunkOrigin(layout, n));
  const rngs = ids.map((n) => new Random((w.seed * 7919 + n) >>> 0));
  const classes = ids.map(() => new Uint8Array(layout.span));
  // The frame whose row each stream holds (rows are set as a stream reaches a new frame).
  const rowFrame = new Array<number>(count).fill(-1);
  try {
    for (let t = 0; t < layout.span; t++) {
      if (hooks.signal?.aborted) throw new StudioError('CANCELLED', 'Render cancelled.');
      for (let k = 0; k < count; k++) {
        const f = cond.frameOf(origins[k]! + t);
        if (f !== rowFrame[k]) {
          gen.setRow(k, await cond.rowAt(origins[k]! + t));
          rowFrame[k] = f;
        }
      }
      if (t % cfg.hop === 0) cond.release(origins[0]! + t);
      const next = await gen.draw(w.temperature, rngs);
      for (let k = 0; k < count; k++) classes[k]![t] = next[k]!;
      if (hooks.onSteps && (t % 250 === 0 || t === layout.span - 1)) hooks.onSteps(t + 1);
    }
    return { classes, device: gen.device };
  } finally {
    await gen.release();
    await cond.close();
  }
}

/** Join the chunks' classes into one timeline, crossfading each join. */
export function stitchChunks(cfg: WaveNetConfig, layout: ChunkLayout, out: readonly Uint8Array[]): { audio: Float32Array; classes: Uint8Array } {
  const { total, streams, chunk, fade } = layout;
  const silence = Math.floor(cfg.quantization / 2);
  const classes = new Uint8Array(total);
  const audio = new Float32Array(total);
  const decoded = out.map((o) => mulawDecode(o));
  for (let n = 0; n < streams; n++) {
    const start = n * chunk;
    const end = Math.min(total, start + chunk + (n === streams - 1 ? 0 : fade));
    for (let time = start; time < end; time++) {
      const k = time - chunkOrigin(layout, n) - 1;
      const v = k >= 0 ? decoded[n]![k]! : 0;
      const inFadeOut = n < streams - 1 && time >= start + chunk;
      const inFadeIn = n > 0 && time < start + fade;
      if (inFadeOut) {
        const w = (time - (start + chunk)) / fade;
        audio[time] = audio[time]! + v * (1 - w);
      } else if (inFadeIn) {
        const w = (time - start) / fade;
        audio[time] = audio[time]! + v * w;
        classes[time] = k >= 0 ? out[n]![k]! : silence;
      } else {
        audio[time] = v;
        classes[time] = k >= 0 ? out[n]![k]! : silence;
      }
    }
  }
  return { audio, classes };
}
