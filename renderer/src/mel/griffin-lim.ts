// A quick listen to a mel sheet without a model: the mel bands back to a linear magnitude spectrum
// (non-negative least squares against the engine's own filterbank, by multiplicative updates from
// a transpose start), then Griffin-Lim phase recovery (the fast variant with momentum) on the
// engine's STFT framing — periodic Hann of winLength centred in nFft, frames centred on f·hop with
// the signal reflect-padded by nFft/2, magnitude spectrum — so that analysing the result gives
// back (nearly) the sheet it came from. Pure TypeScript and fft.js: it runs in a Web Worker, on
// the main thread, or in Node's tests alike.
import FFT from 'fft.js';
import { paddedHann, sparseFilterbank, type MelSettings, type SparseFilterbank } from '../../../main/contract/domain/mel';

/** Frame-major natural-log mel values, as a MelSheet or the editor's model holds them. */
export interface LogMelGrid {
  readonly frames: number;
  readonly bins: number;
  readonly data: ArrayLike<number>;
}

export interface GriffinLimOptions {
  /** Phase-recovery iterations (default 32). */
  iterations?: number;
  /** Fast Griffin-Lim's momentum (default 0.99; 0 is the classic algorithm). */
  momentum?: number;
  /** Multiplicative-update iterations of the mel → magnitude inversion (default 30). */
  nnlsIterations?: number;
  /** Seed of the random starting phases (default 1): the same sheet always sounds the same. */
  seed?: number;
}

/** Linear magnitudes, frame-major: frames × nBins (nBins = nFft/2 + 1). */
export interface Magnitudes {
  readonly frames: number;
  readonly nBins: number;
  readonly data: Float32Array;
}

/**
 * The linear magnitude spectrum each mel frame most likely came from: a non-negative s with
 * M·s ≈ exp(mel) (M the mel filterbank), by multiplicative updates for the Kullback–Leibler
 * divergence (Lee & Seung) — they fit each band relative to its own level, so quiet bands are
 * matched as well as loud ones in the log domain the sheet is edited in — starting from the
 * transpose M^T·exp(mel), normalised so that a flat spectrum maps to itself. Values at the log
 * floor count as silence.
 */
export function melToMagnitudes(sheet: LogMelGrid, cfg: MelSettings, iterations = 30, bank: SparseFilterbank = sparseFilterbank(cfg)): Magnitudes {
  const { frames, bins } = sheet;
  if (bins !== cfg.nMels) throw new Error(`the sheet has ${bins} bands, the settings ${cfg.nMels}`);
  const { rows, spans, nBins } = bank;
  const rowSum = rows.map((row, m) => {
    let sum = 0;
    for (let k = spans[m]![0]; k < spans[m]![1]; k++) sum += row[k]!;
    return sum;
  });
  // colSum[k] = Σ_m M[m,k]·r_m (r_m = Σ_k M[m,k]): with y = M·(c·1), M^T·y = c·colSum. And
  // colOnes[k] = Σ_m M[m,k], the KL update's denominator.
  const colSum = new Float64Array(nBins);
  const colOnes = new Float64Array(nBins);
  for (let m = 0; m < bins; m++) {
    for (let k = spans[m]![0]; k < spans[m]![1]; k++) {
      colSum[k] += rows[m]![k]! * rowSum[m]!;
      colOnes[k] += rows[m]![k]!;
    }
  }

  const silent = Math.log(cfg.floor) + 1e-6;
  const out = new Float32Array(frames * nBins);
  const y = new Float64Array(bins);
  const s = new Float64Array(nBins);
  const ratio = new Float64Array(bins);
  const num = new Float64Array(nBins);
  for (let f = 0; f < frames; f++) {
    let any = false;
    for (let m = 0; m < bins; m++) {
      const v = Number(sheet.data[f * bins + m]);
      y[m] = v > silent ? Math.exp(v) : 0;
      if (y[m]! > 0) any = true;
    }
    if (!any) continue;
    s.fill(0);
    for (let m = 0; m < bins; m++) {
      const ym = y[m]!;
      if (ym === 0) continue;
      const row = rows[m]!;
      for (let k = spans[m]![0]; k < spans[m]![1]; k++) s[k] += row[k]! * ym;
    }
    for (let k = 0; k < nBins; k++) s[k] = colSum[k]! > 0 ? s[k]! / colSum[k]! : 0;
    for (let it = 0; it < iterations; it++) {
      for (let m = 0; m < bins; m++) {
        const row = rows[m]!;
        let acc = 0;
        for (let k = spans[m]![0]; k < spans[m]![1]; k++) acc += row[k]! * s[k]!;
        ratio[m] = acc > 0 ? y[m]! / acc : 0;
      }
      num.fill(0);
      for (let m = 0; m < bins; m++) {
        const r = ratio[m]!;
        if (r === 0) continue;
        const row = rows[m]!;
        for (let k = spans[m]![0]; k < spans[m]![1]; k++) num[k] += row[k]! * r;
      }
      for (let k = 0; k < nBins; k++) if (s[k]! > 0) s[k] = (s[k]! * num[k]!) / colOnes[k]!;
    }
    out.set(s, f * nBins);
  }
  return { frames, nBins, data: out };
}

