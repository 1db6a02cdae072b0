import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import type { EditorDocument, MelDocument, ScoreDocument } from '../../../main/contract/domain/documents';
import { decodeAudioFile } from '../../../main/engine/audio/decode';
import { loadMono } from '../../../main/engine/audio/load';
import { melSettingsFor } from '../../../main/contract/domain/mel';
import { logMel } from '../../../main/engine/dsp/mel';
import type { FramesInput } from '../../../main/engine/generate/conditioning';
import { renderToFile, type RenderFileProgress } from '../../../main/engine/generate/render-file';
import { SegmentCache, segmentCacheDir } from '../../../main/engine/generate/segment-cache';
import { segmentPlan } from '../../../main/engine/generate/segment-render';
import { segmentKey, segmentLayout, type SegmentKeyInput, type SegmentLayout } from '../../../main/engine/generate/segments';
import { renderWorkers } from '../../../main/engine/generate/worker-pool';
import { preset, withCondition } from '../../../main/engine/model/config';
import { featuresToMelSheet, readDocument, writeDocument } from '../../../main/engine/project/document';
import { createProject } from '../../../main/engine/project/project-file';
import { openModel } from '../../../main/engine/run/model';
import { runCli } from '../../helpers/cli';
import { corpus, tempDir } from '../../helpers/paths';

type Model = Awaited<ReturnType<typeof openModel>>;
const dir = tempDir('segment-cache');
const project = path.join(dir, 'project');
const cacheDir = segmentCacheDir(project);
let roll: Model;
let mel: Model;

async function trainTiny(run: string, folder: string, condition: string): Promise<Model> {
  const t = await runCli(['train', folder, '--run', run, '--preset', 'tiny', '--condition', condition, '--steps', '3', '--seed', '5', '--threads', '2']);
  assert.equal(t.code, 0, t.stderr);
  return openModel(run);
}

before(async () => {
  await createProject(project, 'Segments');
  [roll, mel] = await Promise.all([
    trainTiny(path.join(project, 'runs', 'roll'), path.join(corpus, 'music'), 'pianoroll'),
    trainTiny(path.join(dir, 'mel'), path.join(corpus, 'speech/en-us'), 'mel'),
  ]);
});

test('segment key: the same inputs give the same hash; the model, a frame read (warm-up, overlap), seed, temperature, class, device, engine or index change it', () => {
  const cfg = withCondition(preset('tiny'), 'pianoroll');
  const layout = segmentLayout(cfg);
  // ½ s segments of whole hops, a warm-up of at least one receptive field (257 samples) in whole hops, a 20 ms crossfade.
  assert.deepEqual([layout.length, layout.warm, layout.fade], [8000, 400, 320]);
  const frames = 400;
  const data = new Float32Array(frames * 256).map((_, i) => (i % 7) / 7);
  const base: SegmentKeyInput = { model: 'a'.repeat(64), layout, index: 2, frames: { frames, bins: 256, data }, seed: 1, temperature: 1, globalId: null, device: 'cpu', engine: 'onnx' };
  const key = segmentKey(base);
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.equal(segmentKey({ ...base, frames: { frames, bins: 256, data: Float32Array.from(data) } }), key);
  const withFrame = (f: number, v = 5): FramesInput => {
    const d = Float32Array.from(data);
    d[f * 256 + 3] = v;
    return { frames, bins: 256, data: d };
  };
  // Segment 2 owns frames 80–119; it reads from 2 frames of warm-up before, runs 320 samples (2 frames) past, and the upsampler sees one frame more each side.
  const reads = { first: 80 - 2 - 1, last: Math.ceil((3 * 8000 + 320 - 1) / 200) };
  for (const f of [reads.first, 78, 79, 100, 120, 121, reads.last]) assert.notEqual(segmentKey({ ...base, frames: withFrame(f) }), key, `frame ${f}`);
  for (const f of [reads.first - 1, reads.last + 1, 0, 399]) assert.equal(segmentKey({ ...base, frames: withFrame(f) }), key, `frame ${f}`);
  assert.notEqual(segmentKey({ ...base, model: 'b'.repeat(64) }), key);
  assert.notEqual(segmentKey({ ...base, seed: 2 }), key);
  assert.notEqual(segmentKey({ ...base, temperature: 0.9 }), key);
  assert.notEqual(segmentKey({ ...base, temperature: 0 }), key);
  assert.notEqual(segmentKey({ ...base, globalId: 0 }), key);
  assert.notEqual(segmentKey({ ...base, device: 'cuda' }), key);
  assert.notEqual(segmentKey({ ...base, engine: 'wasm' }), key);
  assert.notEqual(segmentKey({ ...base, index: 1 }), key);
  assert.notEqual(segmentKey({ ...base, layout: segmentLayout(preset('small')) }), key);
  // The document's length matters only to the segments that reach its end (they hold the last frame).
  const cut = (n: number): FramesInput => ({ frames: n, bins: 256, data: data.slice(0, n * 256) });
  assert.equal(segmentKey({ ...base, frames: cut(300) }), key);
  const last = { ...base, index: 8, frames: cut(330) };
  assert.notEqual(segmentKey(last), segmentKey({ ...last, frames: cut(331) }));
});

