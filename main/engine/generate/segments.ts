import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import { mulawDecode } from '../dsp/mulaw';
import { StudioError } from '../errors';
import { dilations, receptiveField, type WaveNetConfig } from '../model/config';
import { conditioningGraph } from '../model/graphs';
import { openSession, type Device } from '../runtime/session';
import { Random } from '../util/random';
import type { FramesInput } from './conditioning';
import { foldResidualBiases } from './fold';
import { IncrementalGenerator, segmentEngine } from './incremental';
import type { StepEngine } from './stream-state';

/**
 * Segmented rendering, for the segment cache. The timeline is cut into segments of a fixed length
 * (SEGMENT_SECONDS rounded to whole frames), whatever the render's length or stream count. Segment
 * i owns samples [i·S, (i+1)·S); it is generated from one receptive field (rounded up to whole
 * frames) before its start, a warm-up whose audio is discarded, and runs `fade` samples past its
 * end, where it fades out under segment i+1's fade-in (as renderAudio's folded chunks do). Its
 * random numbers come from (seed, i) alone and its conditioning rows are computed from its own
 * window of frames, so its audio is a pure function of what segmentKey hashes: the model, the
 * frames it reads (warm-up and overlap included), seed, temperature, global class, device and
 * engine, index and layout. Segments still render side by side as the streams of one batched generator.
 */

/**
 * Nominal segment length; the layout rounds it to whole hops. Half a second: an edit then usually
 * makes one or two short segments stale, generated side by side on two cores, where a 1 s segment
 * kept one core busy twice as long (a brush stroke on a 26.8 s sheet with a trained `small`: a
 * median 3.1 s to new audio instead of 5.2 s), while a whole render costs the same (more segments,
 * but more streams share each step's fixed cost). Each segment's warm-up of one receptive field
 * stays whole (README "Speed"), which is why still shorter segments stop paying.
 */
export const SEGMENT_SECONDS = 0.5;
/** Crossfade between neighbouring segments (20 ms at 16 kHz), as renderAudio's chunks. */
export const SEGMENT_CROSSFADE = 320;
/**
 * Bump whenever the bytes a segment key stands for would change: this layout or seeding, or the
 * generator's arithmetic (step graph, ring buffers, sampling), so no cached segment of the old
 * code is mixed with segments of the new.
 */
const SCHEME = 'wavenet-studio segment v4';

export interface SegmentLayout {
  sampleRate: number;
  hop: number;
  /** Samples each segment owns (a whole number of hops). */
  length: number;
  /** Warm-up samples before a segment's start (≥ the receptive field, whole hops). */
  warm: number;
  /** Crossfade samples past a segment's end. */
  fade: number;
  /** Generation steps per segment: warm − 1 + length + fade (step k predicts time origin + k + 1). */
  steps: number;
  /** Conditioning frames (hops) the steps read. */
  blocks: number;
}

export function segmentLayout(cfg: Pick<WaveNetConfig, 'sampleRate' | 'hop' | 'stacks' | 'layersPerStack'>): SegmentLayout {
  const { hop, sampleRate } = cfg;
  const length = Math.max(1, Math.round((SEGMENT_SECONDS * sampleRate) / hop)) * hop;
  const warm = Math.ceil(receptiveField(cfg as WaveNetConfig) / hop) * hop;
  const fade = Math.min(SEGMENT_CROSSFADE, length);
  const steps = warm - 1 + length + fade;
  return { sampleRate, hop, length, warm, fade, steps, blocks: Math.ceil(steps / hop) };
}

export function segmentCount(layout: SegmentLayout, samples: number): number {
  return Math.ceil(samples / layout.length);
}

/** The first sample a segment's generation sees (its warm-up start; negative for segment 0). */
function origin(layout: SegmentLayout, index: number): number {
  return index * layout.length - layout.warm;
}

/**
 * The frames a segment depends on: window positions first … first + size − 1 (frames outside the
 * document are zeros, as the upsampler's padding), and how many of its blocks read a clamped
 * frame (before the start: frame 0; past the end: the last frame).
 */
export interface SegmentWindow {
  first: number;
  size: number;
  lead: number;
  tail: number;
}

/** Frame count of a render with no frames (an unconditional model): one row for all time. */
export function segmentWindow(layout: SegmentLayout, index: number, frameCount: number): SegmentWindow {
  const o = origin(layout, index) / layout.hop;
  const B = layout.blocks;
  return {
    first: o - 1,
    size: B + 2,
    lead: Math.max(0, Math.min(B, -o)),
    tail: Math.max(0, Math.min(B, o + B - frameCount)),
  };
}

/** The time span (samples, clipped to the render) whose conditioning a segment depends on. */
export function segmentContext(layout: SegmentLayout, index: number, frameCount: number): { start: number; end: number } {
  const w = segmentWindow(layout, index, frameCount);
  const start = Math.max(0, w.first) * layout.hop;
  const end = Math.min(frameCount, w.first + w.size) * layout.hop;
  return { start, end: Math.max(start, end) };
}

