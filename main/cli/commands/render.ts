import * as path from 'node:path';
import type { ConditioningSource } from '../../contract/domain/render';
import { StudioError } from '../../engine/errors';
import { renderToFile } from '../../engine/generate/render-file';
import { resolveGlobalClass } from '../../engine/model/global-class';
import { newId } from '../../engine/project/ids';
import { openProject } from '../../engine/project/project-file';
import { openModel } from '../../engine/run/model';
import { parseDevice } from '../../engine/runtime/session';
import { numberOption } from '../options';
import { ProgressBar } from '../progress';
import { findDocument } from './document';

export interface RenderFlags {
  model: string;
  melFrom?: string;
  midi?: string;
  frames?: string;
  seconds?: string;
  /** Required unless --project gives the place (renders/<new id>.wav). */
  out?: string;
  temperature: string;
  seed: string;
  batch: string;
  device: string;
  class?: string;
  /** A project: the render goes to its renders/ folder with a sidecar naming the model relative to it. */
  project?: string;
  /** An editor document of --project (its id or name) to condition on. */
  document?: string;
}

/** The conditioning source the flags name, or null when none is given. */
async function sourceFrom(f: RenderFlags, project: string | undefined): Promise<ConditioningSource | null> {
  if (f.document) {
    if (f.melFrom || f.midi || f.frames) throw new StudioError('BAD_OPTION', 'Give only one of --mel-from, --midi, --frames, --document.');
    if (!project) throw new StudioError('BAD_OPTION', '--document names a document of a project: give --project too.');
    return { type: 'document', project, id: await findDocument(project, f.document) };
  }
  const given = [f.melFrom, f.midi, f.frames].filter(Boolean).length;
  if (given > 1) throw new StudioError('BAD_OPTION', 'Give only one of --mel-from, --midi, --frames.');
  if (f.melFrom) return { type: 'audio', path: f.melFrom };
  if (f.midi) return { type: 'midi', path: f.midi };
  if (f.frames) return { type: 'npy', path: f.frames };
  return null;
}

export async function renderCommand(f: RenderFlags): Promise<void> {
  const project = f.project ? path.resolve(f.project) : undefined;
  if (project) await openProject(project);
  if (!f.out && !project) throw new StudioError('BAD_OPTION', 'Give --out (a .wav or .flac), or --project to render into the project.');
  const out = f.out ?? path.join(project!, 'renders', `${newId()}.wav`);
  const seconds = numberOption('seconds', f.seconds, { min: 0 });
  const temperature = numberOption('temperature', f.temperature, { min: 0 })!;
  const seed = numberOption('seed', f.seed, { integer: true })!;
  const streams = numberOption('batch', f.batch, { integer: true, min: 0 })!;
  const device = parseDevice(f.device);
  const found = await sourceFrom(f, project);
  let source: ConditioningSource;
  if (found) {
    if (seconds === 0) throw new StudioError('BAD_OPTION', 'Nothing to render: give a length (--seconds) or non-empty conditioning.');
    source = found;
  } else if (seconds !== undefined) {
    source = { type: 'none', seconds };
  } else {
    // Which message fits depends on the model: open it only to say so.
    const model = await openModel(path.resolve(f.model));
    resolveGlobalClass(model.cfg, f.class);
    if (model.cfg.condition !== 'none') throw new StudioError('BAD_OPTION', `This model is conditioned on ${model.cfg.condition}: give --mel-from, --midi or --frames.`);
    throw new StudioError('BAD_OPTION', 'An unconditional model needs --seconds.');
  }
  const ext = path.extname(out).toLowerCase();
  if (ext !== '.wav' && ext !== '.flac') throw new StudioError('BAD_OPTION', `--out must end in .wav or .flac, got "${f.out}".`);

  const bar = new ProgressBar('render');
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const result = await renderToFile({
    model: f.model,
    source,
    out,
    project,
    settings: {
      seed, temperature, streams, device, globalClass: f.class ?? null,
      // With conditioning, --seconds cuts the render short (a preview).
      maxSeconds: found && seconds !== undefined ? seconds : null,
    },
    signal: controller.signal,
    onFallback: (m) => process.stderr.write(`${m}\n`),
    onProgress: (p) => {
      const seg = p.segments ? ` · segments ${p.segments.rendered}/${p.segments.total - p.segments.reused}, ${p.segments.reused} reused` : '';
      if (p.phase === 'generating') bar.update(p.done, p.total, 'generating', `${Math.round(p.samplesPerSec)} samples/s${seg}`, p.etaSeconds ?? undefined);
    },
  });
  bar.stop();
  for (const o of result.outputs) {
    const samples = Math.round(o.seconds * result.sampleRate);
    process.stdout.write(
      `wrote ${o.path}: ${o.seconds.toFixed(2)} s at ${result.sampleRate} Hz in ${o.renderSeconds.toFixed(1)} s ` +
        `(${Math.round(samples / o.renderSeconds)} samples/s, ${(o.seconds / o.renderSeconds).toFixed(3)}× real time, ${result.device})\n`,
    );
  }
  if (result.segments) process.stdout.write(`segments: ${result.segments.rendered} rendered, ${result.segments.reused} reused\n`);
}
