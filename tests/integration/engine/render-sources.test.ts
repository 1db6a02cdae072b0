import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { before, test } from 'node:test';
import type { ConditioningSource } from '../../../main/contract/domain/render';
import { encodeAudio } from '../../../main/engine/audio/encode';
import { loadMono } from '../../../main/engine/audio/load';
import { featuresFor } from '../../../main/engine/dataset/features';
import { melSettingsFor } from '../../../main/contract/domain/mel';
import { analyzeFile } from '../../../main/engine/dsp/analyze';
import { logMel } from '../../../main/engine/dsp/mel';
import { featuresFromNpy } from '../../../main/engine/dsp/npy';
import { notesFromMidi, pianoRoll } from '../../../main/engine/dsp/pianoroll';
import { StudioError } from '../../../main/engine/errors';
import type { FramesInput } from '../../../main/engine/generate/conditioning';
import { renderAudio } from '../../../main/engine/generate/render';
import { autoStreams } from '../../../main/engine/generate/chunks';
import { renderToFile, type RenderFileProgress, type RenderFileRequest } from '../../../main/engine/generate/render-file';
import { SegmentRenderer } from '../../../main/engine/generate/segment-render';
import { conditioningFrames } from '../../../main/engine/generate/sources';
import { featuresToMelSheet, readDocument, writeDocument } from '../../../main/engine/project/document';
import { createProject } from '../../../main/engine/project/project-file';
import { readRenderSidecar, readRenderSidecarFile } from '../../../main/engine/project/render-sidecar';
import { openModel } from '../../../main/engine/run/model';
import { runCli } from '../../helpers/cli';
import { corpus, tempDir } from '../../helpers/paths';

const { Midi } = createRequire(import.meta.url)('@tonejs/midi') as typeof import('@tonejs/midi');

type Model = Awaited<ReturnType<typeof openModel>>;
const dir = tempDir('render-sources');
const project = path.join(dir, 'project');
const utt01 = path.join(corpus, 'speech/en-us/utt01.wav');
const midiFile = path.join(dir, 'phrase.mid');
let mel: Model;
let roll: Model;
let none: Model;

async function trainTiny(run: string, folder: string, condition: string, extra: string[] = []): Promise<Model> {
  const t = await runCli(['train', folder, '--run', run, '--preset', 'tiny', '--condition', condition, '--steps', '3', '--seed', '5', '--threads', '2', ...extra]);
  assert.equal(t.code, 0, t.stderr);
  return openModel(run);
}

before(async () => {
  await createProject(project, 'Renders');
  // A short phrase with a tempo and a 3/4 time signature in its header.
  const m = new Midi();
  m.header.setTempo(100);
  m.header.timeSignatures.push({ ticks: 0, timeSignature: [3, 4] });
  m.header.update();
  const track = m.addTrack();
  track.addNote({ midi: 60, time: 0, duration: 0.2, velocity: 0.8 });
  track.addNote({ midi: 64, time: 0.15, duration: 0.3, velocity: 0.6 });
  track.addNote({ midi: 67, time: 0.3, duration: 0.1, velocity: 1 });
  await fs.writeFile(midiFile, m.toArray());
  // The piano-roll model lives inside the project, so its renders name it relative to the project.
  [mel, roll, none] = await Promise.all([
    trainTiny(path.join(dir, 'mel'), path.join(corpus, 'speech/en-us'), 'mel'),
    trainTiny(path.join(project, 'runs', 'roll'), path.join(corpus, 'music'), 'pianoroll'),
    trainTiny(path.join(dir, 'none'), path.join(corpus, 'speech/en-us'), 'none', ['--length', '2000', '--batch', '4']),
  ]);
});

/** The frames the CLI's render computed before the move, reproduced as it did. */
async function oldCliFrames(model: Model, flag: 'mel-from' | 'midi' | 'frames', file: string): Promise<FramesInput> {
  const { cfg } = model;
  if (flag === 'mel-from') return logMel(await loadMono(file, cfg.sampleRate), melSettingsFor(cfg.sampleRate, cfg.hop));
  if (flag === 'frames') return featuresFromNpy(await fs.readFile(file), path.basename(file), cfg.conditionBins);
  const notes = notesFromMidi(await fs.readFile(file), path.basename(file));
  const end = notes.reduce((m, n) => Math.max(m, n.start + n.duration), 0) + 0.5;
  return pianoRoll(notes, { sampleRate: cfg.sampleRate, hop: cfg.hop, frames: Math.ceil((end * cfg.sampleRate) / cfg.hop) });
}

