// What the render panel offers and sends: the project's checkpoints a document can condition
// (a score needs a piano-roll model, a mel sheet a mel model), output formats with their file
// extension, a new render id, and the render job's request.
import { newId, slugOf, type AudioFormat, type CheckpointInfo, type ConditionKind, type DeviceChoice, type JobRequestOf, type RunDetail } from '../../../../main/contract/domain/index';

export interface ModelChoice {
  runId: string;
  runDir: string;
  step: number;
  /** The checkpoint's self-contained model.onnx. */
  path: string;
  valLoss: number | null;
  best: boolean;
  condition: ConditionKind;
  classNames: string[];
  globalClasses: number;
  label: string;
}

export const FORMATS: readonly { id: AudioFormat; label: string; ext: 'wav' | 'flac' }[] = [
  { id: 'wav16', label: 'WAV 16-bit', ext: 'wav' },
  { id: 'wav24', label: 'WAV 24-bit', ext: 'wav' },
  { id: 'wav32f', label: 'WAV 32-bit float', ext: 'wav' },
  { id: 'flac16', label: 'FLAC 16-bit', ext: 'flac' },
  { id: 'flac24', label: 'FLAC 24-bit', ext: 'flac' },
];

export function extensionOf(format: AudioFormat): 'wav' | 'flac' {
  return FORMATS.find((f) => f.id === format)?.ext ?? 'wav';
}

/** Joins path parts with the separator the base path uses (the server may run Windows). */
export function joinPath(base: string, ...parts: string[]): string {
  const sep = base.includes('\\') && !base.includes('/') ? '\\' : '/';
  return [base.replace(/[\\/]+$/, ''), ...parts].join(sep);
}

/** A checkpoint folder's model file. */
export function checkpointModel(checkpoint: CheckpointInfo): string {
  return joinPath(checkpoint.path, 'model.onnx');
}

/** Every checkpoint of a run as a choice, newest step first, the best by validation marked. */
export function runChoices(detail: RunDetail): ModelChoice[] {
  const model = detail.config.model;
  let best: number | null = null;
  let bestLoss = Number.POSITIVE_INFINITY;
  for (const c of detail.checkpoints) {
    if (c.valLoss !== null && c.valLoss < bestLoss) {
      bestLoss = c.valLoss;
      best = c.step;
    }
  }
  return [...detail.checkpoints]
    .sort((a, b) => b.step - a.step)
    .map((c) => ({
      runId: detail.summary.id,
      runDir: detail.summary.dir,
      step: c.step,
      path: checkpointModel(c),
      valLoss: c.valLoss,
      best: c.step === best,
      condition: model.condition,
      classNames: model.classNames ?? [],
      globalClasses: model.globalClasses,
      label: `${detail.summary.id} · step ${c.step.toLocaleString('en')}${c.valLoss !== null ? ` · val ${c.valLoss.toFixed(3)}` : ''}${c.step === best ? ' ★' : ''}`,
    }));
}

/**
 * A render's id, its file's name in renders/: the document's name and the seed, so the folder reads
 * like a list of takes ("eight-utterances-s793-…"), then a new id (base-36 milliseconds and a random
 * suffix) that keeps every render its own file.
 */
export function newRenderId(documentName: string, seed: number, now: Date = new Date()): string {
  const slug = slugOf(documentName, 24);
  return `${slug ? `${slug}-` : ''}s${seed}-${newId(now)}`;
}

/** The file of take n (1-based) of `count`, as the render job names them: name-<n>.ext beyond one. */
export function takePath(out: string, n: number, count: number): string {
  if (count <= 1) return out;
  const dot = out.lastIndexOf('.');
  return `${out.slice(0, dot)}-${n}${out.slice(dot)}`;
}

export interface RenderChoices {
  model: string;
  project: string;
  document: string;
  /** The document's name, for the render's file name. */
  documentName: string;
  format: AudioFormat;
  seed: number;
  temperature: number;
  variations: number;
  device: DeviceChoice;
  globalClass: string | number | null;
  /** Cut the render to this many seconds (a quick listen); null: the whole document. */
  maxSeconds: number | null;
}

export function renderRequest(c: RenderChoices, id: string = newRenderId(c.documentName, c.seed)): JobRequestOf<'render'> {
  const count = Math.max(1, Math.min(16, Math.round(c.variations)));
  return {
    kind: 'render',
    model: c.model,
    source: { type: 'document', project: c.project, id: c.document },
    out: joinPath(c.project, 'renders', `${id}.${extensionOf(c.format)}`),
    format: c.format,
    settings: { seed: c.seed, temperature: c.temperature, streams: 0, device: c.device, globalClass: c.globalClass, maxSeconds: c.maxSeconds },
    variations: count > 1 ? Array.from({ length: count - 1 }, (_, i) => ({ seed: c.seed + i + 1, temperature: c.temperature })) : undefined,
    project: c.project,
  };
}
