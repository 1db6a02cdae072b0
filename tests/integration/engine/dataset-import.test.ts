// Importing a project dataset with real files and real decoders: the corpus (speech, music with
// MIDI, every format) plus a folder of what real disks hold — empty, garbage and cut-off files, a
// text file called .flac, link loops, an unreadable file, a unicode name.
import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { DatasetManifest } from '../../../main/contract/domain/index';
import { readCacheFile } from '../../../main/engine/dataset/cache';
import {
  datasetFiles, datasetInfo, fileDetail, importDataset, loadProjectDataset, setExcluded, type ImportProgress,
} from '../../../main/engine/dataset/import/index';
import { preset, withCondition } from '../../../main/engine/model/config';
import { addDataset, datasetDir, listDatasets, removeDataset, updateDataset } from '../../../main/engine/project/datasets';
import { readManifest } from '../../../main/engine/project/manifest';
import { createProject } from '../../../main/engine/project/project-file';
import { defaultTrainOptions } from '../../../main/engine/train/options';
import { train } from '../../../main/engine/train/trainer';
import { wavBytes, tone } from '../../unit/engine/dataset/fixtures';
import { corpus, tempDir } from '../../helpers/paths';

const isRoot = process.getuid?.() === 0;
const CORPUS_AUDIO = 37; // 30 speech utterances, 1 music piece, 6 format samples
const UNICODE = 'ünïcødé 声.wav';

/** A copy of the corpus and a folder of bad files beside it, in a fresh project. */
async function setup(prefix: string): Promise<{ work: string; project: string; rec: string; bad: string }> {
  const work = tempDir(prefix);
  const rec = path.join(work, 'recordings');
  cpSync(corpus, rec, { recursive: true });
  const bad = path.join(rec, 'zz-bad');
  mkdirSync(bad);
  writeFileSync(path.join(bad, 'empty.wav'), new Uint8Array(0));
  writeFileSync(path.join(bad, 'garbage.wav'), Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251));
  const whole = readFileSync(path.join(corpus, 'speech/en-us/utt05.wav'));
  writeFileSync(path.join(bad, 'cut.wav'), whole.subarray(0, Math.floor(whole.length * 0.6)));
  writeFileSync(path.join(bad, 'text.flac'), 'This is a text file that someone named .flac\n');
  writeFileSync(path.join(bad, '.hidden.wav'), new Uint8Array(10));
  cpSync(path.join(corpus, 'speech/en-gb/utt02.wav'), path.join(bad, UNICODE));
  cpSync(path.join(corpus, 'speech/en-us/utt07.wav'), path.join(bad, 'locked.wav'));
  chmodSync(path.join(bad, 'locked.wav'), 0o000);
  mkdirSync(path.join(bad, 'locked-folder'));
  cpSync(path.join(corpus, 'speech/en-us/utt09.wav'), path.join(bad, 'locked-folder', 'inside.wav'));
  chmodSync(path.join(bad, 'locked-folder'), 0o000);
  symlinkSync('..', path.join(bad, 'loop')); // a folder link back up: would recurse forever
  symlinkSync('self.wav', path.join(bad, 'self.wav')); // a link to itself (ELOOP)
  const project = path.join(work, 'Project');
  await createProject(project, 'Test');
  return { work, project, rec, bad };
}

const byPath = (m: DatasetManifest) => new Map(m.files.map((f) => [f.path, f]));

