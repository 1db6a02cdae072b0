import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readManifest, writeManifest, manifestPath } from '../../../../main/engine/project/index';
import type { Dataset } from '../../../../main/engine/dataset/types';
import { StudioError } from '../../../../main/engine/errors';
import { tempDir, tone, writeWav } from '../dataset/fixtures';

/** A dataset record over real files on disk (the manifest only reads the files to hash them). */
async function datasetOver(dir: string): Promise<Dataset> {
  const a = path.join(dir, 'audio', 'a.wav');
  const b = path.join(dir, 'audio', 'sub', 'b.wav');
  await writeWav(a, tone(0.5, 16000, 220), 16000);
  await writeWav(b, tone(0.25, 16000, 330), 16000);
  return {
    folders: [path.join(dir, 'audio')], sampleRate: 16000, hop: 200, condition: 'none', featureBins: 0, silence: null, warnings: [],
    items: [
      { path: a, samples: new Uint8Array(8000), features: null, split: 'train', classId: 0, seconds: 0.5 },
      { path: b, samples: new Uint8Array(4000), features: null, split: 'val', classId: 0, seconds: 0.25 },
    ],
    skipped: [{ path: path.join(dir, 'audio', 'bad.wav'), reason: 'Not a WAV file.' }],
  };
}

test('writeManifest records hashes, durations, splits and skipped files; readManifest returns them', async () => {
  const dir = await tempDir('manifest');
  const ds = await datasetOver(dir);
  const when = new Date('2024-05-01T12:00:00Z');
  const written = await writeManifest(dir, ds, 'voice', when);
  const back = await readManifest(dir, 'voice');
  assert.deepEqual(back, written);
  assert.equal(back.createdAt, '2024-05-01T12:00:00.000Z');
  assert.deepEqual(back.folders, ds.folders);
  assert.equal(back.hop, 200);
  for (const [i, f] of back.files.entries()) {
    const expect = createHash('sha256').update(await fs.readFile(ds.items[i]!.path)).digest('hex');
    assert.equal(f.sha256, expect);
    assert.equal(f.split, ds.items[i]!.split);
    assert.equal(f.seconds, ds.items[i]!.seconds);
  }
  assert.notEqual(back.files[0]!.sha256, back.files[1]!.sha256);
  assert.deepEqual(back.skipped, ds.skipped);
  // Writing again replaces the file whole: one manifest, no temp files beside it.
  await writeManifest(dir, { ...ds, skipped: [] }, 'voice', when);
  assert.deepEqual((await readManifest(dir, 'voice')).skipped, []);
  assert.deepEqual(await fs.readdir(path.dirname(manifestPath(dir, 'voice'))), ['manifest.json']);
});

test('readManifest: missing or damaged manifests are typed errors', async () => {
  const dir = await tempDir('manifest');
  await assert.rejects(readManifest(dir, 'nope'), { code: 'FILE_NOT_FOUND' });
  const file = manifestPath(dir, 'bad');
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, JSON.stringify({ id: 'bad', folders: ['/a'], condition: 'mel', sampleRate: 16000, hop: 200, files: [{ path: '/a/x.wav', sha256: 'zz', seconds: 1, split: 'train' }], skipped: [], createdAt: new Date().toISOString() }));
  await assert.rejects(readManifest(dir, 'bad'), (e: unknown) => e instanceof StudioError && e.code === 'PROJECT_INVALID' && /files\.0\.sha256/.test(e.message));
  assert.throws(() => manifestPath(dir, '../../etc'), { code: 'BAD_OPTION' });
});

test('writeManifest reports a file that vanished since the import', async () => {
  const dir = await tempDir('manifest');
  const ds = await datasetOver(dir);
  await fs.rm(ds.items[1]!.path);
  await assert.rejects(writeManifest(dir, ds, 'voice'), (e: unknown) => e instanceof StudioError && e.code === 'FILE_NOT_FOUND' && /b\.wav/.test(e.message));
  await assert.rejects(readManifest(dir, 'voice'), { code: 'FILE_NOT_FOUND' });
});