/** renderAudio called directly, encoded as the file would be. */
async function direct(model: Model, frames: FramesInput | null, s: { samples?: number; seed: number; temperature?: number; streams: number }): Promise<Buffer> {
  const r = await renderAudio(model.cfg, model.flat, frames, { samples: s.samples, seed: s.seed, temperature: s.temperature ?? 1, streams: s.streams, device: 'cpu' });
  return Buffer.from(await encodeAudio(r.audio, model.cfg.sampleRate, 'wav16'));
}

/** A document's render: the segmented renderer on the same frames (no cache), encoded as the file would be. */
async function segmented(model: Model, frames: FramesInput, s: { samples?: number; seed: number; temperature?: number; streams: number }): Promise<Buffer> {
  const r = new SegmentRenderer(model.cfg, model.flat, frames, { cache: null, streams: s.streams, device: 'cpu', globalId: null });
  try {
    const plan = await r.plan({ seed: s.seed, temperature: s.temperature ?? 1 }, s.samples ?? frames.frames * model.cfg.hop);
    return Buffer.from(await encodeAudio((await r.render(plan)).audio, model.cfg.sampleRate, 'wav16'));
  } finally {
    await r.close();
  }
}

/** renderToFile into dir/<name>.wav; its bytes, sidecar and progress reports. */
async function viaEngine(name: string, model: Model, source: ConditioningSource, settings: RenderFileRequest['settings'], extra: Partial<RenderFileRequest> = {}) {
  const progress: RenderFileProgress[] = [];
  const out = path.join(dir, `${name}.wav`);
  const result = await renderToFile({ model: model.file, source, out, settings: { device: 'cpu', ...settings }, onProgress: (p) => progress.push(p), ...extra });
  return { result, progress, bytes: await fs.readFile(result.outputs[0]!.path), sidecar: await readRenderSidecarFile(result.outputs[0]!.sidecar) };
}

const HALF = 8000; // 0.5 s at 16 kHz

test('audio source: the log-mel the CLI computed; cut to 0.5 s by maxSeconds', async () => {
  const frames = await oldCliFrames(mel, 'mel-from', utt01);
  const got = await viaEngine('audio', mel, { type: 'audio', path: utt01 }, { seed: 11, streams: 2, maxSeconds: 0.5 });
  assert.ok(got.bytes.equals(await direct(mel, frames, { samples: HALF, seed: 11, streams: 2 })));
  assert.equal(got.sidecar.conditioning, utt01);
  assert.equal(got.sidecar.document, null);
  assert.equal(got.sidecar.model, mel.file);
  assert.equal(got.sidecar.streams, 2);
  assert.equal(got.sidecar.seconds, 0.5);
  assert.equal(got.sidecar.file, 'audio.wav');
  assert.equal(got.result.outputs[0]!.sidecar, path.join(dir, 'audio.wav.json'));
  // Progress: phases in order, samples counting up to the total, with speed and an ETA (from 1 % done on).
  const phases = [...new Set(got.progress.map((p) => p.phase))];
  assert.deepEqual(phases, ['loading model', 'conditioning', 'generating', 'writing']);
  const generating = got.progress.filter((p) => p.phase === 'generating');
  assert.ok(generating.every((p, i) => p.total === HALF && p.samplesPerSec >= 0 && (p.etaSeconds !== null) === (p.done >= HALF / 100) && (i === 0 || p.done >= generating[i - 1]!.done)));
  const last = got.progress.at(-1)!;
  assert.equal(last.done, HALF);
  assert.equal(last.audioSeconds, 0.5);
  assert.ok(last.realTimeFactor > 0 && Math.abs(last.realTimeFactor - last.samplesPerSec / 16000) < 1e-9);
});