/** The samples of a wav32f render. */
async function samplesOf(file: string): Promise<Float32Array> {
  return (await decodeAudioFile(file)).channels[0]!;
}

/** The segments whose generation reads a frame in [from, to): each reads from its warm-up start to its crossfade's end, ± one frame of upsampler context. */
function touchedSegments(layout: SegmentLayout, count: number, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const first = (i * layout.length - layout.warm) / layout.hop - 1;
    const end = Math.ceil(((i + 1) * layout.length + layout.fade - 1) / layout.hop) + 1;
    if (first < to && from < end) out.push(i);
  }
  return out;
}

interface Rendered {
  samples: Float32Array;
  segments: { rendered: number; reused: number; total: number };
  progress: RenderFileProgress[];
}

async function render(model: Model, id: string, name: string, settings: { seed: number; streams: number; temperature?: number }, playhead?: number): Promise<Rendered> {
  const progress: RenderFileProgress[] = [];
  const result = await renderToFile({
    model: model.file, source: { type: 'document', project, id }, out: path.join(project, 'renders', `${name}.wav`), format: 'wav32f', project,
    settings: { device: 'cpu', ...settings }, playhead, onProgress: (p) => progress.push(p),
  });
  assert.ok(result.segments);
  return { samples: await samplesOf(result.outputs[0]!.path), segments: result.segments, progress };
}

/**
 * Render a document, edit frames [from, to) in a copy, render the copy: only the segments that
 * read an edited frame are generated again; the result equals a render with an empty cache, and
 * the first render outside the regenerated segments.
 */
