// How the Renders section names things: a model by its run and step, a length, a format, a date,
// the render time against real time. The same number is shown the same way in every row.
// Counts, lengths, clocks, rates and base names are renderer/src/format.ts's.
import type { RenderSidecar } from '../../../../main/contract/domain/render';
import { formatAudioLength, formatCount } from '../../format';

function parts(p: string): string[] {
  return p.split(/[\\/]+/).filter(Boolean);
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
  const took = formatAudioLength(s.renderSeconds);
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
