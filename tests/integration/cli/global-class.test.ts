import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { decodeAudioFile } from '../../../main/engine/audio/decode';
import { runCli } from '../../helpers/cli';
import { corpus, tempDir } from '../../helpers/paths';

test('--class-per-folder trains one global class per folder; render picks one by name or number', async () => {
  const dir = tempDir('classes');
  const run = path.join(dir, 'run');
  const folders = [path.join(corpus, 'speech/en-us'), path.join(corpus, 'speech/en-gb')];
  const t = await runCli(['train', ...folders, '--class-per-folder', '--run', run, '--preset', 'tiny', '--condition', 'none', '--steps', '10', '--length', '2000', '--batch', '4', '--threads', '2']);
  assert.equal(t.code, 0, t.stderr);
  const cfg = JSON.parse(await fs.readFile(path.join(run, 'config.json'), 'utf8'));
  assert.equal(cfg.model.globalClasses, 2);
  assert.deepEqual(cfg.model.classNames, ['en-us', 'en-gb']);
  const info = await runCli(['info', run]);
  assert.match(info.stdout, /2 global classes \(en-us, en-gb\)/);

  const render = async (cls: string | null, name: string) => {
    const out = path.join(dir, name);
    const r = await runCli(['render', '--model', run, '--seconds', '0.05', '--out', out, '--seed', '9', ...(cls === null ? [] : ['--class', cls])]);
    return { r, out };
  };
  const missing = await render(null, 'none.wav');
  assert.notEqual(missing.r.code, 0);
  assert.match(missing.r.stderr, /2 global classes \(0 = en-us, 1 = en-gb\): choose one with --class/);
  const unknown = await render('fr-fr', 'x.wav');
  assert.match(unknown.r.stderr, /"fr-fr" is not one of this model's classes/);

  const us = await render('en-us', 'us.wav');
  const gb = await render('1', 'gb.wav');
  assert.equal(us.r.code, 0, us.r.stderr);
  assert.equal(gb.r.code, 0, gb.r.stderr);
  assert.equal(JSON.parse(await fs.readFile(`${gb.out}.json`, 'utf8')).globalClass, 'en-gb');
  // Same seed, other class: the class embedding changes every step's distribution.
  const a = (await decodeAudioFile(us.out)).channels[0]!;
  const b = (await decodeAudioFile(gb.out)).channels[0]!;
  assert.notDeepEqual(a, b);

  const one = await runCli(['train', folders[0]!, '--class-per-folder', '--run', path.join(dir, 'one'), '--preset', 'tiny']);
  assert.match(one.stderr, /needs two or more folders/);
});