test('import: every good file in with its stats, every bad one reported with its reason, the cut-off one used with a warning', async () => {
  const { project, rec, bad } = await setup('import');
  const ds = await addDataset(project, { name: 'Everything', folders: [rec], settings: { classes: 'per-subfolder' } });
  assert.equal(ds.id, 'everything');
  const progress: ImportProgress[] = [];
  const summary = await importDataset(project, ds.id, { onProgress: (p) => progress.push(p) });

  // + the unicode name and the cut-off copy (+ the locked file and the file in the locked folder, as root)
  const goodCount = CORPUS_AUDIO + 2 + (isRoot ? 2 : 0);
  assert.equal(summary.filesUsed, goodCount);
  const found = CORPUS_AUDIO + 6 + (isRoot ? 1 : 0);
  assert.equal(summary.added, found, 'every audio file found is new (used or skipped)');
  assert.equal(summary.cancelled, false);
  const m = await readManifest(project, ds.id);
  assert.equal(m.complete, true);
  const files = byPath(m);
  const skipped = new Map(m.skipped.map((s) => [s.path, s.reason]));

  // The bad ones, each with a one-line reason that says what is wrong.
  assert.match(skipped.get(path.join(bad, 'empty.wav'))!, /empty \(0 bytes\)/);
  assert.match(skipped.get(path.join(bad, 'garbage.wav'))!, /not a WAV, FLAC, Ogg Vorbis or MP3/);
  assert.match(skipped.get(path.join(bad, 'text.flac'))!, /not a WAV, FLAC, Ogg Vorbis or MP3/);
  assert.match(skipped.get(path.join(bad, 'loop'))!, /link back to a folder already scanned/);
  assert.match(skipped.get(path.join(bad, 'self.wav'))!, /points back to itself/);
  for (const reason of skipped.values()) assert.ok(!reason.includes('\n'), reason);
  // Unreadable: as root chmod does not stop reads, so the file is simply used; otherwise reported.
  const locked = path.join(bad, 'locked.wav');
  const lockedFolder = path.join(bad, 'locked-folder');
  if (isRoot) {
    assert.ok(files.has(locked), 'root reads a chmod 000 file: it is imported');
    assert.ok(files.has(path.join(lockedFolder, 'inside.wav')), 'and lists a chmod 000 folder');
  } else {
    assert.match(skipped.get(locked)!, /could not be read \(permission denied\)/);
    assert.match(skipped.get(lockedFolder)!, /folder could not be read \(permission denied\)/);
  }
  assert.equal([...skipped.keys()].filter((p) => p.includes('.hidden')).length, 0, 'hidden files are not even looked at');
  assert.equal(files.size + skipped.size, goodCount + 5 + (isRoot ? 0 : 2));

  // The cut-off copy is used, with the decoder's warning; the unicode name round-trips.
  const cut = files.get(path.join(bad, 'cut.wav'))!;
  assert.match(cut.warnings![0]!, /missing\): the copy is cut off/);
  assert.ok(files.has(path.join(bad, UNICODE)));

  // Per-file stats from the real decoders.
  const stereo = files.get(path.join(rec, 'formats/stereo-44k-24bit.wav'))!;
  assert.equal(stereo.sampleRate, 44100);
  assert.equal(stereo.channels, 2);
  assert.equal(files.get(path.join(rec, 'formats/utt01-48k.ogg'))!.sampleRate, 48000);
  assert.equal(files.get(path.join(rec, 'formats/utt01-22k.flac'))!.sampleRate, 22050);
  for (const f of m.files) {
    assert.match(f.sha256, /^[0-9a-f]{64}$/);
    assert.ok(f.seconds > 0.1 && f.peakDb! <= 0 && f.loudnessDb! < f.peakDb! && f.clipped! >= 0, JSON.stringify(f));
    assert.ok(Math.abs(f.dcOffset!) < 0.1);
    assert.equal(f.className, f.relative!.split('/')[0]);
  }
  assert.equal(files.get(path.join(rec, 'music/piece1.wav'))!.hasMidi, true);
  assert.equal(files.get(path.join(rec, 'speech/en-us/utt01.wav'))!.hasMidi, false);

  // The cache holds what training reads: mu-law samples at 16 kHz and 80-bin log-mel frames.
  const utt = files.get(path.join(rec, 'formats/utt01-48k.ogg'))!;
  const cached = await readCacheFile(path.join(datasetDir(project, ds.id), utt.cache!));
  assert.equal(cached.header.sampleRate, 16000);
  assert.equal(cached.samples.length, Math.round(utt.seconds * 16000));
  assert.equal(cached.features!.bins, 80);
  assert.equal(cached.features!.frames, 1 + Math.floor(cached.samples.length / 200));

  // Progress: files done of total, audio seconds growing, an ETA once under way.
  const importing = progress.filter((p) => p.phase === 'importing');
  assert.equal(importing.length, found, 'one report per audio file (the links are scan problems)');
  assert.equal(importing.at(-1)!.filesDone, importing.at(-1)!.filesTotal);
  assert.ok(importing.at(-1)!.audioSeconds > 130);
  assert.ok(importing.some((p) => p.etaSeconds !== null));

  const info = await datasetInfo(project, ds.id);
  assert.equal(info.files_used, goodCount);
  assert.equal(info.problems.truncated, 1);
  assert.deepEqual(info.channels, { 1: goodCount - 2, 2: 2 });
  assert.ok(Object.keys(info.sample_rates).length >= 4, 'a mix of rates');
  assert.deepEqual(Object.keys(info.classes).sort(), ['formats', 'music', 'speech', 'zz-bad']);
  assert.equal(info.train_files + info.val_files, goodCount);
  assert.ok(info.val_files >= 3);
  assert.ok(Math.abs(info.seconds - (info.train_seconds + info.val_seconds)) < 1e-6);
  assert.equal(info.complete, true);
});

