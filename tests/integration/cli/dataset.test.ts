// project new → dataset add → refresh → info (text and JSON) → train --project, as a person runs them.
import assert from 'node:assert/strict';
import { cpSync, promises as fs, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DatasetInfoSchema } from '../../../main/contract/domain/index';
import { runCli } from '../../helpers/cli';
import { corpus, tempDir } from '../../helpers/paths';

test('project new, dataset add/refresh/info, train --project from the cache', async () => {
  const work = tempDir('cli-dataset');
  const rec = path.join(work, 'speakers');
  cpSync(path.join(corpus, 'speech'), rec, { recursive: true });
  writeFileSync(path.join(rec, 'en-us', 'broken.wav'), 'not audio');
  const project = path.join(work, 'Studio');

  const created = await runCli(['project', 'new', project, '--name', 'My Studio']);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /created project "My Studio"/);
  assert.equal(JSON.parse(await fs.readFile(path.join(project, 'project.json'), 'utf8')).name, 'My Studio');

  const added = await runCli(['dataset', 'add', project, rec, '--name', 'Voices', '--class-per-folder', '--val', '0.2', '--seed', '3']);
  assert.equal(added.code, 0, added.stderr);
  assert.match(added.stdout, /imported "Voices": 30 files, 1 min 38 s of audio \(24 train \/ 6 validation\), 1 skipped/);
  assert.match(added.stdout, /31 new, 0 changed, 0 removed, 0 unchanged/);
  assert.match(added.stdout, /skipped .*broken\.wav: broken\.wav is not a WAV/);
  assert.match(added.stderr, /import: importing 31\/31/);

  // Nothing changed, then one file changed and one removed.
  const same = await runCli(['dataset', 'refresh', project]);
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stdout, /0 new, 0 changed, 0 removed, 31 unchanged/);
  cpSync(path.join(corpus, 'speech/en-gb/utt02.wav'), path.join(rec, 'en-us', 'utt01.wav'));
  await fs.rm(path.join(rec, 'en-gb', 'utt30.wav'));
  const refreshed = await runCli(['dataset', 'refresh', project, '--name', 'Voices']);
  assert.equal(refreshed.code, 0, refreshed.stderr);
  assert.match(refreshed.stdout, /0 new, 1 changed, 1 removed, 29 unchanged/);

  const json = await runCli(['dataset', 'info', project, '--json']);
  assert.equal(json.code, 0, json.stderr);
  const info = DatasetInfoSchema.parse(JSON.parse(json.stdout));
  assert.equal(info.name, 'Voices');
  assert.equal(info.files_used, 29);
  assert.equal(info.files_skipped.length, 1);
  assert.equal(info.files_skipped[0]!.path, path.join(rec, 'en-us', 'broken.wav'));
  assert.deepEqual(Object.keys(info.classes).sort(), ['en-gb', 'en-us']);
  assert.equal(info.train_files + info.val_files, 29);
  assert.deepEqual(info.warnings, []);
  assert.equal(info.settings.seed, 3);
  assert.ok(info.seconds > 90);

  const text = await runCli(['dataset', 'info', project]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /files: 29 used, 1 skipped, 0 excluded/);
  assert.match(text.stdout, /classes: en-gb .*, en-us /);

  const unknown = await runCli(['dataset', 'info', project, '--name', 'Nope']);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr.trim().split('\n').length, 1);
  assert.match(unknown.stderr, /^error: The project has no dataset "Nope" \(it has "Voices"\)/);

  // Training reads the cache: the recordings can go.
  await fs.rename(rec, path.join(work, 'elsewhere'));
  const trained = await runCli(['train', '--project', project, '--dataset', 'Voices', '--preset', 'tiny', '--steps', '2', '--threads', '2', '--device', 'cpu']);
  assert.equal(trained.code, 0, trained.stderr);
  assert.match(trained.stdout, /finished at step 2/);
  const runs = await fs.readdir(path.join(project, 'runs'));
  assert.equal(runs.length, 1);
  const cfg = JSON.parse(await fs.readFile(path.join(project, 'runs', runs[0]!, 'config.json'), 'utf8'));
  assert.deepEqual({ project: cfg.data.project, dataset: cfg.data.dataset }, { project, dataset: 'voices' });
  assert.deepEqual(cfg.model.classNames, ['en-gb', 'en-us']);

  const noRun = await runCli(['train', path.join(corpus, 'speech')]);
  assert.equal(noRun.code, 1);
  assert.match(noRun.stderr, /^error: Give the run folder with --run <dir>/);
});

test('dataset add refuses a missing folder before changing the project; a project with two datasets needs --name', async () => {
  const work = tempDir('cli-dataset-errors');
  const project = path.join(work, 'P');
  assert.equal((await runCli(['project', 'new', project])).code, 0);
  const missing = await runCli(['dataset', 'add', project, path.join(work, 'nope')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^error: The folder .*nope does not exist: check the path\.\n$/);
  assert.deepEqual(JSON.parse(await fs.readFile(path.join(project, 'project.json'), 'utf8')).datasets, []);

  const music = path.join(work, 'music');
  cpSync(path.join(corpus, 'music'), music, { recursive: true });
  assert.equal((await runCli(['dataset', 'add', project, music, '--condition', 'pianoroll'])).code, 0);
  assert.equal((await runCli(['dataset', 'add', project, music, '--name', 'Again', '--condition', 'none'])).code, 0);
  const which = await runCli(['dataset', 'info', project]);
  assert.equal(which.code, 1);
  assert.match(which.stderr, /The project has 2 datasets \("music", "Again"\): choose one with --name/);
  const bad = await runCli(['dataset', 'add', project, music, '--name', 'X', '--condition', 'wave']);
  assert.match(bad.stderr, /^error: --condition must be mel, pianoroll or none, got "wave"\./);
  const dup = await runCli(['dataset', 'add', project, music, '--name', 'again']);
  assert.match(dup.stderr, /already has a dataset named "again"/);
});
