import { mulawDecode } from '../dsp/mulaw';
import { StudioError } from '../errors';
import { receptiveField, type WaveNetConfig } from '../model/config';
import type { Device } from '../runtime/session';
import { Random } from '../util/random';
import { ConditioningStream, type FramesInput } from './conditioning';
import { IncrementalGenerator } from './incremental';
import { sampleClass } from './sampling';

export interface RenderSettings {
  /** Samples to generate; defaults to frames × hop for conditioned models. */
  samples?: number;
  temperature: number;
  seed: number;
  /** Parallel streams: the render is cut into this many chunks generated side by side. */
  streams: number;
  device: Device | 'auto';
  threads?: number;
  globalId?: number | null;
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

/** Crossfade between chunks (20 ms at 16 kHz) when a render runs as several streams. */
const CROSSFADE = 320;

/**
 * Autoregressive rendering. With one stream it is exact ancestral sampling. With N streams the
 * timeline is cut into N chunks generated in lockstep; each chunk starts one receptive field
 * early (a warm-up that is discarded) and overlaps the next by a short crossfade.
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
  const streams = Math.max(1, Math.min(s.streams, Math.floor(total / 2000) || 1));
  const chunk = Math.ceil(total / streams);
  const warm = streams > 1 ? receptiveField(cfg) : 0;
  const fade = streams > 1 ? Math.min(CROSSFADE, chunk) : 0;
  const span = warm + chunk + fade;

  const cond = await ConditioningStream.open(cfg, flat, frames, s.globalId ?? null, 'cpu');
  const gen = await IncrementalGenerator.create(cfg, flat, { streams, device: s.device, threads: s.threads ?? 1, onFallback: s.onFallback });
  const Q = cfg.quantization;
  const silence = Math.floor(Q / 2);
  const rngs = Array.from({ length: streams }, (_, n) => new Random((s.seed * 7919 + n) >>> 0));
  const scratch = new Float64Array(Q);
  const out = Array.from({ length: streams }, () => new Uint8Array(span));
  const cur = new Array<number>(streams).fill(silence);
  const prev = new Array<number>(streams).fill(silence);
  const origin = (n: number): number => n * chunk - warm;
  const rows: Float32Array[] = new Array(streams);
  try {
    for (let t = 0; t < span; t++) {
      if (s.signal?.aborted) throw new StudioError('CANCELLED', 'Render cancelled.');
      for (let n = 0; n < streams; n++) rows[n] = await cond.rowAt(origin(n) + t);
      if (t % cfg.hop === 0) cond.release(origin(0) + t);
      const logits = await gen.step(cur, prev, (n) => rows[n]!);
      for (let n = 0; n < streams; n++) {
        const next = sampleClass(logits, n * Q, Q, s.temperature, rngs[n]!, scratch);
        out[n]![t] = next;
        prev[n] = cur[n]!;
        cur[n] = next;
      }
      if (s.onProgress && (t % 500 === 0 || t === span - 1)) s.onProgress(Math.min(total, (t + 1) * streams), total);
    }
  } finally {
    await gen.release();
    await cond.close();
  }

  // Stream n's out[k] is the sample at time origin(n) + k + 1 (each step predicts the next one).
  const classes = new Uint8Array(total);
  const audio = new Float32Array(total);
  const decoded = out.map((o) => mulawDecode(o));
  for (let n = 0; n < streams; n++) {
    const start = n * chunk;
    const end = Math.min(total, start + chunk + (n === streams - 1 ? 0 : fade));
    for (let time = start; time < end; time++) {
      const k = time - origin(n) - 1;
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
  return { audio, classes, device: gen.device, seconds: (performance.now() - started) / 1000 };
}