/** The window's frames, [size, bins], zeros outside the document. */
function windowFrames(frames: FramesInput, w: SegmentWindow): Float32Array {
  const { bins, data } = frames;
  const out = new Float32Array(w.size * bins);
  const from = Math.max(0, w.first);
  const to = Math.min(frames.frames, w.first + w.size);
  if (to > from) out.set(data.subarray(from * bins, to * bins), (from - w.first) * bins);
  return out;
}

const modelHashes = new WeakMap<Float32Array, string>();

/** sha256 of a model's config and weights: what the model contributes to a segment key. */
export function modelHash(cfg: WaveNetConfig, flat: Float32Array): string {
  const have = modelHashes.get(flat);
  if (have) return have;
  const h = createHash('sha256').update(JSON.stringify(cfg)).update(new Uint8Array(flat.buffer, flat.byteOffset, flat.byteLength)).digest('hex');
  modelHashes.set(flat, h);
  return h;
}

export interface SegmentKeyInput {
  /** modelHash of the model. */
  model: string;
  layout: SegmentLayout;
  index: number;
  /** The render's frames (null: an unconditional model). */
  frames: FramesInput | null;
  seed: number;
  temperature: number;
  globalId: number | null;
  /** The device that computes it (devices round differently). */
  device: Device;
  /** What steps it on the CPU (segmentEngine): the kernel and the step graph round differently too. */
  engine: StepEngine;
}

