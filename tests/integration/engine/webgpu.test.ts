/**
 * WebGPU through SwiftShader (a Vulkan on the CPU that Chromium ships): the train step, the graphs of
 * generation and a short render give the CPU's numbers, with no node left on the CPU. The WebGPU part
 * runs in a child process (this file, with WAVENET_WEBGPU_CHILD set) because the Vulkan loader reads
 * VK_ICD_FILENAMES, and the dynamic linker LD_LIBRARY_PATH, when the process starts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { StudioError } from '../../../main/engine/errors';
import { foldResidualBiases } from '../../../main/engine/generate/fold';
import { renderAudio } from '../../../main/engine/generate/render';
import { preset, type WaveNetConfig } from '../../../main/engine/model/config';
import { conditioningGraph, forwardModel, lossGraph, stepGraph, trainStepGraph } from '../../../main/engine/model/graphs';
import { encodeModelFile } from '../../../main/engine/model/model-file';
import { initialParams, paramCount, paramSpecs } from '../../../main/engine/model/params';
import { workingDevices, type WorkingDevice } from '../../../main/engine/runtime/probe';
import { autoDevices, sessionOptions, type Device } from '../../../main/engine/runtime/session';
import { defaultTrainOptions } from '../../../main/engine/train/options';
import { train } from '../../../main/engine/train/trainer';
import { cli, corpus, repoRoot, tempDir } from '../../helpers/paths';

const ICDS = ['/usr/lib/chromium/vk_swiftshader_icd.json', '/usr/lib/chromium-browser/vk_swiftshader_icd.json', '/opt/google/chrome/vk_swiftshader_icd.json'];
const icd = process.env.WAVENET_SWIFTSHADER_ICD ?? ICDS.find((f) => existsSync(f));
const NO_ICD = `no SwiftShader Vulkan driver found (looked for ${ICDS.join(', ')}): install chromium, or set WAVENET_SWIFTSHADER_ICD`;

const OPT = { beta1: 0.9, beta2: 0.999, clip: 1 };
const SEGMENT = 400;

interface ChildReport {
  devices: WorkingDevice[];
  auto: Device[];
  /** Graphs that could not open on WebGPU with CPU fallback disabled: name → reason. */
  cpuNodes: Record<string, string>;
  train: { cpu: StepOut; webgpu: StepOut; seconds: Record<string, number> };
  render: { cpu: number[]; webgpu: number[]; seconds: Record<string, number> };
}

interface StepOut {
  loss: number;
  gradNorm: number;
  theta: number[];
  m: number[];
}

/** The tiny model (mel), one segment of SEGMENT samples with its frames: deterministic inputs. */
function fixture(): { cfg: WaveNetConfig; theta: Float32Array; feeds: (extra: Record<string, ort.Tensor>) => Record<string, ort.Tensor> } {
  const cfg = preset('tiny');
  const theta = initialParams(paramSpecs(cfg), 3);
  const ints = (seed: number): BigInt64Array => BigInt64Array.from({ length: SEGMENT }, (_, i) => BigInt(Math.floor(128 + 100 * Math.sin(0.05 * (i + seed)))));
  const F = SEGMENT / cfg.hop;
  const frames = Float32Array.from({ length: F * cfg.conditionBins }, (_, i) => Math.cos(0.3 * i) - 2);
  const feeds = (extra: Record<string, ort.Tensor>): Record<string, ort.Tensor> => ({
    samples: new ort.Tensor('int64', ints(0), [1, SEGMENT]),
    targets: new ort.Tensor('int64', ints(1), [SEGMENT]),
    frames: new ort.Tensor('float32', frames, [1, F, cfg.conditionBins]),
    ...extra,
  });
  return { cfg, theta, feeds };
}

