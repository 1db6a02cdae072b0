// The mel editor's axes and waveform overview, as numbers: ticks of the time axis (s) and of the
// frequency axis (Hz on the mel scale the bands are spaced on), and min/max columns of the source's
// samples at any zoom from a small pyramid of block extremes.
import { bandToHz, hzToBand, type MelSettings } from '../../../main/contract/domain/mel';

export interface Tick {
  /** Seconds (time axis) or band units (frequency axis: 0 = band 0's centre). */
  at: number;
  label: string;
  major: boolean;
}

const TIME_STEPS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600];

/** Time ticks in [t0, t1] at least `minPx` apart at `pxPerSecond`: labelled majors and unlabelled minors. */
export function timeTicks(t0: number, t1: number, pxPerSecond: number, minPx = 70): Tick[] {
  if (!(pxPerSecond > 0) || !(t1 > t0)) return [];
  const major = TIME_STEPS.find((s) => s * pxPerSecond >= minPx) ?? TIME_STEPS.at(-1)!;
  const minor = TIME_STEPS.slice().reverse().find((s) => s < major && s * pxPerSecond >= 8 && isMultiple(major, s)) ?? major;
  const decimals = Math.max(0, -Math.floor(Math.log10(major) + 1e-9));
  const ticks: Tick[] = [];
  const first = Math.ceil(t0 / minor - 1e-9);
  for (let i = first; i * minor <= t1 + 1e-9; i++) {
    const at = Number((i * minor).toFixed(9)) + 0;
    const isMajor = isMultiple(at, major);
    ticks.push({ at, label: isMajor ? formatSeconds(at, decimals) : '', major: isMajor });
  }
  return ticks;
}

function isMultiple(x: number, step: number): boolean {
  const r = x / step;
  return Math.abs(r - Math.round(r)) < 1e-6;
}

/** Seconds as the axis and the clock show them: "0.25 s" below a minute, "1:05.0" above. */
export function formatSeconds(t: number, decimals = 2): string {
  if (t < 60) return `${t.toFixed(decimals)} s`;
  const m = Math.floor(t / 60);
  const s = t - m * 60;
  return `${m}:${s.toFixed(Math.max(0, decimals)).padStart(decimals > 0 ? decimals + 3 : 2, '0')}`;
}

/** Hz as the axis labels them: "250 Hz", "1 kHz", "2.5 kHz". */
export function formatHz(hz: number): string {
  if (hz < 1000) return `${Math.round(hz)} Hz`;
  const k = hz / 1000;
  return `${Number.isInteger(k) ? k.toFixed(0) : k.toFixed(k < 10 ? 1 : 0)} kHz`;
}

const HZ_CANDIDATES = [50, 100, 200, 300, 400, 500, 600, 700, 800, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 7000, 8000, 10000, 12000, 16000, 20000];

/**
 * Frequency ticks for a band range drawn `pxPerBand` high: round frequencies, placed by the mel
 * scale, none closer than `minPx` to the one below (lower frequencies win: they are the dense end).
 */
export function frequencyTicks(cfg: MelSettings, band0: number, band1: number, pxPerBand: number, minPx = 18): Tick[] {
  const ticks: Tick[] = [];
  let lastPx = Number.NEGATIVE_INFINITY;
  for (const hz of HZ_CANDIDATES) {
    if (hz <= cfg.fMin || hz > cfg.fMax) continue;
    const at = hzToBand(hz, cfg);
    if (at < band0 - 0.5 || at > band1 + 0.5) continue;
    const px = at * pxPerBand;
    if (px - lastPx < minPx) continue;
    lastPx = px;
    ticks.push({ at, label: formatHz(hz), major: true });
  }
  return ticks;
}

/** The frequency a band position shows, for the cursor read-out. */
export function bandHz(band: number, cfg: MelSettings): number {
  return bandToHz(band, cfg);
}

/** Block sizes of the pyramid: each level's columns are the extremes of this many samples. */
const LEVELS = [64, 512, 4096];

/** Min/max of a signal at any zoom: from the samples when zoomed in, from block extremes otherwise. */
export class WaveformPeaks {
  private readonly levels: { block: number; min: Float32Array; max: Float32Array }[];

  constructor(readonly samples: Float32Array) {
    this.levels = LEVELS.map((block) => {
      const n = Math.ceil(samples.length / block);
      const min = new Float32Array(n);
      const max = new Float32Array(n);
      for (let j = 0; j < n; j++) {
        let lo = Infinity;
        let hi = -Infinity;
        const end = Math.min(samples.length, (j + 1) * block);
        for (let i = j * block; i < end; i++) {
          const v = samples[i]!;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        min[j] = lo;
        max[j] = hi;
      }
      return { block, min, max };
    });
  }

  /**
   * `columns` (min, max) pairs, column c covering samples [start + c·per, start + (c+1)·per);
   * columns outside the signal are (0, 0). Fractional `start` and `per` allowed.
   */
  columns(start: number, per: number, columns: number): Float32Array {
    const out = new Float32Array(columns * 2);
    const n = this.samples.length;
    const level = this.levels.slice().reverse().find((l) => l.block * 2 <= per);
    for (let c = 0; c < columns; c++) {
      const a = Math.max(0, Math.floor(start + c * per));
      const b = Math.min(n, Math.max(a + 1, Math.floor(start + (c + 1) * per)));
      if (a >= n || b <= 0) continue;
      let lo = Infinity;
      let hi = -Infinity;
      let i = a;
      if (level) {
        const k = level.block;
        // Samples up to the first block boundary, whole blocks, then the rest.
        const firstBlock = Math.ceil(a / k);
        const lastBlock = Math.floor(b / k);
        for (; i < Math.min(b, firstBlock * k); i++) {
          lo = Math.min(lo, this.samples[i]!);
          hi = Math.max(hi, this.samples[i]!);
        }
        for (let j = firstBlock; j < lastBlock; j++) {
          lo = Math.min(lo, level.min[j]!);
          hi = Math.max(hi, level.max[j]!);
        }
        i = Math.max(i, lastBlock * k);
      }
      for (; i < b; i++) {
        const v = this.samples[i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      out[2 * c] = lo;
      out[2 * c + 1] = hi;
    }
    return out;
  }
}
