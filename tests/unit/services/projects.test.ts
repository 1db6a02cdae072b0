import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ProjectRegistry } from '../../../main/services/projects';
import { tempDir } from '../../helpers/paths';

test('create makes <location>/<name> with a project file, and recent projects list newest first, once each', async () => {
  const registry = new ProjectRegistry(tempDir('home'));
  const location = tempDir('projects');
  const voice = await registry.create(location, 'Voice');
  assert.equal(voice.path, path.join(location, 'Voice'));
  assert.equal(JSON.parse(readFileSync(path.join(voice.path, 'project.json'), 'utf8')).name, 'Voice');
  const cello = await registry.create(location, 'Cello: studies');
  assert.equal(cello.path, path.join(location, 'Cello- studies'), 'characters a folder name cannot hold are replaced');
  assert.deepEqual((await registry.list()).map((p) => p.name), ['Cello: studies', 'Voice']);
  await registry.open(voice.path);
  assert.deepEqual((await registry.list()).map((p) => p.name), ['Voice', 'Cello: studies']);
});

test('create refuses a missing location, a file as location and a non-empty target, creating nothing', async () => {
  const registry = new ProjectRegistry(tempDir('home'));
  const location = tempDir('projects');
  const missing = path.join(location, 'typo', 'deeper');
  await assert.rejects(registry.create(missing, 'Voice'), { code: 'FILE_NOT_FOUND', message: /typo\/deeper does not exist; choose an existing location/ });
  assert.equal(existsSync(path.join(location, 'typo')), false);
  const file = path.join(location, 'notes.txt');
  writeFileSync(file, 'x');
  await assert.rejects(registry.create(file, 'Voice'), { code: 'BAD_OPTION', message: /notes\.txt is a file, not a folder/ });
  mkdirSync(path.join(location, 'Busy'));
  writeFileSync(path.join(location, 'Busy', 'song.wav'), 'x');
  await assert.rejects(registry.create(location, 'Busy'), { code: 'BAD_OPTION', message: /Busy already exists and is not empty/ });
  assert.deepEqual(await registry.list(), []);
});

test('open refuses a folder that is not a project; an unreadable recent list starts empty', async () => {
  const home = tempDir('home');
  const registry = new ProjectRegistry(home);
  await assert.rejects(registry.open(tempDir('plain')), { code: 'FILE_NOT_FOUND', message: /is not a project \(no project\.json\)/ });
  writeFileSync(path.join(home, 'recent-projects.json'), '{ not json');
  assert.deepEqual(await registry.list(), []);
  const created = await registry.create(tempDir('projects'), 'Voice');
  assert.deepEqual((await registry.list()).map((p) => p.path), [created.path]);
});