/** The WebGPU side, in the child process. */
async function child(): Promise<void> {
  const { cfg, theta, feeds } = fixture();
  const P = paramCount(paramSpecs(cfg));
  const folded = foldResidualBiases(cfg, theta).flat;
  const report: Partial<ChildReport> = { devices: await workingDevices(), auto: await autoDevices(), cpuNodes: {} };

  // No node of any graph may fall back to the CPU.
  const noFallback = { ...sessionOptions('webgpu', 1), extra: { 'session.disable_cpu_ep_fallback': '1' } };
  const unconditional: WaveNetConfig = { ...cfg, condition: 'none', conditionBins: 0, globalClasses: 2 };
  const graphs: [string, Uint8Array][] = [
    ['train step', trainStepGraph(cfg, { batch: 2, length: SEGMENT }, OPT)],
    ['train step (global classes)', trainStepGraph(unconditional, { batch: 2, length: SEGMENT }, OPT)],
    ['loss', lossGraph(cfg, { batch: 2, length: SEGMENT })],
    ['model file', forwardModel(cfg, theta, {})],
    ['conditioning', conditioningGraph(cfg, folded)],
    ['incremental step', stepGraph(cfg, folded)],
  ];
  for (const [name, bytes] of graphs) {
    try {
      await (await ort.InferenceSession.create(bytes, noFallback)).release();
    } catch (e) {
      report.cpuNodes![name] = String((e as Error).message).split('\n')[0]!;
    }
  }

  // One train step on each device.
  const step = trainStepGraph(cfg, { batch: 1, length: SEGMENT }, OPT);
  const trainSeconds: Record<string, number> = {};
  const outs: Record<string, StepOut> = {};
  for (const device of ['cpu', 'webgpu'] as const) {
    const t0 = performance.now();
    const s = await ort.InferenceSession.create(step, device === 'cpu' ? sessionOptions('cpu', 1) : noFallback);
    const out = await s.run(feeds({
      theta: new ort.Tensor('float32', theta, [P]),
      adam_m: new ort.Tensor('float32', new Float32Array(P), [P]),
      adam_v: new ort.Tensor('float32', new Float32Array(P), [P]),
      lr: new ort.Tensor('float32', Float32Array.from([1e-3]), []),
      eps: new ort.Tensor('float32', Float32Array.from([1e-8]), []),
    }));
    await s.release();
    trainSeconds[device] = (performance.now() - t0) / 1000;
    outs[device] = {
      loss: Number(out.loss!.data[0]), gradNorm: Number(out.grad_norm!.data[0]),
      theta: Array.from(out.theta_next!.data as Float32Array), m: Array.from(out.adam_m_next!.data as Float32Array),
    };
  }
  report.train = { cpu: outs.cpu!, webgpu: outs.webgpu!, seconds: trainSeconds };

  // A short render from the same seed, with the weights the WebGPU step trained: the model moves between devices.
  const trained = Float32Array.from(outs.webgpu!.theta);
  const frames = { frames: 2, bins: cfg.conditionBins, data: Float32Array.from({ length: 2 * cfg.conditionBins }, (_, i) => Math.sin(0.2 * i) - 2) };
  const renderSeconds: Record<string, number> = {};
  const classes: Record<string, number[]> = {};
  for (const device of ['cpu', 'webgpu'] as const) {
    const t0 = performance.now();
    const r = await renderAudio(cfg, trained, frames, { samples: cfg.hop, temperature: 1, seed: 5, streams: 1, device });
    renderSeconds[device] = (performance.now() - t0) / 1000;
    assert.equal(r.device, device);
    classes[device] = Array.from(r.classes);
  }
  report.render = { cpu: classes.cpu!, webgpu: classes.webgpu!, seconds: renderSeconds };
  process.stdout.write(`\nREPORT ${JSON.stringify(report)}\n`);
}