async function editCycle(model: Model, doc: EditorDocument, edited: EditorDocument, from: number, to: number, seed: number): Promise<{ count: number; touched: number[]; first: Float32Array }> {
  const layout = segmentLayout(model.cfg);
  await fs.rm(cacheDir, { recursive: true, force: true });
  await writeDocument(project, doc);
  await writeDocument(project, edited);
  const first = await render(model, doc.id, `${doc.id}-first`, { seed, streams: 4 });
  const count = Math.ceil(first.samples.length / layout.length);
  assert.ok(count >= 3, `${count} segments`);
  assert.deepEqual(first.segments, { rendered: count, reused: 0, total: count });
  const plan = await segmentPlan(project, model.file, doc.id, { seed });
  assert.deepEqual(plan.map((s) => [s.index, s.start, s.cached]), Array.from({ length: count }, (_, i) => [i, (i * layout.length) / model.cfg.sampleRate, true]));
  assert.equal(plan.at(-1)!.end, first.samples.length / model.cfg.sampleRate);
  assert.deepEqual((await fs.readdir(cacheDir)).sort(), plan.map((s) => `${s.hash}.mulaw`).sort());

  // The edit's plan marks stale exactly the segments whose context holds an edited frame.
  const touched = touchedSegments(layout, count, from, to);
  assert.ok(touched.length > 0 && touched.length < count, `touched ${touched.join(', ')} of ${count}`);
  const editPlan = await segmentPlan(project, model.file, edited.id, { seed });
  assert.deepEqual(editPlan.filter((s) => !s.cached).map((s) => s.index), touched);
  const frameSeconds = layout.hop / model.cfg.sampleRate;
  for (const s of editPlan) assert.equal(!s.cached, s.contextStart < to * frameSeconds && from * frameSeconds < s.contextEnd, `segment ${s.index}`);

  const again = await render(model, edited.id, `${edited.id}-cached`, { seed, streams: 4 });
  assert.deepEqual(again.segments, { rendered: touched.length, reused: count - touched.length, total: count });

  // With the cache cleared, the edited document from scratch (other stream count, playhead late): the same samples everywhere.
  await new SegmentCache(cacheDir).clear();
  assert.deepEqual(await fs.readdir(cacheDir), []);
  const playhead = (count - 2) * (layout.length / model.cfg.sampleRate) + 0.1;
  const full = await render(model, edited.id, `${edited.id}-full`, { seed, streams: 2 }, playhead);
  assert.deepEqual(full.segments, { rendered: count, reused: 0, total: count });
  assert.equal(full.samples.length, again.samples.length);
  assert.ok(Buffer.from(full.samples.buffer).equals(Buffer.from(again.samples.buffer)), 'the cached re-render equals a render from scratch');
  // Those after the playhead first: the missing segments are dealt round-robin to the worker threads
  // from the playhead's on ([count − 2, count − 1, 0, 1, …]) and each thread starts its share in that
  // order. (Across threads the order is a race: one thread may finish a short segment before another
  // has started.)
  const order = [...new Set(full.progress.flatMap((p) => p.segments?.rendering ?? []))];
  assert.equal(order.length, count, `every segment is seen rendering: ${order.join(', ')}`);
  const dealt = [count - 2, count - 1, ...Array.from({ length: count - 2 }, (_, i) => i)];
  const workers = Math.min(count, renderWorkers('cpu'));
  for (let w = 0; w < workers; w++) {
    const share = dealt.filter((_, k) => k % workers === w);
    assert.deepEqual(order.filter((i) => share.includes(i)), share, `worker ${w} of ${workers} starts from the playhead's end (${order.join(', ')})`);
  }
  assert.deepEqual(full.progress.at(-1)!.segments, { rendered: count, reused: 0, total: count, rendering: [] });

  // Outside the regenerated segments (each owns i·S … (i+1)·S and fades out over the next 20 ms), the first render's samples.
  assert.equal(first.samples.length, full.samples.length);
  const inTouched = (t: number): boolean => touched.some((i) => t >= i * layout.length && t < (i + 1) * layout.length + layout.fade);
  let outside = 0;
  let differing = 0;
  for (let t = 0; t < first.samples.length; t++) {
    if (inTouched(t)) differing += first.samples[t] !== full.samples[t] ? 1 : 0;
    else {
      outside++;
      assert.equal(first.samples[t], full.samples[t], `sample ${t} outside the edited segments`);
    }
  }
  assert.ok(outside > 0 && differing > 0, `${outside} samples outside, ${differing} differing inside`);
  return { count, touched, first: first.samples };
}