test('MIDI source: the piano roll the CLI computed; a score document of the same MIDI renders those frames in segments', async () => {
  const frames = await oldCliFrames(roll, 'midi', midiFile);
  const midi = await viaEngine('midi', roll, { type: 'midi', path: midiFile }, { seed: 4, streams: 2 });
  assert.ok(midi.bytes.equals(await direct(roll, frames, { seed: 4, streams: 2 })));
  assert.equal(midi.sidecar.seconds, 0.95);

  const created = await runCli(['document', 'new', project, '--from-midi', midiFile, '--name', 'Phrase']);
  assert.equal(created.code, 0, created.stderr);
  const id = created.stdout.trim();
  const doc = await readDocument(project, id);
  assert.equal(doc.kind, 'score');
  assert.equal(doc.name, 'Phrase');
  if (doc.kind !== 'score') return;
  assert.equal(doc.notes.length, 3);
  assert.equal(doc.tempo, 100);
  assert.deepEqual(doc.timeSignature, { beats: 3, unit: 4 });
  assert.deepEqual((await conditioningFrames(roll.cfg, { type: 'document', project, id })).frames, frames);

  // The project form: renders/<new id>.wav with its sidecar renders/<id>.json, the model named inside the project.
  // A document renders in segments through the project's cache: the same frames as the MIDI, the segmented renderer's bytes.
  const r = await runCli(['render', '--project', project, '--document', 'Phrase', '--model', path.join(project, 'runs', 'roll'), '--seed', '4', '--batch', '2']);
  assert.equal(r.code, 0, r.stderr);
  const wrote = /^wrote (.+\.wav): 0\.95 s at 16000 Hz in [\d.]+ s \(\d+ samples\/s, [\d.]+× real time, cpu\)$/m.exec(r.stdout);
  assert.ok(wrote, r.stdout);
  assert.match(r.stdout, /^segments: 2 rendered, 0 reused$/m);
  assert.equal(path.dirname(wrote[1]!), path.join(project, 'renders'));
  assert.ok((await fs.readFile(wrote[1]!)).equals(await segmented(roll, frames, { seed: 4, streams: 2 })));
  const renderId = path.basename(wrote[1]!, '.wav');
  const sidecar = await readRenderSidecar(project, renderId);
  assert.equal(sidecar.document, id);
  assert.equal(sidecar.conditioning, `document "Phrase" (${id})`);
  assert.equal(sidecar.model, 'runs/roll/checkpoints/3/model.onnx');
  assert.equal(sidecar.file, `${renderId}.wav`);
  assert.equal(sidecar.id, renderId);
  assert.deepEqual(sidecar.segments, { seconds: 0.5, rendered: 2, reused: 0, total: 2 });
  const byId = await runCli(['render', '--project', project, '--document', 'nope', '--model', roll.file]);
  assert.match(byId.stderr, /No document "nope" in .+ \(it has "Phrase"\)/);
});

test("a score's frames are the dataset import's piano roll of the same MIDI", async () => {
  const mid = path.join(corpus, 'music/piece1.mid');
  const created = await runCli(['document', 'new', project, '--from-midi', mid]);
  assert.equal(created.code, 0, created.stderr);
  const id = created.stdout.trim();
  assert.equal((await readDocument(project, id)).name, 'piece1');
  const score = (await conditioningFrames(roll.cfg, { type: 'document', project, id })).frames!;
  const samples = await loadMono(path.join(corpus, 'music/piece1.wav'), 16000);
  const imported = (await featuresFor(path.join(corpus, 'music/piece1.wav'), samples, 'pianoroll', 16000, roll.cfg.hop))!;
  const common = Math.min(score.frames, imported.frames);
  assert.ok(common > 1000);
  assert.deepEqual(score.data.subarray(0, common * 256), imported.data.subarray(0, common * 256));
});

test('.npy source from analyze, and a mel document of the same audio: the frames the CLI read', async () => {
  const npy = path.join(dir, 'utt01.mel.npy');
  await analyzeFile(utt01, npy);
  const frames = await oldCliFrames(mel, 'frames', npy);
  const got = await viaEngine('npy', mel, { type: 'npy', path: npy }, { seed: 3, temperature: 0.8, streams: 1, maxSeconds: 0.25 });
  const expected = await direct(mel, frames, { samples: 4000, seed: 3, temperature: 0.8, streams: 1 });
  assert.ok(got.bytes.equals(expected));
  assert.equal(got.sidecar.temperature, 0.8);

  // A mel document holding the same log-mel (the editor's analysis) renders the same frames, in segments.
  await writeDocument(project, { id: 'utt01-mel', name: 'utt01', kind: 'mel', sampleRate: 16000, hop: 200, mel: featuresToMelSheet(frames) });
  const doc = await viaEngine('mel-doc', mel, { type: 'document', project, id: 'utt01-mel' }, { seed: 3, temperature: 0.8, streams: 1, maxSeconds: 0.25 }, { project });
  assert.ok(doc.bytes.equals(await segmented(mel, frames, { samples: 4000, seed: 3, temperature: 0.8, streams: 1 })));
  assert.deepEqual(doc.result.segments, { rendered: 1, reused: 0, total: 1 });
  assert.equal(doc.sidecar.document, 'utt01-mel');
  // A render outside the project's renders folder keeps <file>.json; the model outside the project stays absolute.
  assert.equal(doc.result.outputs[0]!.sidecar, path.join(dir, 'mel-doc.wav.json'));
  assert.equal(doc.sidecar.model, mel.file);
});

