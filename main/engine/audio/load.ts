import { resample } from '../dsp/resample';
import { decodeAudioFile } from './decode';

/** The mean of the channels: a stereo pair becomes one mono signal without changing its level. */
export function mixToMono(channels: Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0]!;
  const out = new Float32Array(channels[0]!.length);
  for (const channel of channels) for (let i = 0; i < out.length; i++) out[i]! += channel[i]!;
  const scale = 1 / channels.length;
  for (let i = 0; i < out.length; i++) out[i]! *= scale;
  return out;
}

/** Any supported audio file as mono at the given rate: what training and analysis consume. */
export async function loadMono(file: string, sampleRate: number): Promise<Float32Array> {
  return (await loadMonoWithWarnings(file, sampleRate)).samples;
}

/** loadMono, and what was wrong with the file though it was usable (see DecodedAudio.warnings). */
export async function loadMonoWithWarnings(file: string, sampleRate: number): Promise<{ samples: Float32Array; warnings: string[] }> {
  const audio = await decodeAudioFile(file);
  return { samples: await resample(mixToMono(audio.channels), audio.sampleRate, sampleRate), warnings: audio.warnings ?? [] };
}
