import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { StudioError } from '../../../../main/engine/errors';
import { readRunConfig, writeRunConfig } from '../../../../main/engine/run/config';
import { runPaths } from '../../../../main/engine/run/paths';
import { tempDir } from '../../../helpers/paths';
import { tinyRunConfig, writeConfig } from './fixtures';

/** A RUN_INVALID error whose message is one line matching `pattern`. */
async function rejectsRunInvalid(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof StudioError, `a StudioError, got ${String(e)}`);
    assert.equal(e.code, 'RUN_INVALID');
    assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}

test('a folder without config.json is RUN_INVALID: "… has no config.json: …"', async () => {
  const run = tempDir('run-cfg');
  await rejectsRunInvalid(readRunConfig(run), /has no config\.json: /);
  await rejectsRunInvalid(readRunConfig(path.join(run, 'missing')), /missing has no config\.json/);
});

test('a config.json that is not JSON is RUN_INVALID, not an unexpected SyntaxError', async () => {
  const run = tempDir('run-cfg');
  await writeConfig(run, '{"schemaVersion": 1, "model": {');
  await rejectsRunInvalid(readRunConfig(run), /config\.json is not valid JSON/);
});

test('an invalid field is RUN_INVALID naming the field', async () => {
  const run = tempDir('run-cfg');
  const cfg = tinyRunConfig();
  await writeConfig(run, JSON.stringify({ ...cfg, training: { ...cfg.training, steps: -3 } }));
  await rejectsRunInvalid(readRunConfig(run), /invalid at training\.steps/);
  await writeConfig(run, JSON.stringify({ ...cfg, preset: undefined }));
  await rejectsRunInvalid(readRunConfig(run), /invalid at preset/);
  await writeConfig(run, '[1, 2]');
  await rejectsRunInvalid(readRunConfig(run), /invalid at the top level/);
});

test('config written atomically reads back; an invalid one is refused before anything is written', async () => {
  const run = path.join(tempDir('run-cfg'), 'new-run');
  const cfg = tinyRunConfig({ steps: 12 });
  await writeRunConfig(run, cfg);
  assert.deepEqual(await readRunConfig(run), cfg);
  assert.deepEqual((await fs.readdir(run)).sort(), ['config.json'], 'no temporary file left beside it');
  await assert.rejects(writeRunConfig(run, { ...cfg, training: { ...cfg.training, batch: 0 } }), { code: 'BAD_OPTION' });
  assert.equal((await readRunConfig(run)).training.steps, 12);
  assert.equal(runPaths(run).config, path.join(run, 'config.json'));
});
