import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { acquireLock, readLock, releaseLock } from '../../../../main/engine/run/lock';
import { isUnreadableRun, listRuns, runStatus, summarizeRun } from '../../../../main/engine/run/status';
import { tempDir } from '../../../helpers/paths';
import { fakeCheckpoint, metricsLine, tinyRunConfig, writeConfig } from './fixtures';

/** The pid of a process that has exited (so no live process has it, barring reuse). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

async function writeLock(runDir: string, pid: number, hostname = os.hostname(), startedAt = new Date()): Promise<void> {
  await fs.writeFile(path.join(runDir, 'train.lock'), JSON.stringify({ pid, hostname, startedAt: startedAt.toISOString() }));
}

async function newRun(steps = 10): Promise<string> {
  const run = path.join(tempDir('run-status'), 'run');
  await writeConfig(run, tinyRunConfig({ steps }));
  return run;
}

test('new: a config and nothing else', async () => {
  assert.equal(await runStatus(await newRun()), 'new');
});

test('running: a lock held by a live process on this machine (this one)', async () => {
  const run = await newRun();
  await writeLock(run, process.pid);
  assert.equal(await runStatus(run), 'running');
  await fakeCheckpoint(run, 10);
  assert.equal(await runStatus(run), 'running', 'the lock wins over a finished-looking checkpoint');
});

test('a lock left by a dead process, or written on another machine, is not running', async () => {
  const run = await newRun();
  await fakeCheckpoint(run, 4);
  await writeLock(run, deadPid());
  assert.equal(await runStatus(run), 'interrupted');
  await writeLock(run, process.pid, `not-${os.hostname()}`);
  assert.equal(await runStatus(run), 'interrupted');
  await fs.writeFile(path.join(run, 'train.lock'), 'garbage');
  assert.equal(await runStatus(run), 'interrupted');
});

test('a lock whose process id now belongs to a process started after it was written is not running (Linux)', { skip: process.platform !== 'linux' }, async () => {
  const run = await newRun();
  await fakeCheckpoint(run, 4);
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  try {
    await new Promise((resolve) => child.once('spawn', resolve));
    const hourAgo = new Date(Date.now() - 3600_000);
    await writeLock(run, child.pid!, os.hostname(), hourAgo);
    assert.equal(await runStatus(run), 'interrupted', 'the id was reused: the training that wrote the lock is gone');
    await writeLock(run, child.pid!);
    assert.equal(await runStatus(run), 'running', 'the process that wrote the lock');
    const beforeThisProcess = new Date(Date.now() - process.uptime() * 1000 - 3600_000);
    await writeLock(run, process.pid, os.hostname(), beforeThisProcess);
    assert.equal(await runStatus(run), 'interrupted', 'this process got the id of the one that wrote the lock');
    const lock = await acquireLock(run);
    assert.equal(lock.pid, process.pid, 'the stale lock is replaced');
    await releaseLock(run);
  } finally {
    child.kill();
  }
});

test('finished once the latest checkpoint reached the configured steps; interrupted before', async () => {
  const run = await newRun(10);
  await fs.writeFile(path.join(run, 'metrics.jsonl'), metricsLine(5));
  assert.equal(await runStatus(run), 'interrupted', 'metrics but no checkpoint yet');
  await fakeCheckpoint(run, 5);
  assert.equal(await runStatus(run), 'interrupted');
  await fakeCheckpoint(run, 10);
  assert.equal(await runStatus(run), 'finished');
});

test('a folder without a readable config is RUN_INVALID', async () => {
  await assert.rejects(runStatus(tempDir('run-status')), { code: 'RUN_INVALID' });
});

test('acquireLock refuses while a live process holds the lock, replaces a dead one, releaseLock removes only its own', async () => {
  const run = await newRun();
  await writeLock(run, process.pid);
  await assert.rejects(acquireLock(run), (e: Error & { code?: string }) => e.code === 'RUN_INVALID' && /is being trained by process \d+/.test(e.message));
  await writeLock(run, deadPid());
  const lock = await acquireLock(run);
  assert.deepEqual(await readLock(run), lock);
  assert.equal(lock.pid, process.pid);
  assert.equal(lock.hostname, os.hostname());
  await releaseLock(run);
  assert.equal(await readLock(run), null);
  const other = deadPid();
  await writeLock(run, other);
  await releaseLock(run);
  assert.equal((await readLock(run))?.pid, other, "another process's lock is left alone");
});

test('summarizeRun: id, preset, steps, best and last losses, times; step is the checkpoint unless running', async () => {
  const run = await newRun(30);
  await fs.writeFile(path.join(run, 'metrics.jsonl'),
    metricsLine(10, { val_loss: 4.0 }) + metricsLine(20, { val_loss: 3.0 }) + metricsLine(25) + metricsLine(30, { val_loss: 3.5 }).slice(0, 12));
  await fakeCheckpoint(run, 20, { val: 3.0, train: 4.2 });
  const s = await summarizeRun(run);
  assert.deepEqual(s, {
    id: 'run', dir: run, status: 'interrupted', preset: 'tiny', step: 20, steps: 30,
    bestValLoss: 3.0, lastValLoss: 3.0, lastTrainLoss: 4.75, createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:25.000Z',
  });
  await writeLock(run, process.pid);
  const live = await summarizeRun(run);
  assert.equal(live.status, 'running');
  assert.equal(live.step, 25, 'while running: the last logged step');

  const fresh = await summarizeRun(await newRun());
  assert.equal(fresh.status, 'new');
  assert.equal(fresh.step, 0);
  assert.equal(fresh.bestValLoss, null);
  assert.equal(fresh.lastTrainLoss, null);
  assert.equal(fresh.updatedAt, null);
});

test('listRuns: every run of the project by id, an unreadable one with its reason; no runs folder is no runs', async () => {
  const project = tempDir('run-project');
  assert.deepEqual(await listRuns(project), []);
  const runs = path.join(project, 'runs');
  await writeConfig(path.join(runs, 'a-first'), tinyRunConfig({ steps: 4 }));
  await fakeCheckpoint(path.join(runs, 'a-first'), 4, { val: 2.5 });
  await writeConfig(path.join(runs, 'b-broken'), '{"schemaVersion":');
  await fs.mkdir(path.join(runs, 'c-empty'));
  await writeConfig(path.join(runs, 'd-new'), tinyRunConfig());
  await fs.mkdir(path.join(runs, '.hidden'));
  await fs.writeFile(path.join(runs, 'notes.txt'), 'not a run');
  const list = await listRuns(project);
  assert.deepEqual(list.map((e) => e.id), ['a-first', 'b-broken', 'c-empty', 'd-new']);
  const [a, b, c, d] = list;
  assert.ok(!isUnreadableRun(a!) && a!.status === 'finished' && a!.bestValLoss === 2.5);
  assert.ok(isUnreadableRun(b!) && /not valid JSON/.test(b!.problem), JSON.stringify(b));
  assert.ok(isUnreadableRun(c!) && /has no config\.json/.test(c!.problem));
  assert.ok(!isUnreadableRun(d!) && d!.status === 'new');
});
