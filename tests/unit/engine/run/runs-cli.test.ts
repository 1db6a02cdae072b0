import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { RunEntrySchema } from '../../../../main/contract/domain/train';
import { runCli } from '../../../helpers/cli';
import { tempDir } from '../../../helpers/paths';
import { fakeCheckpoint, metricsLine, tinyRunConfig, writeConfig } from './fixtures';

async function project(): Promise<string> {
  const dir = tempDir('runs-cli');
  const runs = path.join(dir, 'runs');
  const done = path.join(runs, '01-done');
  await writeConfig(done, tinyRunConfig({ steps: 20 }));
  await fs.writeFile(path.join(done, 'metrics.jsonl'), metricsLine(10, { val_loss: 3.25 }) + metricsLine(20, { val_loss: 3.5 }));
  await fakeCheckpoint(done, 20, { val: 3.5 });
  const live = path.join(runs, '02-live');
  await writeConfig(live, tinyRunConfig({ steps: 100 }));
  await fs.writeFile(path.join(live, 'metrics.jsonl'), metricsLine(5) + metricsLine(10, { val_loss: 4.125 }));
  // The lock names this test process: alive, on this machine.
  await fs.writeFile(path.join(live, 'train.lock'), JSON.stringify({ pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString() }));
  const stopped = path.join(runs, '03-stopped');
  await writeConfig(stopped, tinyRunConfig({ steps: 100 }));
  await fakeCheckpoint(stopped, 50, { val: 4.0 });
  await writeConfig(path.join(runs, '04-broken'), tinyRunConfig({ steps: 0 }));
  return dir;
}

test('runs lists status, step, best and last validation loss; a broken run gets its reason', async () => {
  const dir = await project();
  const r = await runCli(['runs', dir]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^run\s+status\s+step\s+best val\s+last val\s+preset$/);
  assert.match(lines[1]!, /^01-done\s+finished\s+20\/20\s+3\.250\s+3\.500\s+tiny$/);
  assert.match(lines[2]!, /^02-live\s+running\s+10\/100\s+4\.125\s+4\.125\s+tiny$/);
  assert.match(lines[3]!, /^03-stopped\s+interrupted\s+50\/100\s+4\.000\s+4\.000\s+tiny$/);
  assert.match(lines[4]!, /^04-broken\s+unreadable\s+.*invalid at training\.steps/);
  assert.equal(lines.length, 5);
});

test('runs --json prints the run summaries', async () => {
  const dir = await project();
  const r = await runCli(['runs', dir, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const entries = RunEntrySchema.array().parse(JSON.parse(r.stdout));
  assert.deepEqual(entries.map((e) => ('status' in e ? [e.id, e.status, e.step] : [e.id, 'unreadable'])), [
    ['01-done', 'finished', 20], ['02-live', 'running', 10], ['03-stopped', 'interrupted', 50], ['04-broken', 'unreadable'],
  ]);
  const done = entries[0]!;
  assert.ok('status' in done && done.dir === path.join(dir, 'runs', '01-done') && done.bestValLoss === 3.25 && done.lastValLoss === 3.5);
});

test('runs of a project without runs, and of a folder that does not exist', async () => {
  const empty = tempDir('runs-cli');
  const r = await runCli(['runs', empty]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^no runs in /);
  assert.equal((await runCli(['runs', empty, '--json'])).stdout.trim(), '[]');
  const missing = await runCli(['runs', path.join(empty, 'nope')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^error: No project at .*nope/);
  assert.equal(missing.stderr.trim().split('\n').length, 1);
});
