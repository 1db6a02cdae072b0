import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  createProject, openProject, saveProject, withDataset, newId, checkId,
  writeDocument, readDocument, listDocuments, melSheetToFeatures, featuresToMelSheet,
  writeRenderSidecar, readRenderSidecar, listRenderSidecars, type EditorDocument, type RenderSidecar,
} from '../../../../main/engine/project/index';
import { StudioError } from '../../../../main/engine/errors';
import { tempDir } from '../dataset/fixtures';

function isCode(code: string, pattern?: RegExp) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof StudioError, `expected a StudioError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.ok(!e.message.includes('\n'), 'one-line message');
    if (pattern) assert.match(e.message, pattern);
    return true;
  };
}

/** Only the final file remains: no temp files beside it. */
async function onlyFiles(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).sort();
}

test('createProject writes project.json and the standard folders; openProject reads it back', async () => {
  const dir = path.join(await tempDir('proj'), 'My Project');
  const created = await createProject(dir, '  My Project ');
  assert.deepEqual(created, { name: 'My Project', schemaVersion: 1, sampleRate: 16000, datasets: [] });
  assert.deepEqual(await onlyFiles(dir), ['datasets', 'documents', 'project.json', 'renders', 'runs']);
  assert.deepEqual(await openProject(dir), created);
  const onDisk = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
  assert.equal(onDisk.schemaVersion, 1);
  await assert.rejects(createProject(dir, 'again'), isCode('BAD_OPTION', /already a project/));
});

test('saveProject round-trips datasets; saving twice leaves one valid file', async () => {
  const dir = await tempDir('proj');
  const p0 = await createProject(dir, 'Songs', { sampleRate: 22050 });
  const p1 = withDataset(p0, { id: 'piano', name: 'Piano takes', folders: ['/audio/piano'], condition: 'pianoroll' });
  await saveProject(dir, p1);
  const p2 = withDataset(p1, { id: 'piano', name: 'Piano (all)', folders: ['/audio/piano', '/audio/more'], condition: 'pianoroll' });
  const p3 = withDataset(p2, { id: 'voice', name: 'Voice', folders: ['/audio/voice'], condition: 'mel' });
  await saveProject(dir, p3);
  assert.deepEqual(await openProject(dir), p3);
  assert.equal(p3.datasets.length, 2);
  assert.deepEqual(await onlyFiles(dir), ['datasets', 'documents', 'project.json', 'renders', 'runs']);
});

test('openProject: missing, not JSON, wrong shape, newer schema are typed one-line errors', async () => {
  const dir = await tempDir('proj');
  await assert.rejects(openProject(dir), isCode('FILE_NOT_FOUND', /not a project/));
  const file = path.join(dir, 'project.json');
  await fs.writeFile(file, '{"name": "x", ');
  await assert.rejects(openProject(dir), isCode('PROJECT_INVALID', /not valid JSON/));
  await fs.writeFile(file, JSON.stringify({ name: 'x', schemaVersion: 1, sampleRate: 'fast', datasets: [] }));
  await assert.rejects(openProject(dir), isCode('PROJECT_INVALID', /sampleRate/));
  await fs.writeFile(file, JSON.stringify({ name: 'x', schemaVersion: 1, sampleRate: 16000, datasets: [{ id: '../evil', name: 'e', folders: ['/a'], condition: 'mel' }] }));
  await assert.rejects(openProject(dir), isCode('PROJECT_INVALID', /datasets\.0\.id/));
  await fs.writeFile(file, JSON.stringify({ name: 'x', schemaVersion: 7, sampleRate: 16000, datasets: [] }));
  await assert.rejects(openProject(dir), isCode('PROJECT_INVALID', /newer/));
});

test('saveProject refuses an invalid project and leaves the good file alone', async () => {
  const dir = await tempDir('proj');
  const p = await createProject(dir, 'Keep');
  await assert.rejects(saveProject(dir, { ...p, sampleRate: -1 }), isCode('BAD_OPTION'));
  assert.deepEqual(await openProject(dir), p);
});

test('ids: new ids are valid, unique and sort by time; path tricks are refused', () => {
  const a = newId(new Date(1_000_000));
  const b = newId(new Date(2_000_000));
  assert.ok(a < b);
  assert.notEqual(newId(), newId());
  checkId(a, 'document');
  for (const bad of ['../x', 'a/b', '', '.hidden', 'a b', 'x'.repeat(65)]) {
    assert.throws(() => checkId(bad, 'document'), isCode('BAD_OPTION'));
  }
});

test('documents: notes and mel round-trip; bad ones are typed errors; list reports invalid files', async () => {
  const dir = await tempDir('proj');
  const notesDoc: Extract<EditorDocument, { kind: 'score' }> = {
    id: 'melody', name: 'Melody', kind: 'score', sampleRate: 16000, hop: 200, tempo: 96, timeSignature: { beats: 3, unit: 4 },
    notes: [{ pitch: 60, start: 0, duration: 0.5, velocity: 0.8 }, { pitch: 64, start: 0.5, duration: 0.25, velocity: 1 }],
  };
  const melFeatures = { frames: 3, bins: 2, data: Float32Array.from([-11.5, -3, 0.25, 1, 2, -0.5]) };
  const melDoc: Extract<EditorDocument, { kind: 'mel' }> = { id: 'sheet', name: 'Sheet', kind: 'mel', sampleRate: 16000, hop: 200, mel: featuresToMelSheet(melFeatures) };
  await writeDocument(dir, notesDoc);
  await writeDocument(dir, melDoc);
  await writeDocument(dir, { ...notesDoc, name: 'Melody v2' });
  assert.deepEqual(await readDocument(dir, 'melody'), { ...notesDoc, name: 'Melody v2' });
  const back = await readDocument(dir, 'sheet');
  assert.equal(back.kind, 'mel');
  assert.deepEqual(melSheetToFeatures((back as typeof melDoc).mel), melFeatures);
  assert.deepEqual(await onlyFiles(path.join(dir, 'documents')), ['melody.json', 'sheet.json']);

  await assert.rejects(writeDocument(dir, { ...melDoc, id: 'x', mel: { frames: 2, bins: 2, data: [1, 2, 3] } }), isCode('BAD_OPTION', /mel\.data/));
  await assert.rejects(writeDocument(dir, { id: 'y', name: 'Y', kind: 'score', sampleRate: 16000, hop: 200 } as unknown as EditorDocument), isCode('BAD_OPTION'));
  await assert.rejects(writeDocument(dir, { ...notesDoc, id: 'z', notes: [{ pitch: 200, start: 0, duration: 1, velocity: 1 }] }), isCode('BAD_OPTION', /pitch/));
  await assert.rejects(readDocument(dir, 'missing'), isCode('FILE_NOT_FOUND'));
  await fs.writeFile(path.join(dir, 'documents', 'broken.json'), '[1, 2');
  await assert.rejects(readDocument(dir, 'broken'), isCode('PROJECT_INVALID'));
  await fs.writeFile(path.join(dir, 'documents', 'other.json'), JSON.stringify({ ...notesDoc, id: 'melody' }));
  await assert.rejects(readDocument(dir, 'other'), isCode('PROJECT_INVALID', /says its id/));

  const listed = await listDocuments(dir);
  assert.deepEqual(listed.documents.map((d) => d.id).sort(), ['melody', 'melody', 'sheet']);
  assert.equal(listed.invalid.length, 1);
  assert.match(listed.invalid[0]!.path, /broken\.json$/);
});

test('render sidecars round-trip; invalid ones are refused or reported', async () => {
  const dir = await tempDir('proj');
  const s: RenderSidecar = {
    id: 'r1', createdAt: new Date(0).toISOString(), model: 'runs/abc/model.onnx', document: 'melody',
    conditioning: 'documents/melody.json', seed: 7, temperature: 0.9, streams: 2, globalClass: null, sampleRate: 16000, seconds: 2.5,
    format: 'wav16', file: 'r1.wav',
  };
  await writeRenderSidecar(dir, s);
  await writeRenderSidecar(dir, { ...s, seed: 8 });
  assert.deepEqual(await readRenderSidecar(dir, 'r1'), { ...s, seed: 8 });
  await writeRenderSidecar(dir, { ...s, id: 'r2', document: null, file: 'r2.flac' });
  assert.equal((await readRenderSidecar(dir, 'r2')).document, null);
  assert.deepEqual(await onlyFiles(path.join(dir, 'renders')), ['r1.json', 'r2.json']);

  await assert.rejects(writeRenderSidecar(dir, { ...s, id: 'r3', file: '../r3.wav' }), isCode('BAD_OPTION', /file/));
  await assert.rejects(writeRenderSidecar(dir, { ...s, id: 'r3', file: 'r3.mp3' }), isCode('BAD_OPTION'));
  await assert.rejects(writeRenderSidecar(dir, { ...s, id: '../r3' }), isCode('BAD_OPTION'));
  await fs.writeFile(path.join(dir, 'renders', 'r4.json'), JSON.stringify({ ...s, id: 'r4', createdAt: 'yesterday' }));
  await assert.rejects(readRenderSidecar(dir, 'r4'), isCode('PROJECT_INVALID', /createdAt/));
  const listed = await listRenderSidecars(dir);
  assert.deepEqual(listed.renders.map((r) => r.id), ['r1', 'r2']);
  assert.equal(listed.invalid.length, 1);
});
