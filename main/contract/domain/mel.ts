// The mel scale, analysis settings and filterbank, one definition for both sides: the engine
// analyses audio with them (main/engine/dsp/mel.ts), the renderer turns a mel sheet back into
// sound and labels its bands in Hz with them. Plain math, no Node: the renderer bundles it.

export interface MelSettings {
  sampleRate: number;
  /** FFT size; the Hann window is centred in it, zero-padded to this length. */
  nFft: number;
  /** Hann window length in samples. */
  winLength: number;
  hop: number;
  nMels: number;
  fMin: number;
  fMax: number;
  /** Magnitudes below this were clamped before the log (ln 1e-5 is silence). */
  floor: number;
}

/** The settings of common WaveNet vocoders at 16 kHz. */
export const DEFAULT_MEL: Readonly<MelSettings> = Object.freeze({
  sampleRate: 16000, nFft: 1024, winLength: 800, hop: 200, nMels: 80, fMin: 0, fMax: 8000, floor: 1e-5,
});

/** The settings for a model's rate and hop: what datasets, renders and the editor analyse audio with. */
export function melSettingsFor(sampleRate: number, hop: number): MelSettings {
  return { ...DEFAULT_MEL, sampleRate, hop, fMax: Math.min(DEFAULT_MEL.fMax, sampleRate / 2) };
}

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;

/** Slaney's mel scale (librosa's default, htk=False): linear below 1 kHz, logarithmic above. */
export function hzToMel(hz: number): number {
  return hz < MIN_LOG_HZ ? hz / F_SP : MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP;
}

export function melToHz(mel: number): number {
  return mel < MIN_LOG_MEL ? F_SP * mel : MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL));
}

/** The nMels + 2 filter edges in Hz: filter m rises from edge m, peaks at m + 1, ends at m + 2. */
export function melEdges(cfg: MelSettings): number[] {
  const melMin = hzToMel(cfg.fMin);
  const melMax = hzToMel(cfg.fMax);
  return Array.from({ length: cfg.nMels + 2 }, (_, i) => melToHz(melMin + ((melMax - melMin) * i) / (cfg.nMels + 1)));
}

/** Each band's centre frequency in Hz (where its triangle peaks). */
export function bandCentres(cfg: MelSettings): number[] {
  return melEdges(cfg).slice(1, -1);
}

/**
 * Where a frequency lies in band units (0 = band 0's centre, nMels − 1 the top band's), linear
 * on the mel scale between centres: what the frequency axis is drawn with.
 */
export function hzToBand(hz: number, cfg: MelSettings): number {
  const melMin = hzToMel(cfg.fMin);
  const step = (hzToMel(cfg.fMax) - melMin) / (cfg.nMels + 1);
  return (hzToMel(Math.max(0, hz)) - melMin) / step - 1;
}

export function bandToHz(band: number, cfg: MelSettings): number {
  const melMin = hzToMel(cfg.fMin);
  const step = (hzToMel(cfg.fMax) - melMin) / (cfg.nMels + 1);
  return melToHz(melMin + (band + 1) * step);
}

/**
 * Triangular mel filters with Slaney area normalisation (each filter scaled by 2 / bandwidth), as
 * librosa.filters.mel(norm='slaney'): row m has nFft/2 + 1 weights.
 */
export function melFilterbank(cfg: MelSettings): Float32Array[] {
  const nBins = cfg.nFft / 2 + 1;
  const edges = melEdges(cfg);
  const filters: Float32Array[] = [];
  for (let m = 0; m < cfg.nMels; m++) {
    const lo = edges[m]!;
    const mid = edges[m + 1]!;
    const hi = edges[m + 2]!;
    const row = new Float32Array(nBins);
    const norm = 2 / (hi - lo);
    for (let k = 0; k < nBins; k++) {
      const f = (k * cfg.sampleRate) / cfg.nFft;
      const w = Math.max(0, Math.min((f - lo) / (mid - lo), (hi - f) / (hi - mid)));
      row[k] = w * norm;
    }
    filters.push(row);
  }
  return filters;
}

/** A filterbank with each row's non-zero span [start, end), for sums that skip the zeros. */
export interface SparseFilterbank {
  readonly rows: readonly Float32Array[];
  readonly spans: readonly (readonly [number, number])[];
  readonly nBins: number;
}

export function sparseFilterbank(cfg: MelSettings): SparseFilterbank {
  const rows = melFilterbank(cfg);
  const spans = rows.map((row) => {
    let a = 0;
    while (a < row.length && row[a] === 0) a++;
    let b = row.length;
    while (b > a && row[b - 1] === 0) b--;
    return [a, b] as const;
  });
  return { rows, spans, nBins: cfg.nFft / 2 + 1 };
}

/** Periodic Hann window of winLength, centred in nFft samples (zeros either side). */
export function paddedHann(cfg: MelSettings): Float64Array {
  const w = new Float64Array(cfg.nFft);
  const offset = Math.floor((cfg.nFft - cfg.winLength) / 2);
  for (let n = 0; n < cfg.winLength; n++) w[offset + n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / cfg.winLength);
  return w;
}