test('refresh: a changed file is the only one imported again; a deleted one is dropped with its cache; exclusions survive', async () => {
  const { project, rec } = await setup('refresh');
  const ds = await addDataset(project, { name: 'Voice', folders: [path.join(rec, 'speech')] });
  const first = await importDataset(project, ds.id);
  assert.deepEqual([first.added, first.changed, first.removed, first.unchanged], [30, 0, 0, 0]);
  const cacheDir = path.join(datasetDir(project, ds.id), 'cache');
  const cacheStat = async () => new Map(await Promise.all((await fs.readdir(cacheDir)).map(async (n) => [n, (await fs.stat(path.join(cacheDir, n))).mtimeMs] as const)));
  const before = await cacheStat();
  assert.equal(before.size, 30);

  const excludedPath = path.join(rec, 'speech/en-gb/utt04.wav');
  await setExcluded(project, ds.id, [excludedPath], true);

  // Nothing changed: nothing is decoded or written.
  const again = await importDataset(project, ds.id);
  assert.deepEqual([again.added, again.changed, again.removed, again.unchanged], [0, 0, 0, 30]);
  assert.deepEqual(await cacheStat(), before);

  // One file rewritten: only it is imported again.
  const changed = path.join(rec, 'speech/en-us/utt09.wav');
  const oldHash = byPath(await readManifest(project, ds.id)).get(changed)!.sha256;
  writeFileSync(changed, wavBytes(tone(1.5, 16000, 330), 16000));
  const r1 = await importDataset(project, ds.id);
  assert.deepEqual([r1.added, r1.changed, r1.removed, r1.unchanged], [0, 1, 0, 29]);
  const m1 = await readManifest(project, ds.id);
  const entry = byPath(m1).get(changed)!;
  assert.notEqual(entry.sha256, oldHash);
  assert.equal(entry.seconds, 1.5);
  const after = await cacheStat();
  assert.equal(after.size, 30, 'the old version of the changed file is gone from the cache');
  for (const [name, mtime] of after) if (before.has(name)) assert.equal(mtime, before.get(name), `${name} untouched`);
  assert.equal(byPath(m1).get(excludedPath)!.excluded, true, 'the exclusion survived the refresh');

  // Touched but not changed (same bytes, new mtime): hashed, found equal, reused.
  const touched = path.join(rec, 'speech/en-us/utt11.wav');
  await fs.utimes(touched, new Date(), new Date(Date.now() + 5000));
  const r2 = await importDataset(project, ds.id);
  assert.deepEqual([r2.added, r2.changed, r2.removed, r2.unchanged], [0, 0, 0, 30]);

  // One file deleted: dropped from the manifest, its cache file deleted.
  const gone = path.join(rec, 'speech/en-us/utt13.wav');
  const goneCache = byPath(m1).get(gone)!.cache!;
  await fs.rm(gone);
  const r3 = await importDataset(project, ds.id);
  assert.deepEqual([r3.added, r3.changed, r3.removed, r3.unchanged], [0, 0, 1, 29]);
  assert.equal(r3.filesUsed, 29);
  assert.ok(!byPath(await readManifest(project, ds.id)).has(gone));
  await assert.rejects(fs.access(path.join(datasetDir(project, ds.id), goneCache)));
  const info = await datasetInfo(project, ds.id);
  assert.equal(info.files_used, 28);
  assert.equal(info.files_excluded, 1);

  // New settings re-import everything (at the new rate).
  await updateDataset(project, ds.id, { settings: { condition: 'none' } });
  const r4 = await importDataset(project, ds.id);
  assert.deepEqual([r4.added, r4.changed, r4.removed, r4.unchanged], [0, 29, 0, 0]);
  assert.equal((await readManifest(project, ds.id)).condition, 'none');
  assert.equal((await fs.readdir(cacheDir)).length, 29);
});

