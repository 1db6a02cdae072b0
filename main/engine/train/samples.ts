import { promises as fs } from 'node:fs';
import { writeAudioFile } from '../audio/encode';
import type { Dataset, DatasetItem } from '../dataset/types';
import { mulawDecode } from '../dsp/mulaw';
import { autoStreams } from '../generate/chunks';
import { renderAudio } from '../generate/render';
import type { WaveNetConfig } from '../model/config';
import { samplePath, sourceSamplePath } from '../run/index';
import type { Device } from '../runtime/session';

/** The clip samples are rendered from: the first validation file (a training file when none is held out). */
export function sampleClip(ds: Dataset, seconds: number): { item: DatasetItem; samples: number; frames: number } | null {
  const item = ds.items.find((i) => i.split === 'val') ?? ds.items[0];
  if (!item) return null;
  const frames = Math.max(1, Math.min(item.features?.frames ?? Infinity, Math.ceil((seconds * ds.sampleRate) / ds.hop)));
  const samples = Math.min(item.samples.length, frames * ds.hop);
  return { item, samples, frames };
}

/**
 * Where training samples render, whatever the run trains on (see generationDevice: a GPU is slower
 * at generation, and the CPU's cores are free while it trains).
 */
export const SAMPLE_DEVICE: Device = 'cpu';

/**
 * A free-running clip of what the model makes now from a fixed clip's conditioning, as
 * samples/<step>.wav; the original clip is written once as samples/source.wav to listen beside.
 * Folded parallel chunks on every core keep the pause in training short.
 */
export async function renderTrainingSample(
  runDir: string, cfg: WaveNetConfig, theta: Float32Array, ds: Dataset,
  o: { step: number; seconds: number; signal?: AbortSignal },
): Promise<{ path: string; seconds: number } | null> {
  const clip = sampleClip(ds, o.seconds);
  if (!clip) return null;
  const source = sourceSamplePath(runDir);
  if (!(await fs.access(source).then(() => true, () => false))) {
    await writeAudioFile(source, mulawDecode(clip.item.samples.subarray(0, clip.samples)), cfg.sampleRate, 'wav16');
  }
  const f = clip.item.features;
  const frames = f ? { frames: clip.frames, bins: f.bins, data: f.data.subarray(0, clip.frames * f.bins) } : null;
  const result = await renderAudio(cfg, theta, frames, {
    samples: clip.samples, temperature: 1, seed: o.step, streams: autoStreams(cfg, clip.samples), device: SAMPLE_DEVICE,
    globalId: cfg.globalClasses > 0 ? clip.item.classId : null, signal: o.signal,
  });
  const file = samplePath(runDir, o.step);
  await writeAudioFile(file, result.audio, cfg.sampleRate, 'wav16');
  return { path: file, seconds: result.audio.length / cfg.sampleRate };
}
