import * as path from 'node:path';
import type { z } from 'zod';
import type { JobResultOf } from '../../contract/domain/jobs';
import { RenderSettingsSchema, type AudioFormat, type ConditioningSource, type RenderSidecar } from '../../contract/domain/render';
import { formatForPath, writeAudioFile } from '../audio/encode';
import { StudioError } from '../errors';
import { resolveGlobalClass } from '../model/global-class';
import { sidecarPathFor, writeRenderSidecarFile } from '../project/render-sidecar';
import { openModel } from '../run/model';
import type { Device } from '../runtime/session';
import { assertWritableFolder } from '../util/atomic';
import { autoStreams } from './chunks';
import { tellWhyNotNative } from './incremental';
import { renderAudio } from './render';
import { SegmentCache } from './segment-cache';
import { SegmentRenderer, type SegmentCounts, type SegmentProgress, type SegmentTakePlan } from './segment-render';
import { conditioningFrames } from './sources';

export interface RenderTake {
  seed: number;
  temperature: number;
}

/** Where a render stands: samples over all its outputs, speed, and the time left. */
export interface RenderFileProgress {
  phase: 'loading model' | 'conditioning' | 'generating' | 'writing';
  /** Samples generated so far / to generate, over every output of the request. */
  done: number;
  total: number;
  samplesPerSec: number;
  /** Seconds of audio generated per wall second (above 1: faster than real time). */
  realTimeFactor: number;
  /** Seconds of audio generated so far. */
  audioSeconds: number;
  etaSeconds: number | null;
  /** The output being rendered (1-based) and how many there are. */
  output: number;
  outputs: number;
  /**
   * A segmented render (a document source): segment counts over every take, and the segments of
   * the batch generating now (indices of the current take). With it, done / total count the
   * samples of the segments to generate, not those taken from the cache.
   */
  segments?: SegmentProgress;
}

export interface RenderFileRequest {
  /** A run folder (its latest checkpoint) or a model.onnx. */
  model: string;
  source: ConditioningSource;
  /** The .wav or .flac to write; with variations, -<n> goes before the extension of each. */
  out: string;
  /** The encoding; by default 16-bit in the format the extension names. */
  format?: AudioFormat;
  /** Missing fields take the domain's defaults (seed 1, temperature 1, streams from the core count, cpu). */
  settings?: z.input<typeof RenderSettingsSchema>;
  /** More takes in the same request, each with its own seed and temperature (after the settings' own). */
  variations?: RenderTake[];
  /** The project the render belongs to: the sidecar names the model relative to it when inside it. */
  project?: string;
  /**
   * Seconds: a segmented render generates the missing segments from the one holding this time
   * on first, then those before it (default 0).
   */
  playhead?: number;
  /** A segmented render's cache bound in bytes (default SEGMENT_CACHE_MAX_BYTES). */
  cacheMaxBytes?: number;
  signal?: AbortSignal;
  onProgress?: (p: RenderFileProgress) => void;
  /** A device that could not start and the one used instead. */
  onFallback?: (message: string) => void;
}

export interface RenderedOutput {
  path: string;
  sidecar: string;
  /** Seconds of audio. */
  seconds: number;
  seed: number;
  temperature: number;
  /** Wall seconds its generation took (model sessions included, file writing not). */
  renderSeconds: number;
}

export type RenderFileResult = JobResultOf<'render'> & {
  outputs: RenderedOutput[];
  sampleRate: number;
  streams: number;
  /** A segmented render's segment length (seconds). */
  segmentSeconds?: number;
};

/** The file of take n (1-based) of `count`: the name itself for a single take, name-<n>.ext otherwise. */
export function takePath(out: string, n: number, count: number): string {
  if (count <= 1) return out;
  const ext = path.extname(out);
  return `${out.slice(0, out.length - ext.length)}-${n}${ext}`;
}

function checkFormat(out: string, format: AudioFormat): void {
  const ext = path.extname(out).toLowerCase();
  if ((format.startsWith('wav') && ext !== '.wav') || (format.startsWith('flac') && ext !== '.flac')) {
    throw new StudioError('BAD_OPTION', `Format ${format} needs a .${format.startsWith('wav') ? 'wav' : 'flac'} file name, got "${path.basename(out)}".`);
  }
}