test('the split is the same on every fresh import, wherever the folder is; the seed changes it', async () => {
  const splitOf = async (parent: string, seed = 1) => {
    const work = tempDir(parent);
    const rec = path.join(work, 'some', 'deeper', 'place', 'speech');
    cpSync(path.join(corpus, 'speech'), rec, { recursive: true });
    const project = path.join(work, 'P');
    await createProject(project, 'P');
    const ds = await addDataset(project, { name: 'S', folders: [rec], settings: { seed, valFraction: 0.2, condition: 'none' } });
    await importDataset(project, ds.id);
    return (await readManifest(project, ds.id)).files.map((f) => `${f.relative}:${f.split}`).sort();
  };
  const a = await splitOf('split-a');
  const b = await splitOf('split-b');
  assert.deepEqual(a, b);
  assert.equal(a.filter((s) => s.endsWith(':val')).length, 6);
  assert.notDeepEqual(await splitOf('split-c', 7), a);
});

test('cancel keeps what was imported (complete: false); the next import reuses it and finishes', async () => {
  const { project, rec } = await setup('cancel');
  const ds = await addDataset(project, { name: 'Voice', folders: [path.join(rec, 'speech')] });
  const controller = new AbortController();
  const cut = await importDataset(project, ds.id, {
    signal: controller.signal,
    onProgress: (p) => {
      if (p.phase === 'importing' && p.filesDone === 8) controller.abort();
    },
  });
  assert.equal(cut.cancelled, true);
  // The files in flight when the cancel came are finished too (a few at most).
  const kept = cut.filesUsed;
  assert.ok(kept >= 8 && kept <= 12, `${kept} files kept`);
  const partial = await readManifest(project, ds.id);
  assert.equal(partial.complete, false);
  assert.equal(partial.files.length, kept);
  assert.equal((await datasetInfo(project, ds.id)).complete, false);
  assert.equal((await fs.readdir(path.join(datasetDir(project, ds.id), 'cache'))).length, kept);

  const rest = await importDataset(project, ds.id);
  assert.equal(rest.cancelled, false);
  assert.deepEqual([rest.added, rest.changed, rest.removed, rest.unchanged], [30 - kept, 0, 0, kept]);
  const full = await readManifest(project, ds.id);
  assert.equal(full.complete, true);
  assert.equal(full.files.length, 30);
  for (const f of partial.files) assert.equal(byPath(full).get(f.path)!.cache, f.cache);
});

test('piano roll: files without a .mid beside them are skipped with that reason; the Datasets view gets peaks, features and notes', async () => {
  const { project, rec } = await setup('pianoroll');
  const folder = path.join(rec, 'music');
  cpSync(path.join(corpus, 'speech/en-us/utt01.wav'), path.join(folder, 'spoken.wav'));
  const ds = await addDataset(project, { name: 'Piano', folders: [folder], settings: { condition: 'pianoroll', trimSilenceDb: -50, normalizeDb: -20 } });
  const summary = await importDataset(project, ds.id);
  assert.equal(summary.filesUsed, 1);
  const info = await datasetInfo(project, ds.id);
  assert.equal(info.problems.missing_midi, 1);
  assert.match(info.files_skipped[0]!.reason, /No MIDI file beside spoken\.wav: piano-roll conditioning needs spoken\.mid/);
  const [file] = await datasetFiles(project, ds.id);
  assert.equal(file!.hasMidi, true);
  assert.match(file!.midiSha256!, /^[0-9a-f]{64}$/);

  const detail = await fileDetail(project, ds.id, file!.path);
  assert.equal(detail.peaks.min.length, 2000);
  assert.equal(detail.peaks.max.length, 2000);
  assert.ok(detail.peaks.min.every((v, i) => v <= detail.peaks.max[i]!));
  assert.equal(detail.features!.bins, 256);
  assert.equal(detail.features!.hop, 200);
  assert.equal(detail.features!.data.length, detail.features!.frames * 256);
  assert.ok(detail.features!.data.some((v) => v > 0), 'notes sound in the roll');
  assert.ok(detail.notes!.length > 10);
  await assert.rejects(fileDetail(project, ds.id, path.join(folder, 'spoken.wav')), { code: 'FILE_NOT_FOUND' });

  // Normalised to -20 dBFS RMS (or less when the peak would clip), trimmed: the cached audio says so.
  const cached = await readCacheFile(path.join(datasetDir(project, ds.id), file!.cache!));
  let squares = 0;
  const { mulawDecode } = await import('../../../main/engine/dsp/mulaw');
  const x = mulawDecode(cached.samples);
  for (const v of x) squares += v * v;
  const rmsDb = 10 * Math.log10(squares / x.length);
  assert.ok(rmsDb < -19 && rmsDb > -30, `levelled to ${rmsDb.toFixed(1)} dBFS`);
});

