import * as path from 'node:path';
import type { z } from 'zod';
import { RenderSettingsSchema, type SegmentPlanEntry } from '../../contract/domain/render';
import { StudioError } from '../errors';
import type { WaveNetConfig } from '../model/config';
import { resolveGlobalClass } from '../model/global-class';
import { openModel } from '../run/model';
import type { Device } from '../runtime/session';
import type { FramesInput } from './conditioning';
import { generationDevice, segmentEngine } from './incremental';
import type { StepEngine } from './stream-state';
import { SegmentCache } from './segment-cache';
import {
  assembleSegments, modelHash, segmentContext, segmentCount, segmentDataLength, SegmentGenerator, segmentKey, segmentLayout,
  type SegmentLayout,
} from './segments';
import { renderWorkers, runWorkers } from './worker-pool';
import { conditioningFrames } from './sources';

export type { SegmentPlanEntry };

/** Segment counts of a render: generated now, taken from the cache, in all. */
export interface SegmentCounts {
  rendered: number;
  reused: number;
  total: number;
}

/** Where a segmented take stands, for a timeline: counts and the segments being generated now. */
export interface SegmentProgress extends SegmentCounts {
  /** Indices generated in the batch running now (empty between batches). */
  rendering: number[];
}

export interface SegmentTakePlan {
  seed: number;
  temperature: number;
  samples: number;
  /** Seconds: the missing segments from the one holding it on come first. */
  playhead: number;
  device: Device;
  keys: string[];
  /** Each segment's classes when cached. */
  data: (Uint8Array | null)[];
  /** Segments to generate, in order: from the playhead's segment on, then those before it. */
  missing: number[];
}

export interface SegmentRendererSettings {
  cache: SegmentCache | null;
  streams: number;
  device: Device | 'auto';
  threads?: number;
  /** Worker threads on the CPU (default: one per core); see renderWorkers. */
  workers?: number;
  globalId: number | null;
  signal?: AbortSignal;
  onFallback?: (message: string) => void;
}

export interface SegmentTakeResult extends SegmentCounts {
  audio: Float32Array;
  device: Device;
  /** Output samples of the segments generated now. */
  generated: number;
  /** Wall seconds the take took (cache reads and generation). */
  seconds: number;
}

/** The segment holding a time (seconds), within [0, count). */
function segmentAt(layout: SegmentLayout, count: number, seconds: number): number {
  return Math.min(count - 1, Math.max(0, Math.floor((seconds * layout.sampleRate) / layout.length)));
}

/**
 * Renders takes of one model and one set of frames through the segment cache: each take's
 * segments are looked up by key, the missing ones generated (those after the playhead first) and
 * stored as each batch finishes, and the audio assembled from all of them. The generator opens
 * only when a segment is missing.
 */
export class SegmentRenderer {
  readonly layout: SegmentLayout;
  private readonly model: string;
  private device: Device;
  /** What steps the segments (segmentEngine): follows the device asked for, as the generator's does, so a fallback keeps it. */
  private readonly engine: StepEngine;
  private gen: SegmentGenerator | null = null;

  constructor(
    private readonly cfg: WaveNetConfig,
    private readonly flat: Float32Array,
    private readonly frames: FramesInput | null,
    private readonly s: SegmentRendererSettings,
  ) {
    this.layout = segmentLayout(cfg);
    this.model = modelHash(cfg, flat);
    this.device = generationDevice(s.device);
    this.engine = segmentEngine(cfg, s.device);
  }

  key(index: number, seed: number, temperature: number, device: Device = this.device): string {
    return segmentKey({ model: this.model, layout: this.layout, index, frames: this.frames, seed, temperature, globalId: this.s.globalId, device, engine: this.engine });
  }

