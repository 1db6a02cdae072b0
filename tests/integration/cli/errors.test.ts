import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { runCli, type CliResult } from '../../helpers/cli';
import { corpus, tempDir } from '../../helpers/paths';

/** One line on stderr, a non-zero exit, no stack trace. */
function assertOneLineError(r: CliResult, pattern: RegExp): void {
  assert.notEqual(r.code, 0, `expected failure, got exit 0: ${r.stdout}`);
  const lines = r.stderr.trim().split('\n').filter((l) => l.trim());
  assert.equal(lines.length, 1, `expected one line, got:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.match(lines[0]!, pattern);
}

test('train on a folder that does not exist', async () => {
  assertOneLineError(await runCli(['train', '/no/such/folder', '--run', path.join(tempDir('e'), 'run'), '--preset', 'tiny']), /no\/such\/folder/);
});

test('train with an unknown preset or a non-numeric step count', async () => {
  const run = path.join(tempDir('e'), 'run');
  assertOneLineError(await runCli(['train', corpus, '--run', run, '--preset', 'huge']), /preset "huge"/);
  assertOneLineError(await runCli(['train', corpus, '--run', run, '--steps', 'many']), /--steps must be an integer/);
  assertOneLineError(await runCli(['train', corpus, '--run', run, '--condition', 'lyrics']), /--condition/);
});

test('resume a folder that holds no run', async () => {
  assertOneLineError(await runCli(['train', '--run', tempDir('e'), '--resume']), /no config\.json/);
});

test('render with a missing model, a non-model file, or a run without checkpoints', async () => {
  const dir = tempDir('e');
  const fake = path.join(dir, 'fake.onnx');
  await fs.writeFile(fake, 'this is not a model');
  const out = path.join(dir, 'out.wav');
  assertOneLineError(await runCli(['render', '--model', path.join(dir, 'none.onnx'), '--seconds', '1', '--out', out]), /No model at/);
  assertOneLineError(await runCli(['render', '--model', fake, '--seconds', '1', '--out', out]), /not an ONNX model|no WaveNet Studio config/);
  assertOneLineError(await runCli(['render', '--model', dir, '--seconds', '1', '--out', out]), /no checkpoint yet/);
});

test('analyze a non-audio file named .wav, an empty file, and a missing --mel-out', async () => {
  const dir = tempDir('e');
  const bogus = path.join(dir, 'notes.wav');
  await fs.writeFile(bogus, 'Dear diary, today I recorded nothing.');
  const empty = path.join(dir, 'empty.wav');
  await fs.writeFile(empty, '');
  assertOneLineError(await runCli(['analyze', bogus, '--mel-out', path.join(dir, 'x.npy')]), /notes\.wav/);
  assertOneLineError(await runCli(['analyze', empty, '--mel-out', path.join(dir, 'x.npy')]), /empty\.wav/);
  assertOneLineError(await runCli(['analyze', path.join(corpus, 'formats/pcm8.wav')]), /--mel-out/);
});

test('an unknown command or option gets one line', async () => {
  const r = await runCli(['transmogrify']);
  assert.notEqual(r.code, 0);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('render to a place that cannot be written fails at once, before generating, in one line', async () => {
  const dir = tempDir('e');
  const inTheWay = path.join(dir, 'take');
  await fs.writeFile(inTheWay, 'a file where the output folder should be');
  const model = path.join(corpus, '..', 'models', 'tiny-en-gb.onnx');
  const r = await runCli(['render', '--model', model, '--mel-from', path.join(corpus, 'speech/en-us/utt01.wav'), '--out', path.join(inTheWay, 'out.wav')]);
  assertOneLineError(r, /Cannot write to .*take: part of the path is a file, not a folder/);
  assert.doesNotMatch(r.stdout + r.stderr, /generating/);
});

test('train into a folder that cannot be made ends with one line, not a hang (Linux /proc)', { skip: process.platform !== 'linux' }, async () => {
  const r = await runCli(['train', path.join(corpus, 'speech/en-us'), '--run', '/proc/wavenet-studio-test/run', '--preset', 'tiny', '--steps', '2'], 30_000);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Could not use \/proc\/wavenet-studio-test: no such file or folder there/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
