import * as path from 'node:path';
import { loadMono } from '../audio/load';
import { DEFAULT_MEL, melSettingsFor } from '../../contract/domain/mel';
import { StudioError } from '../errors';
import { writeFileAtomic } from '../util/atomic';
import { logMel } from './mel';
import { featuresToNpy } from './npy';

export interface AnalyzeOptions {
  sampleRate?: number;
  hop?: number;
  /** figures: a short line of what is known so far (e.g. the audio's length), for a status bar. */
  onProgress?: (phase: string, done: number, total: number, figures?: string) => void;
  signal?: AbortSignal;
}

export interface AnalyzeResult {
  outputPath: string;
  frames: number;
  bins: number;
  seconds: number;
}

/** Audio file → its log-mel as a float32 [80, frames] .npy (the CLI's analyze and the UI's job). */
export async function analyzeFile(input: string, output: string, opts: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  const rate = opts.sampleRate ?? DEFAULT_MEL.sampleRate;
  const hop = opts.hop ?? DEFAULT_MEL.hop;
  const cancelled = (): void => {
    if (opts.signal?.aborted) throw new StudioError('CANCELLED', 'Analysis cancelled.');
  };
  opts.onProgress?.('decoding', 0, 3);
  const samples = await loadMono(path.resolve(input), rate);
  cancelled();
  opts.onProgress?.('computing log-mel', 1, 3, `${(samples.length / rate).toFixed(1)} s of audio`);
  const mel = logMel(samples, melSettingsFor(rate, hop));
  cancelled();
  opts.onProgress?.('writing', 2, 3, `${mel.frames} frames`);
  const outputPath = path.resolve(output);
  await writeFileAtomic(outputPath, featuresToNpy(mel));
  opts.onProgress?.('done', 3, 3);
  return { outputPath, frames: mel.frames, bins: mel.bins, seconds: samples.length / rate };
}
