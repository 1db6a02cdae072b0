import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { writeAudioFile } from '../../../main/engine/audio/encode';
import { fromWorkerSchema, type FromWorker } from '../../../main/worker/protocol';
import { repoRoot, tempDir } from '../../helpers/paths';

/** A long 44.1 kHz recording: decoding and resampling it takes the worker a few seconds. */
async function longRecording(seconds: number): Promise<string> {
  const rate = 44_100;
  const samples = new Float32Array(rate * seconds);
  for (let i = 0; i < samples.length; i++) samples[i] = 0.3 * Math.sin((2 * Math.PI * 220 * i) / rate);
  const file = path.join(tempDir('worker'), 'long.wav');
  await writeAudioFile(file, samples, rate);
  return file;
}

test('a node worker whose parent goes away stops its job and exits', async () => {
  const input = await longRecording(120);
  const child = fork(path.join(repoRoot, 'main/worker/index.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const messages: FromWorker[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const working = new Promise<void>((resolve) =>
    child.on('message', (raw) => {
      const message = fromWorkerSchema.parse(raw);
      messages.push(message);
      if (message.type === 'ready') child.send({ type: 'start', jobId: 'j1', request: { kind: 'analyze', input } });
      if (message.type === 'progress' && message.phase === 'decoding') resolve();
    }),
  );
  await working;
  const t0 = Date.now();
  child.disconnect(); // what the worker sees when the server that started it is killed
  assert.equal(await exited, 0);
  assert.ok(Date.now() - t0 < 15_000, 'exited without finishing the job');
  assert.ok(!messages.some((m) => m.type === 'done'));
  assert.equal(existsSync(input.replace(/\.wav$/, '.mel.npy')), false, 'the job did not run to its end');
});