/** The STFT in the engine's framing: frames × (nFft/2 + 1) complex values, interleaved re/im. */
export class Stft {
  readonly cfg: MelSettings;
  readonly nBins: number;
  readonly window: Float64Array;
  private readonly fft: FFT;
  // Plain arrays: fft.js runs about twice as fast on them as on typed arrays.
  private readonly frame: number[];
  private readonly spectrum: number[];
  private readonly full: number[];
  private readonly time: number[];
  private padded = new Float64Array(0);
  private acc = new Float64Array(0);
  /** 1 / Σ window² at each padded sample for `normFrames` frames (0 where nothing overlaps). */
  private invNorm = new Float64Array(0);
  private normFrames = -1;

  constructor(cfg: MelSettings) {
    this.cfg = cfg;
    this.nBins = cfg.nFft / 2 + 1;
    this.window = paddedHann(cfg);
    this.fft = new FFT(cfg.nFft);
    this.frame = new Array<number>(cfg.nFft).fill(0);
    this.spectrum = this.fft.createComplexArray() as number[];
    this.full = this.fft.createComplexArray() as number[];
    this.time = this.fft.createComplexArray() as number[];
  }

  /** Frames the engine's analysis gives for n samples. */
  framesFor(n: number): number {
    return 1 + Math.floor(n / this.cfg.hop);
  }

  /** Complex spectra of `samples` into `out` (frames × nBins × 2; made when absent). */
  forward(samples: Float32Array, out?: Float32Array): Float32Array {
    const { nFft, hop } = this.cfg;
    const frames = this.framesFor(samples.length);
    const nBins = this.nBins;
    const spec = out ?? new Float32Array(frames * nBins * 2);
    const pad = nFft / 2;
    const n = samples.length;
    if (this.padded.length < n + 2 * pad) this.padded = new Float64Array(n + 2 * pad);
    const padded = this.padded;
    for (let i = 0; i < n + 2 * pad; i++) padded[i] = i >= pad && i < n + pad ? samples[i - pad]! : n === 0 ? 0 : samples[reflect(i - pad, n)]!;
    const w = this.window;
    const frame = this.frame;
    const spectrum = this.spectrum;
    for (let f = 0; f < frames; f++) {
      const start = f * hop;
      for (let i = 0; i < nFft; i++) frame[i] = padded[start + i]! * w[i]!;
      this.fft.realTransform(spectrum, frame);
      const o = f * nBins * 2;
      for (let k = 0; k < 2 * nBins; k++) spec[o + k] = spectrum[k]!;
    }
    return spec;
  }

