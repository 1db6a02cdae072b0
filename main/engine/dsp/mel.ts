import FFT from 'fft.js';
import { DEFAULT_MEL, paddedHann, sparseFilterbank, type MelSettings } from '../../contract/domain/mel';
import { StudioError } from '../errors';

/** Frame features: `frames` rows of `bins` values, frame-major (row f = data[f·bins … (f+1)·bins)). */
export interface FrameFeatures {
  frames: number;
  bins: number;
  data: Float32Array;
}

/**
 * Log-mel spectrogram: frames centred on t = f·hop (the signal reflect-padded by nFft/2 each
 * side, as torch.stft and librosa with center=True), periodic Hann window, magnitude (not power)
 * spectrum, Slaney mel filters, natural log of max(floor, ·). 1 + floor(N / hop) frames.
 */
export function logMel(samples: Float32Array, cfg: MelSettings = DEFAULT_MEL): FrameFeatures {
  checkConfig(cfg);
  const { nFft, hop, nMels } = cfg;
  const frames = 1 + Math.floor(samples.length / hop);
  const pad = nFft / 2;
  const padded = reflectPad(samples, pad);
  const window = paddedHann(cfg);
  // Only the bins a filter touches are summed: the filters are sparse.
  const { rows: filters, spans } = sparseFilterbank(cfg);
  const fft = new FFT(nFft);
  const frame = new Array<number>(nFft);
  const spectrum = fft.createComplexArray() as number[];
  const magnitude = new Float64Array(nFft / 2 + 1);
  const data = new Float32Array(frames * nMels);
  for (let f = 0; f < frames; f++) {
    const start = f * hop;
    for (let n = 0; n < nFft; n++) frame[n] = padded[start + n]! * window[n]!;
    fft.realTransform(spectrum, frame);
    for (let k = 0; k <= nFft / 2; k++) magnitude[k] = Math.hypot(spectrum[2 * k]!, spectrum[2 * k + 1]!);
    for (let m = 0; m < nMels; m++) {
      const row = filters[m]!;
      const [a, b] = spans[m]!;
      let sum = 0;
      for (let k = a; k < b; k++) sum += row[k]! * magnitude[k]!;
      data[f * nMels + m] = Math.log(Math.max(cfg.floor, sum));
    }
  }
  return { frames, bins: nMels, data };
}

/**
 * Mean absolute difference of two log-mel sheets over the frames both have (those `only` keeps):
 * how far apart two renders of the same conditioning sound, used to measure folded renders' seams.
 */
export function melDistance(a: FrameFeatures, b: FrameFeatures, only: (frame: number) => boolean = () => true): number {
  let sum = 0;
  let n = 0;
  for (let f = 0; f < Math.min(a.frames, b.frames); f++) {
    if (!only(f)) continue;
    for (let k = 0; k < a.bins; k++) sum += Math.abs(a.data[f * a.bins + k]! - b.data[f * b.bins + k]!);
    n += a.bins;
  }
  return sum / n;
}

/** x with `pad` samples mirrored (edge not repeated) on each side; short signals mirror repeatedly. */
export function reflectPad(x: Float32Array, pad: number): Float32Array {
  const n = x.length;
  const out = new Float32Array(n + 2 * pad);
  if (n === 0) return out;
  for (let i = 0; i < out.length; i++) out[i] = x[reflectIndex(i - pad, n)]!;
  return out;
}

function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let j = ((i % period) + period) % period;
  if (j >= n) j = period - j;
  return j;
}

function checkConfig(cfg: MelSettings): void {
  const ok = Number.isInteger(cfg.nFft) && cfg.nFft >= 2 && (cfg.nFft & (cfg.nFft - 1)) === 0
    && Number.isInteger(cfg.winLength) && cfg.winLength > 0 && cfg.winLength <= cfg.nFft
    && Number.isInteger(cfg.hop) && cfg.hop > 0 && cfg.nMels > 0 && cfg.sampleRate > 0
    && cfg.fMin >= 0 && cfg.fMax > cfg.fMin && cfg.fMax <= cfg.sampleRate / 2 && cfg.floor > 0;
  if (!ok) {
    throw new StudioError('BAD_OPTION', `Mel settings are inconsistent (n_fft must be a power of two ≥ window, 0 ≤ fmin < fmax ≤ rate/2): ${JSON.stringify(cfg)}.`);
  }
}
