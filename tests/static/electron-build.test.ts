// The Electron build's main-process files, checked without Electron (its binary is not fetched here):
// each parses, and the engine and its worker threads start from the build and do their work.
import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { lossGraph } from '../../main/engine/model/graphs';
import { preset, withCondition } from '../../main/engine/model/config';
import { encodeModelFile } from '../../main/engine/model/model-file';
import { initialParams, paramCount, paramSpecs } from '../../main/engine/model/params';
import type { PieceReply } from '../../main/engine/train/piece-workers';
import { repoRoot } from '../helpers/paths';

// Inside the repository, so that the build's imports of packages resolve from node_modules.
const cache = path.join(repoRoot, 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const out = mkdtempSync(path.join(cache, 'electron-build-'));
after(() => rmSync(out, { recursive: true, force: true }));

const main = path.join(out, 'main');

test('the Electron build parses and its training worker thread computes a piece', { timeout: 300_000 }, async () => {
  const built = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--outDir', out, '--logLevel', 'warn'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(built.status, 0, `${built.stdout}${built.stderr}`);
  const files = readdirSync(main).filter((f) => f.endsWith('.js'));
  assert.ok(files.includes('worker.js') && files.includes('render-worker.js') && files.includes('piece-worker.js'), files.join(', '));
  for (const f of files) {
    const check = spawnSync(process.execPath, ['--check', path.join(main, f)], { encoding: 'utf8' });
    assert.equal(check.status, 0, `${f}: ${check.stderr.split('\n').find((l) => l.includes('Error')) ?? check.stderr}`);
  }
  // The piece worker as the packaged app starts it: its first message says its session opened.
  const cfg = preset('tiny');
  const w = new Worker(path.join(main, 'piece-worker.js'), { workerData: { model: lossGraph(cfg, { batch: 1, length: 400 }, 'float32', true), threads: 1 } });
  const next = (): Promise<unknown> => new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  assert.deepEqual(await next(), { ready: true });
  const P = paramCount(paramSpecs(cfg));
  const samples = BigInt64Array.from({ length: 400 }, (_, t) => BigInt((t * 7) % cfg.quantization));
  const frames = Float32Array.from({ length: (400 / cfg.hop) * cfg.conditionBins }, (_, i) => Math.sin(i));
  const answer = next();
  w.postMessage({
    theta: initialParams(paramSpecs(cfg), 1),
    pieces: [{ samples: { type: 'int64', data: samples, dims: [1, 400] }, targets: { type: 'int64', data: samples, dims: [400] }, frames: { type: 'float32', data: frames, dims: [1, 400 / cfg.hop, cfg.conditionBins] } }],
  });
  const r = (await answer) as PieceReply;
  w.postMessage('close');
  await new Promise((resolve) => w.once('exit', resolve));
  // An untrained model is near uniform over the classes: a loss near ln 256.
  assert.ok(Math.abs(r.losses[0]! - Math.log(cfg.quantization)) < 0.5, `loss ${r.losses[0]}`);
  assert.equal(r.grads[0]!.length, P);
});

test('the built engine worker runs a render job on its render worker threads and writes the FLAC', { timeout: 300_000 }, async () => {
  // Started as browser mode starts the engine (a node child with IPC); Electron's utility process
  // runs the same file.
  const child = fork(path.join(main, 'worker.js'), [], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const cfg = withCondition(preset('tiny'), 'mel');
  const model = path.join(out, 'model.onnx');
  writeFileSync(model, encodeModelFile(cfg, initialParams(paramSpecs(cfg), 3)));
  const file = path.join(out, 'take.flac');
  const end = new Promise<{ type: string; result?: { outputs: { path: string; seconds: number }[] }; error?: unknown }>((resolve) => {
    child.on('message', (m: { type: string }) => {
      if (m.type === 'done' || m.type === 'failed' || m.type === 'cancelled') resolve(m);
    });
    child.on('exit', (code) => resolve({ type: `exit ${code}`, error: stderr }));
  });
  child.send({
    type: 'start', jobId: 'j1',
    request: { kind: 'render', model, out: file, source: { type: 'audio', path: path.join(repoRoot, 'tests/fixtures/corpus/speech/en-us/utt01.wav') }, settings: { seed: 2, streams: 2, maxSeconds: 0.5 } },
  });
  const r = await end;
  child.kill();
  assert.equal(r.type, 'done', JSON.stringify(r));
  assert.deepEqual(r.result!.outputs.map((o) => [o.path, o.seconds]), [[file, 0.5]]);
  assert.ok(statSync(file).size > 1000);
});
