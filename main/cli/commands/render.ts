import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { loadMono } from '../../engine/audio/load';
import { writeAudioFile } from '../../engine/audio/encode';
import { melConfigFor } from '../../engine/dataset/features';
import { logMel } from '../../engine/dsp/mel';
import { featuresFromNpy } from '../../engine/dsp/npy';
import { notesFromMidi, pianoRoll } from '../../engine/dsp/pianoroll';
import { StudioError } from '../../engine/errors';
import type { FramesInput } from '../../engine/generate/conditioning';
import { renderAudio } from '../../engine/generate/render';
import type { WaveNetConfig } from '../../engine/model/config';
import { openModel } from '../../engine/model/model-file';
import { parseDevice } from '../../engine/runtime/session';
import { writeFileAtomic } from '../../engine/util/atomic';
import { resolveGlobalClass } from '../../engine/model/global-class';
import { numberOption } from '../options';
import { ProgressBar } from '../progress';

export interface RenderFlags {
  model: string;
  melFrom?: string;
  midi?: string;
  frames?: string;
  seconds?: string;
  out: string;
  temperature: string;
  seed: string;
  batch: string;
  device: string;
  class?: string;
}

async function readInput(file: string): Promise<Uint8Array> {
  try {
    return await fs.readFile(file);
  } catch {
    throw new StudioError('FILE_NOT_FOUND', `Cannot read ${file}: check the path.`);
  }
}

/** The conditioning frames a render asks for, in the model's feature space. */
async function conditioning(cfg: WaveNetConfig, f: RenderFlags): Promise<FramesInput | null> {
  const given = [f.melFrom, f.midi, f.frames].filter(Boolean).length;
  if (given > 1) throw new StudioError('BAD_OPTION', 'Give only one of --mel-from, --midi, --frames.');
  if (f.melFrom) {
    if (cfg.condition !== 'mel') throw new StudioError('BAD_OPTION', `This model is conditioned on ${cfg.condition}, not mel: use ${cfg.condition === 'pianoroll' ? '--midi' : '--seconds'}.`);
    const samples = await loadMono(f.melFrom, cfg.sampleRate);
    return logMel(samples, melConfigFor(cfg.sampleRate, cfg.hop));
  }
  if (f.midi) {
    if (cfg.condition !== 'pianoroll') throw new StudioError('BAD_OPTION', `This model is conditioned on ${cfg.condition}, not a piano roll: use ${cfg.condition === 'mel' ? '--mel-from' : '--seconds'}.`);
    const notes = notesFromMidi(await readInput(f.midi), path.basename(f.midi));
    const end = notes.reduce((m, n) => Math.max(m, n.start + n.duration), 0) + 0.5;
    const frames = Math.ceil((end * cfg.sampleRate) / cfg.hop);
    return pianoRoll(notes, { sampleRate: cfg.sampleRate, hop: cfg.hop, frames });
  }
  if (f.frames) return featuresFromNpy(await readInput(f.frames), path.basename(f.frames), cfg.conditionBins);
  if (cfg.condition !== 'none') throw new StudioError('BAD_OPTION', `This model is conditioned on ${cfg.condition}: give --mel-from, --midi or --frames.`);
  return null;
}

export async function renderCommand(f: RenderFlags): Promise<void> {
  const model = await openModel(path.resolve(f.model));
  const globalId = resolveGlobalClass(model.cfg, f.class);
  const frames = await conditioning(model.cfg, f);
  const seconds = numberOption('seconds', f.seconds, { min: 0 });
  if (!frames && seconds === undefined) throw new StudioError('BAD_OPTION', 'An unconditional model needs --seconds.');
  const ext = path.extname(f.out).toLowerCase();
  if (ext !== '.wav' && ext !== '.flac') throw new StudioError('BAD_OPTION', `--out must end in .wav or .flac, got "${f.out}".`);
  const settings = {
    samples: seconds !== undefined ? Math.round(seconds * model.cfg.sampleRate) : undefined,
    temperature: numberOption('temperature', f.temperature, { min: 0 })!,
    seed: numberOption('seed', f.seed, { integer: true })!,
    streams: numberOption('batch', f.batch, { integer: true, min: 1 })!,
    device: parseDevice(f.device),
    globalId,
  };
  const bar = new ProgressBar('render');
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const started = Date.now();
  const result = await renderAudio(model.cfg, model.flat, frames, {
    ...settings,
    signal: controller.signal,
    onFallback: (m) => process.stderr.write(`${m}\n`),
    onProgress: (done, total) => {
      const elapsed = (Date.now() - started) / 1000;
      const rate = done / Math.max(elapsed, 1e-3);
      bar.update(done, total, 'generating', `${Math.round(rate)} samples/s`, (total - done) / Math.max(rate, 1e-9));
    },
  });
  bar.stop();
  const out = path.resolve(f.out);
  await writeAudioFile(out, result.audio, model.cfg.sampleRate);
  const sidecar = {
    model: model.file, seed: settings.seed, temperature: settings.temperature, streams: settings.streams,
    sampleRate: model.cfg.sampleRate, seconds: result.audio.length / model.cfg.sampleRate,
    conditioning: f.melFrom ?? f.midi ?? f.frames ?? null,
    globalClass: globalId === null ? null : (model.cfg.classNames?.[globalId] ?? globalId), createdAt: new Date().toISOString(),
  };
  await writeFileAtomic(`${out}.json`, `${JSON.stringify(sidecar, null, 2)}\n`);
  const secs = result.audio.length / model.cfg.sampleRate;
  process.stdout.write(
    `wrote ${out}: ${secs.toFixed(2)} s at ${model.cfg.sampleRate} Hz in ${result.seconds.toFixed(1)} s ` +
      `(${Math.round(result.audio.length / result.seconds)} samples/s, ${(secs / result.seconds).toFixed(3)}× real time, ${result.device})\n`,
  );
}