test('none: an unconditional model renders the asked length; variations are takes with their own seed and temperature', async () => {
  const got = await viaEngine('none', none, { type: 'none', seconds: 0.25 }, { seed: 7, streams: 2 }, { variations: [{ seed: 8, temperature: 0.5 }] });
  const { outputs } = got.result;
  assert.deepEqual(outputs.map((o) => path.basename(o.path)), ['none-1.wav', 'none-2.wav']);
  assert.deepEqual(outputs.map((o) => [o.seed, o.temperature, o.seconds]), [[7, 1, 0.25], [8, 0.5, 0.25]]);
  assert.ok((await fs.readFile(outputs[0]!.path)).equals(await direct(none, null, { samples: 4000, seed: 7, streams: 2 })));
  assert.ok((await fs.readFile(outputs[1]!.path)).equals(await direct(none, null, { samples: 4000, seed: 8, temperature: 0.5, streams: 2 })));
  const second = await readRenderSidecarFile(outputs[1]!.sidecar);
  assert.deepEqual([second.id, second.file, second.seed, second.temperature, second.conditioning], ['none-2', 'none-2.wav', 8, 0.5, null]);
  // Progress covers both takes.
  const last = got.progress.at(-1)!;
  assert.deepEqual([last.done, last.total, last.output, last.outputs], [8000, 8000, 2, 2]);
  assert.equal(got.result.device, 'cpu');
  assert.ok(got.result.samplesPerSec > 0 && got.result.realTimeFactor > 0);

  // streams 0: chosen from the core count, and the sidecar says how many.
  const auto = await viaEngine('auto', none, { type: 'none', seconds: 0.25 }, { seed: 7, streams: 0, maxSeconds: 0.125 });
  assert.equal(auto.sidecar.streams, autoStreams(none.cfg, 2000));
  assert.equal(auto.sidecar.seconds, 0.125);
  assert.ok(auto.bytes.equals(await direct(none, null, { samples: 2000, seed: 7, streams: autoStreams(none.cfg, 2000) })));
});

test('a source that does not fit the model is refused with the CLI\'s one-line messages', async () => {
  const refused = (source: ConditioningSource, model: Model, message: string | RegExp) =>
    assert.rejects(conditioningFrames(model.cfg, source), (e: unknown) => e instanceof StudioError && e.code === 'BAD_OPTION' && (typeof message === 'string' ? e.message === message : message.test(e.message)));
  await refused({ type: 'audio', path: utt01 }, roll, 'This model is conditioned on pianoroll, not mel: use --midi.');
  await refused({ type: 'audio', path: utt01 }, none, 'This model is conditioned on none, not mel: use --seconds.');
  await refused({ type: 'midi', path: midiFile }, mel, 'This model is conditioned on mel, not a piano roll: use --mel-from.');
  await refused({ type: 'none', seconds: 1 }, mel, 'This model is conditioned on mel: give --mel-from, --midi or --frames.');
  await writeDocument(project, { id: 'sheet', name: 'Sheet', kind: 'mel', sampleRate: 16000, hop: 200, mel: { frames: 1, bins: 80, data: new Array(80).fill(0) } });
  await writeDocument(project, { id: 'tune', name: 'Tune', kind: 'score', sampleRate: 16000, hop: 200, notes: [], tempo: 120, timeSignature: { beats: 4, unit: 4 } });
  await refused({ type: 'document', project, id: 'sheet' }, roll, 'This model is conditioned on pianoroll, not mel: "Sheet" is a mel sheet, choose a score document.');
  await refused({ type: 'document', project, id: 'tune' }, mel, 'This model is conditioned on mel, not a piano roll: "Tune" is a score, choose a mel document.');
  await writeDocument(project, { id: 'sheet-8k', name: 'Sheet 8k', kind: 'mel', sampleRate: 8000, hop: 100, mel: { frames: 1, bins: 80, data: new Array(80).fill(0) } });
  await refused({ type: 'document', project, id: 'sheet-8k' }, mel, /"Sheet 8k" is at 8000 Hz with a hop of 100 but the model uses 16000 Hz and 200/);
  const npy = path.join(dir, 'refused.npy');
  await analyzeFile(utt01, npy);
  await assert.rejects(conditioningFrames(roll.cfg, { type: 'npy', path: npy }), /refused\.npy has 80 feature rows but the model expects 256/);
  // The CLI still says so in one line, and refuses two sources at once.
  const r = await runCli(['render', '--model', roll.file, '--mel-from', utt01, '--out', path.join(dir, 'x.wav')]);
  assert.equal(r.code !== 0, true);
  assert.match(r.stderr, /This model is conditioned on pianoroll, not mel: use --midi\./);
  const two = await runCli(['render', '--model', roll.file, '--midi', midiFile, '--frames', npy, '--out', path.join(dir, 'x.wav')]);
  assert.match(two.stderr, /Give only one of --mel-from, --midi, --frames\./);
  const missing = await runCli(['render', '--model', none.file, '--out', path.join(dir, 'x.wav')]);
  assert.match(missing.stderr, /An unconditional model needs --seconds\./);
});