  async plan(take: { seed: number; temperature: number }, samples: number, playhead = 0): Promise<SegmentTakePlan> {
    if (samples <= 0) throw new StudioError('BAD_OPTION', 'Nothing to render: give a length (--seconds) or non-empty conditioning.');
    if (!(take.temperature >= 0)) throw new StudioError('BAD_OPTION', 'Temperature must be 0 or more.');
    const count = segmentCount(this.layout, samples);
    const keys = Array.from({ length: count }, (_, i) => this.key(i, take.seed, take.temperature));
    const length = segmentDataLength(this.layout);
    const data = await Promise.all(keys.map((k) => this.s.cache?.get(k, length) ?? null));
    const first = segmentAt(this.layout, count, playhead);
    const missing = keys.map((_, i) => i).filter((i) => !data[i]);
    missing.sort((a, b) => (a >= first ? a - count : a) - (b >= first ? b - count : b));
    return { seed: take.seed, temperature: take.temperature, samples, playhead, device: this.device, keys, data, missing };
  }

  /** The plan with segments that reached the cache since (an earlier take, another render) no longer missing. */
  private async refresh(plan: SegmentTakePlan): Promise<SegmentTakePlan> {
    if (!this.s.cache || plan.missing.length === 0) return plan;
    const length = segmentDataLength(this.layout);
    const data = plan.data.slice();
    const found = await Promise.all(plan.missing.map((i) => this.s.cache!.get(plan.keys[i]!, length)));
    plan.missing.forEach((i, n) => (data[i] = found[n] ?? null));
    return { ...plan, data, missing: plan.missing.filter((i) => !data[i]) };
  }

  /** Output samples segment i gives this take (the last one is cut at the end). */
  private size(i: number, samples: number): number {
    return Math.min(samples, (i + 1) * this.layout.length) - i * this.layout.length;
  }

  /** Output samples the plan still has to generate. */
  work(plan: SegmentTakePlan): number {
    return plan.missing.reduce((s, i) => s + this.size(i, plan.samples), 0);
  }

  async render(plan: SegmentTakePlan, onProgress?: (done: number, total: number, segments: SegmentProgress) => void): Promise<SegmentTakeResult> {
    const started = performance.now();
    const total = plan.keys.length;
    plan = await this.refresh(plan);
    const workers = Math.min(plan.missing.length, renderWorkers(this.s.device, this.s.workers));
    const wanted = Math.min(this.s.streams, plan.missing.length);
    if (workers <= 1 && wanted > 0 && (!this.gen || this.gen.capacity < wanted)) {
      await this.gen?.close();
      this.gen = null;
      this.gen = await SegmentGenerator.open(this.cfg, this.flat, this.frames, {
        streams: wanted, device: this.s.device, threads: this.s.threads, globalId: this.s.globalId, onFallback: this.s.onFallback,
      });
      this.device = this.gen.device;
    }
    // A device that could not start: the segments are those of the device that runs.
    if (plan.device !== this.device) plan = await this.plan(plan, plan.samples, plan.playhead);
    const reused = total - plan.missing.length;
    const data = plan.data.slice();
    const work = this.work(plan);
    let rendered = 0;
    const batches: number[][] = [];
    const report = (done: number): void => onProgress?.(done, work, { rendered, reused, total, rendering: batches.flat() });
    report(0);
    const onSegment = async (index: number, classes: Uint8Array): Promise<void> => {
      data[index] = classes;
      rendered++;
      await this.s.cache?.put(plan.keys[index]!, classes);
    };
    // Every segment takes the same steps: steps done → output samples done.
    const toSamples = (done: number, steps: number): number => Math.min(work, Math.round((done / steps) * work));
    if (workers > 1) {
      // Dealt round-robin, so every worker starts at the playhead's end of the list.
      const groups = Array.from({ length: workers }, (_, w) => plan.missing.filter((_, k) => k % workers === w));
      const perWorker = Math.max(1, Math.ceil(this.s.streams / workers));
      const steps = groups.map(() => 0);
      const stepsOf = groups.map(() => 1);
      await runWorkers(groups.map((indices) => ({
        kind: 'segments', cfg: this.cfg, flat: this.flat, frames: this.frames, indices, seed: plan.seed, temperature: plan.temperature,
        settings: { streams: Math.min(perWorker, indices.length), device: 'cpu', threads: this.s.threads, globalId: this.s.globalId },
      })), async (i, m) => {
        if (m.batch) batches[i] = m.batch;
        if (m.steps !== undefined) {
          steps[i] = m.steps;
          stepsOf[i] = m.of!;
          report(groups.reduce((sum, g, j) => sum + toSamples(steps[j]!, stepsOf[j]!) * (g.length / plan.missing.length), 0));
        }
        if (m.segment !== undefined) {
          await onSegment(m.segment, m.classes as Uint8Array);
          batches[i] = (batches[i] ?? []).filter((k) => !data[k]);
        }
      }, this.s.signal);
      batches.length = 0;
      report(work);
    } else if (plan.missing.length > 0) {
      await this.gen!.generate(plan.missing, {
        seed: plan.seed,
        temperature: plan.temperature,
        signal: this.s.signal,
        onBatch: (indices) => {
          batches[0] = indices;
        },
        onProgress: (done, steps) => report(toSamples(done, steps)),
        onSegment: async (index, classes) => {
          await onSegment(index, classes);
          batches[0] = (batches[0] ?? []).filter((k) => !data[k]);
        },
      });
      batches.length = 0;
      report(work);
    }
    const audio = assembleSegments(this.layout, plan.samples, data as Uint8Array[]);
    return { audio, rendered, reused, total, generated: work, device: this.device, seconds: (performance.now() - started) / 1000 };
  }

