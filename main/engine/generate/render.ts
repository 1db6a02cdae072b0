import { StudioError } from '../errors';
import type { WaveNetConfig } from '../model/config';
import type { Device } from '../runtime/session';
import { chunkLayout, generateChunks, stitchChunks, type ChunkLayout } from './chunks';
import type { FramesInput } from './conditioning';
import { renderWorkers, runWorkers } from './worker-pool';

export interface RenderSettings {
  /** Samples to generate; defaults to frames × hop for conditioned models. */
  samples?: number;
  temperature: number;
  seed: number;
  /** Parallel streams: the render is cut into this many chunks generated side by side. */
  streams: number;
  device: Device | 'auto';
  /**
   * Worker threads sharing the chunks on the CPU (each runs one generator with one ONNX Runtime
   * thread). Default: one per core. Other devices generate in this thread.
   */
  workers?: number;
  globalId?: number | null;
  /**
   * Samples each chunk generates and discards before its start (default: one receptive field).
   * Only scripts/seam-study.ts sets it, to measure what shorter warm-ups do to the joins.
   */
  warmUp?: number;
  onProgress?: (done: number, total: number) => void;
  onFallback?: (message: string) => void;
  signal?: AbortSignal;
}

export interface RenderResult {
  audio: Float32Array;
  classes: Uint8Array;
  device: Device;
  seconds: number;
}

/** Contiguous [first, count] ranges of a layout's chunks, as even as `parts` allows. */
function splitChunks(layout: ChunkLayout, parts: number): [number, number][] {
  const out: [number, number][] = [];
  for (let p = 0, first = 0; p < parts; p++) {
    const count = Math.ceil((layout.streams - first) / (parts - p));
    out.push([first, count]);
    first += count;
  }
  return out;
}

/**
 * Autoregressive rendering. With one stream it is exact ancestral sampling. With N streams the
 * timeline is cut into N chunks generated in lockstep (see chunks.ts); each chunk starts one
 * receptive field early (a warm-up that is discarded) and overlaps the next by a short crossfade.
 * On the CPU the chunks are shared among worker threads, one per core, so a long file uses the
 * whole machine; the audio is the same whatever the number of workers.
 */
export async function renderAudio(cfg: WaveNetConfig, flat: Float32Array, frames: FramesInput | null, s: RenderSettings): Promise<RenderResult> {
  if (cfg.condition !== 'none' && !frames) throw new StudioError('BAD_OPTION', 'This model is conditioned: give --mel-from, --midi or --frames.');
  if (frames && frames.bins !== cfg.conditionBins) {
    throw new StudioError('BAD_OPTION', `The conditioning has ${frames.bins} bins per frame but the model expects ${cfg.conditionBins} (${cfg.condition}).`);
  }
  const total = s.samples ?? (frames ? frames.frames * cfg.hop : 0);
  if (total <= 0) throw new StudioError('BAD_OPTION', 'Nothing to render: give a length (--seconds) or non-empty conditioning.');
  if (!(s.temperature >= 0)) throw new StudioError('BAD_OPTION', 'Temperature must be 0 or more.');
  const started = performance.now();
  const layout = chunkLayout(cfg, total, s.streams, s.warmUp);
  const work = { cfg, flat, frames, layout, temperature: s.temperature, seed: s.seed, device: s.device, threads: 1, globalId: s.globalId ?? null };
  const workers = Math.min(layout.streams, renderWorkers(s.device, s.workers));
  const perStep = total / (layout.span * layout.streams);
  const report = (stepsTimesStreams: number): void => s.onProgress?.(Math.min(total, Math.round(stepsTimesStreams * perStep)), total);
  let r: { classes: Uint8Array[]; device: Device };
  if (workers > 1) {
    const parts = splitChunks(layout, workers);
    const steps = parts.map(() => 0);
    // Workers run on the CPU only (renderWorkers), where nothing falls back.
    const done = await runWorkers(parts.map(([first, count]) => ({ kind: 'chunks', work: { ...work, first, count } })), (i, m) => {
      if (m.steps !== undefined) {
        steps[i] = m.steps;
        report(steps.reduce((sum, v, j) => sum + v * parts[j]![1], 0));
      }
    }, s.signal);
    r = { classes: done.flatMap((m) => m.classes as Uint8Array[]), device: done[0]!.device! };
  } else {
    r = await generateChunks({ ...work, first: 0, count: layout.streams }, { signal: s.signal, onFallback: s.onFallback, onSteps: (steps) => report(steps * layout.streams) });
  }
  const { audio, classes } = stitchChunks(cfg, layout, r.classes);
  return { audio, classes, device: r.device, seconds: (performance.now() - started) / 1000 };
}