function runChild(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The environment that points Vulkan at SwiftShader (and at Chromium's Vulkan loader, which may be the only one here). */
function swiftShaderEnv(file: string): NodeJS.ProcessEnv {
  const dir = path.dirname(file);
  const loader = existsSync(path.join(dir, 'libvulkan.so.1')) ? [dir] : [];
  return { ...process.env, VK_ICD_FILENAMES: file, LD_LIBRARY_PATH: [...loader, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') };
}

const maxAbs = (a: readonly number[], b: readonly number[]): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

if (process.env.WAVENET_WEBGPU_CHILD) {
  await child();
} else {
  test('WebGPU (SwiftShader): no CPU islands, a tiny train step and a short render equal the CPU\'s', { skip: icd ? false : NO_ICD, timeout: 300_000 }, async (t) => {
    const r = await runChild({ ...swiftShaderEnv(icd!), WAVENET_WEBGPU_CHILD: '1' }, 290_000);
    const line = r.stdout.split('\n').find((l) => l.startsWith('REPORT '));
    assert.ok(line, `the WebGPU child reported nothing (exit ${r.code}): ${r.stderr.slice(-2000)}`);
    const rep = JSON.parse(line.slice(7)) as ChildReport;

    const gpu = rep.devices.find((d) => d.device === 'webgpu');
    assert.ok(gpu, `WebGPU is listed: ${JSON.stringify(rep.devices)}`);
    assert.equal(gpu.label, 'WebGPU · SwiftShader (software)');
    assert.deepEqual(rep.auto, ['cpu'], 'auto never picks a software GPU over the CPU');
    assert.deepEqual(rep.cpuNodes, {}, 'every graph runs wholly on WebGPU');

    const { cpu, webgpu } = rep.train;
    assert.ok(Math.abs(cpu.loss - webgpu.loss) < 1e-5 * cpu.loss, `loss ${webgpu.loss} vs ${cpu.loss}`);
    assert.ok(Math.abs(cpu.gradNorm - webgpu.gradNorm) < 1e-4 * cpu.gradNorm, `gradient norm ${webgpu.gradNorm} vs ${cpu.gradNorm}`);
    const mScale = cpu.m.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    assert.ok(maxAbs(cpu.m, webgpu.m) < 1e-4 * mScale, `gradient (Adam m) differs by ${maxAbs(cpu.m, webgpu.m)} of ${mScale}`);
    assert.ok(maxAbs(cpu.theta, webgpu.theta) < 2e-5, `updated parameters differ by ${maxAbs(cpu.theta, webgpu.theta)}`);

    assert.equal(rep.render.webgpu.length, rep.render.cpu.length);
    assert.deepEqual(rep.render.webgpu, rep.render.cpu, 'the same seed renders the same samples on WebGPU and on the CPU');
    t.diagnostic(`SwiftShader: train step cpu ${rep.train.seconds.cpu!.toFixed(1)} s, webgpu ${rep.train.seconds.webgpu!.toFixed(1)} s (with compilation); render ${rep.render.cpu.length} samples cpu ${rep.render.seconds.cpu!.toFixed(1)} s, webgpu ${rep.render.seconds.webgpu!.toFixed(1)} s`);
  });

  test('--device webgpu with VK_ICD_FILENAMES naming a missing file: one line, then the CPU renders', async () => {
    const dir = tempDir('webgpu');
    const cfg: WaveNetConfig = { ...preset('tiny'), condition: 'none', conditionBins: 0 };
    const model = path.join(dir, 'model.onnx');
    await fs.writeFile(model, encodeModelFile(cfg, initialParams(paramSpecs(cfg), 1)));
    const env = { ...process.env, VK_ICD_FILENAMES: path.join(dir, 'missing_icd.json') };
    const cliRun = (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> => new Promise((resolve) => {
      const p = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d) => (stdout += d));
      p.stderr.on('data', (d) => (stderr += d));
      p.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    const r = await cliRun(['render', '--model', model, '--seconds', '0.01', '--device', 'webgpu', '--out', path.join(dir, 'out.wav')]);
    assert.equal(r.code, 0, r.stderr);
    const about = r.stderr.split('\n').filter((l) => /webgpu|vulkan|onnxruntime|dawn/i.test(l));
    assert.equal(about.length, 1, r.stderr);
    assert.match(about[0]!, /^The webgpu execution provider could not start \(VK_ICD_FILENAMES names .*missing_icd\.json, which does not exist\); running on the CPU instead\.$/);
    assert.match(r.stdout, /wrote .*out\.wav.*cpu\)/);

    const info = await cliRun(['info', model]);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, /^devices {4}CPU · \d+ cores$/m, 'a device that cannot start is not listed');
  });

  test('a device failing mid-training ends the job with one line: what failed, the safe checkpoint, how to resume elsewhere', async () => {
    const run = path.join(tempDir('webgpu'), 'run');
    const training = { ...defaultTrainOptions('tiny'), steps: 3, batch: 1, length: 800, validateEvery: 100, checkpointEvery: 2, threads: 1, device: 'cpu' as const };
    const config = { schemaVersion: 1 as const, model: preset('tiny'), training, preset: 'tiny', createdAt: new Date().toISOString(), data: { folders: [path.join(corpus, 'speech/en-gb')] } };
    // A session run that throws the way a lost GPU does: ONNX Runtime's multi-line native message.
    const proto = (ort.InferenceSession as unknown as { prototype: ort.InferenceSession }).prototype;
    const real = proto.run;
    let steps = 0;
    proto.run = function (this: ort.InferenceSession, ...args: Parameters<typeof real>) {
      if ('adam_m' in (args[0] as object) && ++steps === 3) {
        return Promise.reject(new Error('Non-zero status code returned while running MatMul node. Name:\'n12_MatMul\' Status Message: /onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:310 Device lost\n  at native code'));
      }
      return real.apply(this, args);
    } as typeof real;
    let failure: unknown;
    try {
      await train({ runDir: run, config, resume: false });
    } catch (e) {
      failure = e;
    } finally {
      proto.run = real;
    }
    assert.ok(failure instanceof StudioError, String(failure));
    assert.equal(failure.code, 'DEVICE_FAILED');
    assert.doesNotMatch(failure.message, /\n|onnxruntime_src/);
    assert.match(failure.message, /^The cpu device failed during training step 3 \(.*Device lost\); the last checkpoint \(.*checkpoints[/\\]2\) is safe: resume with `wavenet-studio train --run .* --resume`\.$/);
    // The command it gives works: the run resumes from its checkpoint and finishes.
    const resumed = await train({ runDir: run, resume: true, device: 'cpu' });
    assert.equal(resumed.startStep, 2);
    assert.equal(resumed.step, 3);
  });
}