/** The cache key of one segment: sha256 over everything that shapes its audio, hex. */
export function segmentKey(k: SegmentKeyInput): string {
  const { layout } = k;
  const h = createHash('sha256');
  const w = k.frames ? segmentWindow(layout, k.index, k.frames.frames) : null;
  h.update(`${SCHEME}\n`);
  h.update(JSON.stringify({
    model: k.model, device: k.device, index: k.index, seed: k.seed, temperature: k.temperature, globalId: k.globalId,
    // Named only for the kernels, so that segments the step graph made before the kernels did any stay valid.
    ...(k.engine !== 'onnx' ? { engine: k.engine } : {}),
    sampleRate: layout.sampleRate, hop: layout.hop, length: layout.length, warm: layout.warm, fade: layout.fade,
    bins: k.frames?.bins ?? null, lead: w?.lead ?? null, tail: w?.tail ?? null,
  }));
  h.update('\n');
  if (k.frames && w) {
    const data = windowFrames(k.frames, w);
    h.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return h.digest('hex');
}

/** A segment's random numbers: seeded from (seed, index) alone. */
export function segmentSeed(seed: number, index: number): number {
  let h = Math.imul((seed | 0) ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return (h ^ (h >>> 15)) >>> 0;
}

/** Samples segment i's stored part holds: its own length and the fade past it. */
export function segmentDataLength(layout: SegmentLayout): number {
  return layout.length + layout.fade;
}

/**
 * The render's audio from every segment's stored mu-law classes (times i·S … (i+1)·S + fade),
 * each fading in over its first `fade` samples under the previous one's fade-out.
 */
export function assembleSegments(layout: SegmentLayout, samples: number, segments: Uint8Array[]): Float32Array {
  const { length: S, fade } = layout;
  const audio = new Float32Array(samples);
  const decoded = segments.map((s) => mulawDecode(s));
  for (let i = 0; i < decoded.length; i++) {
    const seg = decoded[i]!;
    const start = i * S;
    const end = Math.min(samples, start + S);
    for (let time = start; time < end; time++) {
      const v = seg[time - start]!;
      const into = time - start;
      if (i > 0 && into < fade) {
        const w = into / fade;
        const before = Math.fround(decoded[i - 1]![S + into]! * (1 - w));
        audio[time] = before + v * w;
      } else {
        audio[time] = v;
      }
    }
  }
  return audio;
}

export interface SegmentGeneratorSettings {
  /** Segments generated side by side at most. */
  streams: number;
  device: Device | 'auto';
  threads?: number;
  globalId: number | null;
  onFallback?: (message: string) => void;
}

export interface GenerateSegmentsOptions {
  seed: number;
  temperature: number;
  signal?: AbortSignal;
  /** Called as each batch starts with the indices it generates. */
  onBatch?: (indices: number[]) => void;
  /** Called with each finished segment's stored classes (segmentDataLength long). */
  onSegment?: (index: number, classes: Uint8Array) => Promise<void> | void;
  /** Steps done / to do over the call, every few hundred steps. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Generates segments: batches of up to `streams` segments in lockstep on one batched generator
 * (all segments have the same length, so a batch ends together), conditioning rows computed per
 * segment from its own window of frames.
 */
export class SegmentGenerator {
  readonly layout: SegmentLayout;
  private readonly width: number;

  private constructor(
    private readonly cfg: WaveNetConfig,
    private readonly frames: FramesInput | null,
    private readonly settings: SegmentGeneratorSettings,
    private readonly cond: ort.InferenceSession,
    private readonly gen: IncrementalGenerator,
  ) {
    this.layout = segmentLayout(cfg);
    this.width = dilations(cfg).length * cfg.gate;
  }

  static async open(cfg: WaveNetConfig, flat: Float32Array, frames: FramesInput | null, s: SegmentGeneratorSettings): Promise<SegmentGenerator> {
    if (cfg.condition !== 'none' && !frames) throw new StudioError('BAD_OPTION', 'This model is conditioned: give it frames.');
    if (frames && frames.bins !== cfg.conditionBins) {
      throw new StudioError('BAD_OPTION', `The conditioning has ${frames.bins} bins per frame but the model expects ${cfg.conditionBins} (${cfg.condition}).`);
    }
    const { session } = await openSession(conditioningGraph(cfg, foldResidualBiases(cfg, flat).flat), { device: 'cpu', threads: 1 });
    try {
      // One engine per model (segmentEngine): a segment's bytes must not depend on the batch it was generated in.
      const engine = segmentEngine(cfg, s.device);
      const gen = await IncrementalGenerator.create(cfg, flat, { streams: Math.max(1, s.streams), device: s.device, threads: s.threads ?? 1, engine, onFallback: s.onFallback });
      return new SegmentGenerator(cfg, frames, s, session, gen);
    } catch (e) {
      await session.release();
      throw e;
    }
  }

  get device(): Device {
    return this.gen.device;
  }

  /** Segments one batch can hold. */
  get capacity(): number {
    return this.gen.streams;
  }

  /** Per-layer rows of one segment's blocks, [blocks, L·G]. */
  private async rows(index: number): Promise<Float32Array> {
    const feeds: Record<string, ort.Tensor> = {};
    const B = this.layout.blocks;
    let w: SegmentWindow | null = null;
    if (this.frames) {
      w = segmentWindow(this.layout, index, this.frames.frames);
      feeds.frames = new ort.Tensor('float32', windowFrames(this.frames, w), [1, w.size, this.frames.bins]);
    }
    if (this.cfg.globalClasses > 0) feeds.global_id = new ort.Tensor('int64', BigInt64Array.from([BigInt(this.settings.globalId ?? 0)]), [1]);
    const out = (await this.cond.run(feeds)).cond!.data as Float32Array;
    const W = this.width;
    const rows = new Float32Array(B * W);
    const o = w ? w.first + 1 : 0;
    for (let b = 0; b < B; b++) {
      // Window position of the frame block b reads (clamped into the document).
      const pos = w ? Math.min(this.frames!.frames - 1, Math.max(0, o + b)) - w.first : 0;
      rows.set(out.subarray(pos * W, (pos + 1) * W), b * W);
    }
    return rows;
  }

  /** Generate these segments, in this order, batch by batch. */
  async generate(indices: number[], o: GenerateSegmentsOptions): Promise<void> {
    const { layout } = this;
    const { hop, steps, warm } = layout;
    const W = this.width;
    const total = indices.length * steps;
    const capacity = this.gen.streams;
    const batches = Math.ceil(indices.length / capacity);
    let done = 0;
    for (let b = 0, at = 0; b < batches; b++) {
      // Batches as even as the count allows, in the given order.
      const size = Math.ceil((indices.length - at) / (batches - b));
      const batch = indices.slice(at, at + size);
      at += size;
      o.onBatch?.(batch);
      const rows = await Promise.all(batch.map((i) => this.rows(i)));
      const rngs = batch.map((i) => new Random(segmentSeed(o.seed, i)));
      const out = batch.map(() => new Uint8Array(steps));
      this.gen.reset(size);
      for (let t = 0; t < steps; t++) {
        if (o.signal?.aborted) throw new StudioError('CANCELLED', 'Render cancelled.');
        // Each block of hop steps reads one row a segment (see rows()).
        if (t % hop === 0) for (let n = 0; n < size; n++) this.gen.setRow(n, rows[n]!.subarray((t / hop) * W, (t / hop + 1) * W));
        const next = await this.gen.draw(o.temperature, rngs);
        for (let n = 0; n < size; n++) out[n]![t] = next[n]!;
        if (o.onProgress && (t % 500 === 0 || t === steps - 1)) o.onProgress(done + (t + 1) * size, total);
      }
      done += steps * size;
      // Step k predicts time origin + k + 1: the segment's own first sample is step warm − 1.
      for (let n = 0; n < size; n++) await o.onSegment?.(batch[n]!, out[n]!.slice(warm - 1, warm - 1 + segmentDataLength(layout)));
    }
  }

  async close(): Promise<void> {
    await this.gen.release();
    await this.cond.release();
  }
}
