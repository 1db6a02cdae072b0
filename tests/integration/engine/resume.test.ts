import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../helpers/cli';
import { cli, corpus, tempDir } from '../../helpers/paths';

const ARGS = ['--preset', 'tiny', '--steps', '40', '--checkpoint-every', '10', '--length', '2000', '--batch', '2', '--seed', '11', '--threads', '1'];

async function metrics(run: string): Promise<{ step: number; train_loss: number }[]> {
  return (await fs.readFile(path.join(run, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
}

test('a training process killed mid-run resumes from its last checkpoint and matches an uninterrupted run', async () => {
  const dir = tempDir('resume');
  const data = path.join(corpus, 'speech/en-gb');

  const whole = path.join(dir, 'whole');
  const a = await runCli(['train', data, '--run', whole, ...ARGS]);
  assert.equal(a.code, 0, a.stderr);

  const killed = path.join(dir, 'killed');
  const child = spawn(process.execPath, [cli, 'train', data, '--run', killed, ...ARGS], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 120_000;
  while (!existsSync(path.join(killed, 'checkpoints/20')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGKILL');
  await exited;
  assert.ok(existsSync(path.join(killed, 'checkpoints/20')), 'the run reached its step-20 checkpoint before the kill');
  assert.ok(!existsSync(path.join(killed, 'checkpoints/40')), 'the run was killed before it finished');

  const b = await runCli(['train', '--run', killed, '--resume']);
  assert.equal(b.code, 0, b.stderr);
  assert.match(b.stdout, /finished at step 40 \(from (20|30)\)/);

  const ma = await metrics(whole);
  const mb = await metrics(killed);
  assert.deepEqual(mb.map((m) => m.step), ma.map((m) => m.step), 'one metrics line per logged step, none duplicated');
  const la = ma[ma.length - 1]!.train_loss;
  const lb = mb[mb.length - 1]!.train_loss;
  assert.ok(Math.abs(la - lb) < 1e-4 * Math.abs(la), `resumed run reproduces the uninterrupted one: ${lb} vs ${la}`);
  const ckpts = await fs.readdir(path.join(killed, 'checkpoints'));
  assert.ok(ckpts.includes('40'));
  assert.ok(!ckpts.some((c) => c.endsWith('.tmp')), 'no half-written checkpoint is left');
});
