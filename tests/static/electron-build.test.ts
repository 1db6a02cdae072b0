// The Electron build's main-process files, checked without Electron (its binary is not fetched here):
// each parses, and the engine's worker threads start from the build and do their work.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { lossGraph } from '../../main/engine/model/graphs';
import { preset } from '../../main/engine/model/config';
import { initialParams, paramCount, paramSpecs } from '../../main/engine/model/params';
import type { PieceReply } from '../../main/engine/train/piece-workers';
import { repoRoot } from '../helpers/paths';

// Inside the repository, so that the build's imports of packages resolve from node_modules.
const cache = path.join(repoRoot, 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const out = mkdtempSync(path.join(cache, 'electron-build-'));
after(() => rmSync(out, { recursive: true, force: true }));

test('the Electron build parses and its training worker thread computes a piece', { timeout: 300_000 }, async () => {
  const built = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--outDir', out, '--logLevel', 'warn'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(built.status, 0, `${built.stdout}${built.stderr}`);
  const main = path.join(out, 'main');
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