test('training reads the cache: with the recordings gone, 2 steps of tiny train from the project dataset', async () => {
  const { work, project, rec } = await setup('train');
  const source = path.join(rec, 'speech');
  const ds = await addDataset(project, { name: 'Voice', folders: [source], settings: { classes: 'per-subfolder' } });
  await importDataset(project, ds.id);
  const manifest = await readManifest(project, ds.id);
  // The spy: nothing of the source is left where the manifest says it is.
  await fs.rename(source, path.join(work, 'moved-away'));

  const dataset = await loadProjectDataset(project, ds.id, { expect: { sampleRate: 16000, hop: 200, condition: 'mel' } });
  assert.equal(dataset.items.length, 30);
  assert.deepEqual(dataset.items.map((it) => it.split), manifest.files.map((f) => f.split), 'the split the manifest shows');
  assert.deepEqual(new Set(dataset.items.map((it) => it.classId)), new Set([0, 1]));
  await assert.rejects(loadProjectDataset(project, ds.id, { expect: { sampleRate: 24000, hop: 300, condition: 'mel' } }), /imported at 16000 Hz, hop 200/);

  const model = { ...withCondition(preset('tiny'), 'mel'), globalClasses: 2, classNames: ['en-gb', 'en-us'] };
  const training = { ...defaultTrainOptions('tiny'), steps: 2, threads: 2, validateEvery: 2, device: 'cpu' as const };
  const runDir = path.join(project, 'runs', 'r1');
  const summary = await train({
    runDir, resume: false,
    config: {
      schemaVersion: 1, model, training, preset: 'tiny', createdAt: new Date().toISOString(),
      data: { folders: [source], project, dataset: ds.id },
    },
  });
  assert.equal(summary.step, 2);
  assert.ok(summary.trainLoss !== null && Number.isFinite(summary.trainLoss));
  assert.ok(summary.valLoss !== null, 'validation ran on the manifest\'s validation files');
});

test('datasets in project.json: unique names, slug ids, remove deletes the dataset folder and never the recordings', async () => {
  const { project, rec } = await setup('crud');
  const a = await addDataset(project, { name: 'Mÿ Voice (2024)', folders: [path.join(rec, 'speech/en-us')] });
  assert.equal(a.id, 'my-voice-2024');
  await assert.rejects(addDataset(project, { name: 'mÿ voice (2024)', folders: [rec] }), /already has a dataset named/);
  const b = await addDataset(project, { name: '声', folders: [path.join(rec, 'music')], settings: { condition: 'none', seed: 4 } });
  assert.match(b.id, /^[0-9a-z]{9}-[0-9a-f]{8}$/, 'a name with no ASCII letters gets a new id');
  const renamed = await updateDataset(project, b.id, { name: 'Music', settings: { valFraction: 0.3 } });
  assert.equal(renamed.settings!.seed, 4, 'a partial update keeps the other settings');
  assert.equal(renamed.settings!.valFraction, 0.3);
  await importDataset(project, a.id);
  await removeDataset(project, a.id);
  assert.deepEqual((await listDatasets(project)).map((d) => d.name), ['Music']);
  await assert.rejects(fs.access(datasetDir(project, a.id)));
  assert.equal((await fs.readdir(path.join(rec, 'speech/en-us'))).length, 15, 'the recordings are untouched');
  await assert.rejects(removeDataset(project, a.id), { code: 'FILE_NOT_FOUND' });
});