  async close(): Promise<void> {
    await this.gen?.close();
    this.gen = null;
  }
}

/**
 * The segments a document's render would have with these settings, for a timeline strip: each
 * segment's span of the output (seconds), the span of conditioning it depends on (an edit there
 * makes it stale), its cache key, and whether the cache holds it. Opens the model file but starts
 * no session.
 */
export async function segmentPlan(
  project: string,
  modelPath: string,
  documentId: string,
  settings: z.input<typeof RenderSettingsSchema> = {},
): Promise<SegmentPlanEntry[]> {
  const parsed = RenderSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StudioError('BAD_OPTION', `Bad render setting${issue?.path.length ? ` ${issue.path.join('.')}` : ''}: ${issue?.message ?? 'wrong shape'}.`);
  }
  const s = parsed.data;
  const model = await openModel(path.resolve(modelPath));
  const { cfg } = model;
  const globalId = resolveGlobalClass(cfg, s.globalClass === null ? undefined : String(s.globalClass));
  const source = await conditioningFrames(cfg, { type: 'document', project: path.resolve(project), id: documentId });
  const frames = source.frames;
  const full = frames ? frames.frames * cfg.hop : source.samples;
  const samples = s.maxSeconds === null ? full : Math.min(full, Math.round(s.maxSeconds * cfg.sampleRate));
  const layout = segmentLayout(cfg);
  const cache = SegmentCache.forProject(project);
  const hash = modelHash(cfg, model.flat);
  const device = generationDevice(s.device);
  const length = segmentDataLength(layout);
  const sr = cfg.sampleRate;
  const engine = segmentEngine(cfg, s.device);
  return Promise.all(Array.from({ length: samples > 0 ? segmentCount(layout, samples) : 0 }, async (_, index) => {
    const key = segmentKey({ model: hash, layout, index, frames, seed: s.seed, temperature: s.temperature, globalId, device, engine });
    const context = frames ? segmentContext(layout, index, frames.frames) : { start: 0, end: samples };
    return {
      index,
      start: (index * layout.length) / sr,
      end: Math.min(samples, (index + 1) * layout.length) / sr,
      contextStart: context.start / sr,
      contextEnd: context.end / sr,
      hash: key,
      cached: await cache.has(key, length),
    };
  }));
}