/** The model file as the sidecar names it: relative to the project when inside it, absolute otherwise. */
function modelName(file: string, project: string | undefined): string {
  if (!project) return file;
  const rel = path.relative(path.resolve(project), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

/**
 * Render audio from a model and a conditioning source into a WAV or FLAC file, with its sidecar
 * (<project>/renders/<id>.json for a project render, <file>.json elsewhere). The CLI's render
 * command and the render job both come here. A document of a project renders in segments through
 * the project's segment cache (renders/.cache): only segments whose key is missing are generated,
 * those after `playhead` first, and the result says how many were rendered and reused. Any other
 * source renders each take in one renderAudio call (folded parallel chunks, `streams` of them),
 * so such a take equals a direct renderAudio of the same frames and seed.
 */
export async function renderToFile(request: RenderFileRequest): Promise<RenderFileResult> {
  const parsed = RenderSettingsSchema.safeParse(request.settings ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StudioError('BAD_OPTION', `Bad render setting${issue?.path.length ? ` ${issue.path.join('.')}` : ''}: ${issue?.message ?? 'wrong shape'}.`);
  }
  const settings = parsed.data;
  const out = path.resolve(request.out);
  const format = request.format ?? formatForPath(out);
  checkFormat(out, format);
  const takes: RenderTake[] = [{ seed: settings.seed, temperature: settings.temperature }, ...(request.variations ?? [])];
  const files = takes.map((_, i) => takePath(out, i + 1, takes.length));
  // Before any work: a project render's name must make a valid render id, and its folder writable.
  const sidecars = files.map((f) => sidecarPathFor(f, request.project));
  await assertWritableFolder(path.dirname(out));
  const cancelled = (): void => {
    if (request.signal?.aborted) throw new StudioError('CANCELLED', 'Render cancelled.');
  };

  const report = (p: Omit<RenderFileProgress, 'outputs'>): void => request.onProgress?.({ ...p, outputs: takes.length });
  report({ phase: 'loading model', done: 0, total: 0, samplesPerSec: 0, realTimeFactor: 0, audioSeconds: 0, etaSeconds: null, output: 1 });
  const model = await openModel(path.resolve(request.model));
  const { cfg } = model;
  const globalId = resolveGlobalClass(cfg, settings.globalClass === null ? undefined : String(settings.globalClass));
  cancelled();
  report({ phase: 'conditioning', done: 0, total: 0, samplesPerSec: 0, realTimeFactor: 0, audioSeconds: 0, etaSeconds: null, output: 1 });
  const source = await conditioningFrames(cfg, request.source);
  cancelled();
  const full = source.frames ? source.frames.frames * cfg.hop : source.samples;
  const samples = settings.maxSeconds === null ? full : Math.min(full, Math.round(settings.maxSeconds * cfg.sampleRate));
  const streams = settings.streams > 0 ? settings.streams : autoStreams(cfg, samples);
  // Render workers report no fallback, so a render says here what it runs without.
  tellWhyNotNative(cfg, settings.device, request.onFallback);
  const total = samples * takes.length;

  const outputs: RenderedOutput[] = [];
  let device: Device = 'cpu';
  let generated = 0;
  let renderSeconds = 0;
  const started = Date.now();

  // A document of a project: segments through the project's cache.
  const cache = request.source.type === 'document' ? SegmentCache.forProject(request.source.project, request.cacheMaxBytes) : null;
  const segmenter = cache
    ? new SegmentRenderer(cfg, model.flat, source.frames, { cache, streams, device: settings.device, globalId, signal: request.signal, onFallback: request.onFallback })
    : null;
  let plans: SegmentTakePlan[] = [];
  const counts: SegmentCounts = { rendered: 0, reused: 0, total: 0 };
  let work = total;
  if (segmenter) {
    plans = await Promise.all(takes.map((t) => segmenter.plan(t, samples, request.playhead ?? 0)));
    counts.total = plans.reduce((n, p) => n + p.keys.length, 0);
    counts.reused = plans.reduce((n, p) => n + p.keys.length - p.missing.length, 0);
    work = plans.reduce((n, p) => n + segmenter.work(p), 0);
  }
  try {
    for (const [i, take] of takes.entries()) {
      const takeStarted = Date.now();
      const progress = (done: number, phase: RenderFileProgress['phase'] = 'generating', segments?: SegmentProgress): void => {
        const elapsed = Math.max((Date.now() - started) / 1000, 1e-3);
        const all = generated + done;
        const rate = all / elapsed;
        report({
          phase, done: all, total: work, samplesPerSec: rate, realTimeFactor: rate / cfg.sampleRate, audioSeconds: all / cfg.sampleRate,
          // No ETA from the first few samples: their rate includes the start-up (hours, for a moment).
          etaSeconds: all >= work / 100 ? (work - all) / rate : null, output: i + 1, ...(segments ? { segments } : {}),
        });
      };
      let audio: Float32Array;
      let takeDone: number;
      let takeRenderSeconds: number;
      let takeSegments: SegmentCounts | null = null;
      if (segmenter) {
        const rendered = counts.rendered;
        const r = await segmenter.render(plans[i]!, (done, _work, seg) => {
          counts.rendered = rendered + seg.rendered;
          progress(done, 'generating', { ...counts, rendering: seg.rendering });
        });
        counts.rendered = rendered + r.rendered;
        // A device that could not start re-plans the take: its own counts are the result's.
        counts.reused += r.reused - (plans[i]!.keys.length - plans[i]!.missing.length);
        takeSegments = { rendered: r.rendered, reused: r.reused, total: r.total };
        device = r.device;
        takeRenderSeconds = r.seconds;
        audio = r.audio;
        takeDone = r.generated;
        progress(takeDone, 'writing', { ...counts, rendering: [] });
      } else {
        const result = await renderAudio(cfg, model.flat, source.frames, {
          samples, temperature: take.temperature, seed: take.seed, streams, device: settings.device, globalId,
          signal: request.signal, onFallback: request.onFallback, onProgress: (done) => progress(done),
        });
        device = result.device;
        takeRenderSeconds = result.seconds;
        audio = result.audio;
        takeDone = audio.length;
        progress(takeDone, 'writing');
      }
      renderSeconds += takeRenderSeconds;
      const seconds = audio.length / cfg.sampleRate;
      await writeAudioFile(files[i]!, audio, cfg.sampleRate, format);
      const sidecar: RenderSidecar = {
        id: path.basename(files[i]!, path.extname(files[i]!)),
        createdAt: new Date().toISOString(),
        model: modelName(model.file, request.project),
        document: source.document,
        conditioning: source.description,
        seed: take.seed,
        temperature: take.temperature,
        streams,
        globalClass: globalId === null ? null : (cfg.classNames?.[globalId] ?? globalId),
        sampleRate: cfg.sampleRate,
        seconds,
        format,
        file: path.basename(files[i]!),
        renderSeconds: (Date.now() - takeStarted) / 1000,
        ...(takeSegments && segmenter ? { segments: { seconds: segmenter.layout.length / cfg.sampleRate, ...takeSegments } } : {}),
      };
      await writeRenderSidecarFile(sidecars[i]!, sidecar);
      generated += takeDone;
      outputs.push({ path: files[i]!, sidecar: sidecars[i]!, seconds, seed: take.seed, temperature: take.temperature, renderSeconds: takeRenderSeconds });
    }
  } finally {
    await segmenter?.close();
  }
  // Bounded: the least recently used segments go (finished renders are elsewhere).
  await cache?.prune();
  const audioSeconds = generated / cfg.sampleRate;
  const rate = generated / Math.max(renderSeconds, 1e-9);
  return {
    outputs, seconds: (Date.now() - started) / 1000, samplesPerSec: rate, realTimeFactor: audioSeconds / Math.max(renderSeconds, 1e-9),
    device, sampleRate: cfg.sampleRate, streams,
    ...(segmenter ? { segments: { rendered: counts.rendered, reused: counts.reused, total: counts.total }, segmentSeconds: segmenter.layout.length / cfg.sampleRate } : {}),
  };
}