  /**
   * The signal whose STFT is closest to `spec` (least squares): each frame inverse-transformed,
   * windowed, overlap-added and divided by the summed squared window; `length` samples (the
   * analysis padding cropped). With `magnitudes`, `spec` holds unit phasors and frame f's bin k
   * is magnitudes[f·nBins + k] times them.
   */
  inverse(spec: Float32Array, frames: number, length = (frames - 1) * this.cfg.hop, out?: Float32Array, magnitudes?: Float32Array): Float32Array {
    const { nFft, hop } = this.cfg;
    const nBins = this.nBins;
    const pad = nFft / 2;
    const total = nFft + hop * Math.max(0, frames - 1);
    const w = this.window;
    if (this.normFrames !== frames) {
      const norm = new Float64Array(total);
      for (let f = 0; f < frames; f++) for (let i = 0; i < nFft; i++) norm[f * hop + i] += w[i]! * w[i]!;
      for (let i = 0; i < total; i++) norm[i] = norm[i]! > 1e-8 ? 1 / norm[i]! : 0;
      this.invNorm = norm;
      this.normFrames = frames;
      this.acc = new Float64Array(total);
    }
    const acc = this.acc;
    acc.fill(0);
    const full = this.full;
    const time = this.time;
    for (let f = 0; f < frames; f++) {
      const o = f * nBins * 2;
      if (magnitudes) {
        const m = f * nBins;
        for (let k = 0; k < nBins; k++) {
          const s = magnitudes[m + k]!;
          full[2 * k] = spec[o + 2 * k]! * s;
          full[2 * k + 1] = spec[o + 2 * k + 1]! * s;
        }
      } else {
        for (let k = 0; k < 2 * nBins; k++) full[k] = spec[o + k]!;
      }
      // Hermitian symmetry: X[N − k] = conj X[k].
      for (let k = nBins; k < nFft; k++) {
        full[2 * k] = full[2 * (nFft - k)]!;
        full[2 * k + 1] = -full[2 * (nFft - k) + 1]!;
      }
      full[1] = 0;
      full[nFft + 1] = 0;
      this.fft.inverseTransform(time, full);
      const start = f * hop;
      for (let i = 0; i < nFft; i++) acc[start + i] += time[2 * i]! * w[i]!;
    }
    const y = out ?? new Float32Array(length);
    const inv = this.invNorm;
    for (let i = 0; i < length; i++) {
      const j = i + pad;
      y[i] = j < total ? acc[j]! * inv[j]! : 0;
    }
    return y;
  }
}

/** The index a reflect-padded signal reads at i (edge not repeated); short signals mirror repeatedly. */
function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let j = ((i % period) + period) % period;
  if (j >= n) j = period - j;
  return j;
}

/** mulberry32: a small seeded generator for the starting phases. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Griffin-Lim as steps: yields after each iteration (its number, from 1), returns the samples.
 * A worker runs it through; the main thread can await between steps so the page stays live.
 */
export function* griffinLimSteps(mag: Magnitudes, cfg: MelSettings, options: GriffinLimOptions = {}): Generator<number, Float32Array, void> {
  const iterations = Math.max(0, Math.round(options.iterations ?? 32));
  const momentum = options.momentum ?? 0.99;
  const { frames, nBins, data: S } = mag;
  const length = Math.max(0, (frames - 1) * cfg.hop);
  const stft = new Stft(cfg);
  if (frames === 0) return new Float32Array(0);
  const rand = random(options.seed ?? 1);
  // angles: unit phasors of the estimate; rebuilt and previous: this and the last projection.
  const size = frames * nBins * 2;
  const angles = new Float32Array(size);
  for (let i = 0; i < size; i += 2) {
    const phi = 2 * Math.PI * rand();
    angles[i] = Math.cos(phi);
    angles[i + 1] = Math.sin(phi);
  }
  let rebuilt = new Float32Array(size);
  let previous = new Float32Array(size);
  const signal = new Float32Array(length);
  const alpha = momentum / (1 + momentum);
  for (let it = 1; it <= iterations; it++) {
    stft.inverse(angles, frames, length, signal, S);
    stft.forward(signal, rebuilt);
    updateAngles(angles, rebuilt, previous, alpha);
    [previous, rebuilt] = [rebuilt, previous];
    yield it;
  }
  return stft.inverse(angles, frames, length, signal, S);
}

/** Fast Griffin-Lim's step: the phase of rebuilt − α·previous (kept where that is zero). */
function updateAngles(angles: Float32Array, rebuilt: Float32Array, previous: Float32Array, alpha: number): void {
  for (let i = 0; i < angles.length; i += 2) {
    const re = rebuilt[i]! - alpha * previous[i]!;
    const im = rebuilt[i + 1]! - alpha * previous[i + 1]!;
    const r2 = re * re + im * im;
    if (r2 > 1e-30) {
      const inv = 1 / Math.sqrt(r2);
      angles[i] = re * inv;
      angles[i + 1] = im * inv;
    }
  }
}

/** Runs the steps to the end. */
export function griffinLim(mag: Magnitudes, cfg: MelSettings, options: GriffinLimOptions = {}): Float32Array {
  const steps = griffinLimSteps(mag, cfg, options);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** A mel sheet to audio at cfg.sampleRate: the magnitude inversion, then Griffin-Lim. */
export function melToAudio(sheet: LogMelGrid, cfg: MelSettings, options: GriffinLimOptions = {}): Float32Array {
  return griffinLim(melToMagnitudes(sheet, cfg, options.nnlsIterations), cfg, options);
}