test('score: one note changed re-renders only the segments its frames reach; equal to an uncached render, and to the first outside them', async () => {
  const created = await runCli(['document', 'new', project, '--from-midi', path.join(corpus, 'music/piece1.mid')]);
  assert.equal(created.code, 0, created.stderr);
  const whole = (await readDocument(project, created.stdout.trim())) as ScoreDocument;
  // The first 3.5 s of the piece (7 segments), to keep the test short.
  const notes = whole.notes.filter((n) => n.start < 3).map((n) => ({ ...n, duration: Math.min(n.duration, 3.5 - n.start) }));
  const doc: ScoreDocument = { ...whole, id: 'score', name: 'Score', notes };
  const which = notes.findIndex((n) => n.start >= 1.6 && n.start + n.duration <= 2.2);
  assert.ok(which >= 0);
  const note = notes[which]!;
  const edited: ScoreDocument = { ...doc, id: 'score-edit', name: 'Score (edited)', notes: notes.map((n, i) => (i === which ? { ...n, pitch: n.pitch + 2 } : n)) };
  // The frames the note occupies in the piano roll (onset to its exclusive end).
  const fps = roll.cfg.sampleRate / roll.cfg.hop;
  const onset = Math.floor(note.start * fps + 1e-9);
  const end = Math.max(onset + 1, Math.ceil((note.start + note.duration) * fps - 1e-9));
  const { count } = await editCycle(roll, doc, edited, onset, end, 7);

  // The CLI renders a project's document through the same cache and says what it reused.
  const r = await runCli(['render', '--project', project, '--document', 'score-edit', '--model', roll.file, '--seed', '7', '--batch', '2']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^segments: 0 rendered, ${count} reused$`, 'm'));
});

test('mel sheet: a region edit re-renders only the segments that read it; equal to an uncached render, and to the first outside them', async () => {
  const audio = await loadMono(path.join(corpus, 'speech/en-us/utt01.wav'), 16000);
  const features = logMel(audio, melSettingsFor(16000, mel.cfg.hop));
  const frames = 200; // 2.5 s: 5 segments
  const sheet = featuresToMelSheet({ frames, bins: features.bins, data: features.data.slice(0, frames * features.bins) });
  const doc: MelDocument = { id: 'sheet', name: 'Sheet', kind: 'mel', sampleRate: 16000, hop: 200, mel: sheet };
  const [from, to] = [150, 160];
  const data = sheet.data.map((v, i) => (Math.floor(i / sheet.bins) >= from && Math.floor(i / sheet.bins) < to ? v + 1.5 : v));
  const edited: MelDocument = { ...doc, id: 'sheet-edit', name: 'Sheet (edited)', mel: { ...sheet, data } };
  const { count, touched, first } = await editCycle(mel, doc, edited, from, to, 3);

  // The original again, with a second take of the same seed: the edited segments are generated once (the
  // second take finds them in the cache), the rest reused, and both takes are the first render's samples.
  const result = await renderToFile({
    model: mel.file, source: { type: 'document', project, id: doc.id }, out: path.join(project, 'renders', 'takes.wav'), format: 'wav32f', project,
    settings: { device: 'cpu', seed: 3, streams: 4 }, variations: [{ seed: 3, temperature: 1 }],
  });
  assert.deepEqual(result.segments, { rendered: touched.length, reused: 2 * count - touched.length, total: 2 * count });
  for (const o of result.outputs) assert.ok(Buffer.from((await samplesOf(o.path)).buffer).equals(Buffer.from(first.buffer)), o.path);
});

test('the cache stays under its bound, least recently used first, and never touches finished renders', async () => {
  const renders = (await fs.readdir(path.join(project, 'renders'))).filter((f) => f.endsWith('.wav'));
  assert.ok(renders.length >= 6);
  const cache = new SegmentCache(cacheDir);
  const { entries, bytes } = await cache.size();
  assert.ok(entries >= 3);
  const names = (await fs.readdir(cacheDir)).sort();
  // Age the entries one second apart, then read the oldest: it becomes the newest.
  for (const [i, name] of names.entries()) await fs.utimes(path.join(cacheDir, name), 1000 + i, 1000 + i);
  const oldest = names[0]!.replace('.mulaw', '');
  assert.ok(await cache.get(oldest, bytes / entries));
  await fs.writeFile(path.join(cacheDir, 'notes.txt'), 'not an entry');
  assert.equal(await cache.prune(2 * (bytes / entries)), entries - 2);
  assert.deepEqual((await fs.readdir(cacheDir)).sort(), [`${oldest}.mulaw`, names.at(-1)!, 'notes.txt'].sort());
  assert.deepEqual((await fs.readdir(path.join(project, 'renders'))).filter((f) => f.endsWith('.wav')), renders);
  // A damaged entry is a miss, not an error.
  await fs.writeFile(cache.file(oldest), 'short');
  assert.equal(await cache.get(oldest, bytes / entries), null);
});
