// How the Renders section names things: a model by its run and step, a length, a format, a date,
// the render time against real time. The same number is shown the same way in every row.
import type { RenderSidecar } from '../../../../main/contract/domain/render';

const counter = new Intl.NumberFormat('en-US');

/** 12400 → "12,400". */
export function formatCount(n: number): string {
  return counter.format(n);
}

/** "1 render", "2 renders". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

function parts(p: string): string[] {
  return p.split(/[\\/]+/).filter(Boolean);
}

/** The last part of a path, for either separator. */
export function baseName(p: string): string {
  const all = parts(p);
  return all[all.length - 1] ?? p;
}

/**
 * A model as a person names it: "run-07 · step 12,400" for a checkpoint of a run
 * (runs/<run>/checkpoints/<step>/model.onnx, relative to the project or absolute), else the file's
 * name ("voice.onnx"), or its folder's name for a bare model.onnx.
 */
export function modelLabel(model: string): string {
  const p = parts(model);
  const at = p.lastIndexOf('checkpoints');
  if (at >= 1 && /^\d+$/.test(p[at + 1] ?? '')) return `${p[at - 1]} · step ${formatCount(Number(p[at + 1]))}`;
  const file = p[p.length - 1] ?? model;
  if (/^model\.onnx$/i.test(file) && p.length >= 2) return p[p.length - 2]!;
  return file;
}

/** A render's length: "0.84 s", "12.4 s", "3 min 05 s". */
export function formatLength(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${m} min`;
  return `${m} min ${String(s).padStart(2, '0')} s`;
}

/** A playback clock: "0:03.2". */
export function formatClock(seconds: number): string {
  const safe = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  const m = Math.floor(safe / 60);
  const s = safe - m * 60;
  return `${m}:${s.toFixed(1).padStart(4, '0')}`;
}

/** 44100 → "44.1 kHz". */
export function formatRate(hz: number): string {
  return `${Math.round(hz / 10) / 100} kHz`;
}

const FORMATS: Record<RenderSidecar['format'], string> = {
  wav16: 'WAV 16-bit',
  wav24: 'WAV 24-bit',
  wav32f: 'WAV 32-bit float',
  flac16: 'FLAC 16-bit',
  flac24: 'FLAC 24-bit',
};

export function formatFormat(format: RenderSidecar['format']): string {
  return FORMATS[format] ?? format;
}

/** "0.9" for a temperature (up to 3 decimals, no trailing zeros). */
export function formatTemperature(t: number): string {
  return String(Number(t.toFixed(3)));
}

/** Seed, temperature and class in one line: "seed 7 · temp 0.9 · class ana". */
export function formatSettings(s: RenderSidecar): string {
  const out = [`seed ${s.seed}`, `temp ${formatTemperature(s.temperature)}`];
  if (s.globalClass !== null && s.globalClass !== '') out.push(`class ${s.globalClass}`);
  return out.join(' · ');
}

const day = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** The date and the time of day, apart: ["3 May 2025", "14:05"]. */
export function formatCreated(iso: string): [string, string] {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return [iso, ''];
  return [day.format(d), time.format(d)];
}

/** How long the render took and how that compares with the audio: ["4.1 s", "3.02× real time"]. */
export function formatRenderTime(s: RenderSidecar): [string, string] {
  if (s.renderSeconds === undefined) return ['—', ''];
  const took = formatLength(s.renderSeconds);
  if (s.renderSeconds <= 0 || s.seconds <= 0) return [took, ''];
  const factor = s.seconds / s.renderSeconds;
  const shown = factor >= 10 ? factor.toFixed(0) : factor >= 1 ? factor.toFixed(1) : factor.toFixed(2);
  return [took, `${shown}× real time`];
}

/**
 * Where a path sits in the project, as short as it is clear: "renders/take.json" for a file inside
 * the project, the path as it is otherwise.
 */
export function projectRelative(p: string, project: string | null): string {
  if (!project) return p;
  const root = project.replace(/[\\/]+$/, '');
  if (p.startsWith(`${root}/`) || p.startsWith(`${root}\\`)) return p.slice(root.length + 1);
  return p;
}
