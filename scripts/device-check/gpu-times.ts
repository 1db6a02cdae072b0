// The device check's timing (see check.sh): the train step and generation of `small` on WebGPU and on the CPU beside it.
import * as ort from 'onnxruntime-node';
import { IncrementalGenerator } from '../../main/engine/generate/incremental';
import { dilations, preset } from '../../main/engine/model/config';
import { initialParams, paramCount, paramSpecs } from '../../main/engine/model/params';
import { workingDevices } from '../../main/engine/runtime/probe';
import { TrainStep } from '../../main/engine/train/step';
import { Random } from '../../main/engine/util/random';
const out: Record<string, unknown> = {};
out.devices = await workingDevices();
const cfg = preset('small');
const P = paramCount(paramSpecs(cfg));
for (const device of ['webgpu', 'cpu'] as const) {
  const shape = { batch: 4, length: 8000 };
  const t0 = performance.now();
  const step = await TrainStep.open(cfg, shape, { beta1: 0.9, beta2: 0.999, clip: 1 }, { device, threads: 0 });
  const rng = new Random(1);
  const seq = BigInt64Array.from({ length: 4 * 8000 }, () => BigInt(rng.int(256)));
  const F = 8000 / cfg.hop;
  const feeds = { samples: new ort.Tensor('int64', seq, [4, 8000]), targets: new ort.Tensor('int64', seq, [4 * 8000]), frames: new ort.Tensor('float32', Float32Array.from({ length: 4 * F * 80 }, () => rng.normal()), [4, F, 80]) };
  let r = await step.run(feeds, { theta: initialParams(paramSpecs(cfg), 1), m: new Float32Array(P), v: new Float32Array(P) }, 1e-4, 1e-8);
  const first = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  for (let i = 0; i < 5; i++) r = await step.run(feeds, { theta: r.theta, m: r.m, v: r.v }, 1e-4, 1e-8);
  const s = (performance.now() - t1) / 5000;
  out[`train_${device}`] = { device: step.device, pieces: step.pieces, first_step_s: +first.toFixed(2), samples_per_s: Math.round(32000 / s), loss: r.loss };
  await step.release();
}
const flat = initialParams(paramSpecs(cfg), 1);
const row = Float32Array.from({ length: dilations(cfg).length * cfg.gate }, (_, i) => 0.01 * Math.sin(i));
for (const device of ['webgpu', 'cpu'] as const) {
  for (const streams of [1, 16, 64, 256]) {
    const gen = await IncrementalGenerator.create(cfg, flat, { streams, device, threads: 1, engine: 'onnx' });
    const rngs = Array.from({ length: streams }, (_, n) => new Random(n + 1));
    for (let n = 0; n < streams; n++) gen.setRow(n, row);
    for (let i = 0; i < 50; i++) await gen.draw(1, rngs);
    const steps = 400;
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await gen.draw(1, rngs);
    const s = (performance.now() - t0) / 1000;
    out[`generate_${device}_${streams}`] = { device: gen.device, us_per_step: Math.round(s * 1e6 / steps), samples_per_s: Math.round(streams * steps / s) };
    await gen.release();
  }
}
console.log('TIMES ' + JSON.stringify(out));
