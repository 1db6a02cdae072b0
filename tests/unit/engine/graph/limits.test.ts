import assert from 'node:assert/strict';
import { test } from 'node:test';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { StudioError } from '../../../../main/engine/errors';
import { foldResidualBiases } from '../../../../main/engine/generate/fold';
import { GraphBuilder } from '../../../../main/engine/graph/builder';
import { GPU_LIMITS } from '../../../../main/engine/graph/limits';
import * as op from '../../../../main/engine/graph/ops/index';
import { toOnnx } from '../../../../main/engine/graph/serialize';
import { PRESETS, PRESET_NAMES, type WaveNetConfig } from '../../../../main/engine/model/config';
import { conditioningGraph, forwardModel, lossGraph, stepGraph, trainStepGraph } from '../../../../main/engine/model/graphs';
import { initialParams, paramCount, paramSpecs } from '../../../../main/engine/model/params';

const { onnx } = onnxProto;
const OPT = { beta1: 0.9, beta2: 0.999, clip: 1 };
const INT64 = onnx.TensorProto.DataType.INT64;

/** Per node of a built model: op, tensors it binds (outputs + inputs that are not int64 initializers). */
function bindings(bytes: Uint8Array): { op: string; inputs: number; outputs: number; buffers: number }[] {
  const graph = onnx.ModelProto.decode(bytes).graph!;
  const host = new Set((graph.initializer ?? []).filter((t) => t.dataType === INT64).map((t) => t.name));
  return (graph.node ?? []).map((n) => {
    const inputs = (n.input ?? []).filter((i) => i !== '');
    return { op: n.opType ?? '', inputs: inputs.length, outputs: (n.output ?? []).length, buffers: (n.output ?? []).length + inputs.filter((i) => !host.has(i)).length };
  });
}

function assertWithinLimits(name: string, bytes: Uint8Array): void {
  const nodes = bindings(bytes);
  for (const n of nodes) {
    assert.ok(n.buffers <= GPU_LIMITS.maxStorageBuffersPerShaderStage, `${name}: a ${n.op} binds ${n.buffers} tensors`);
    if (n.op === 'Split') assert.ok(n.outputs <= 7, `${name}: a Split with ${n.outputs} outputs`);
    if (n.op === 'Concat') assert.ok(n.inputs <= 7, `${name}: a Concat of ${n.inputs} inputs`);
    // Ops WebGPU has no kernel for would run on the CPU.
    assert.ok(!['OneHot', 'SoftmaxCrossEntropyLoss', 'LogSoftmax', 'NegativeLogLikelihoodLoss'].includes(n.op), `${name}: ${n.op}`);
  }
}

test('every graph of every preset binds at most 8 tensors per node (Split and Concat become trees)', () => {
  for (const name of PRESET_NAMES) {
    const variants: WaveNetConfig[] = [{ ...PRESETS[name], globalClasses: 3 }];
    if (name === 'tiny') variants.push({ ...PRESETS[name], condition: 'none', conditionBins: 0 });
    for (const cfg of variants) {
      // Zero weights: the graphs' structure is what is checked, and drawing large's 24 M weights is slow.
      const flat = new Float32Array(paramCount(paramSpecs(cfg)));
      const folded = foldResidualBiases(cfg, flat).flat;
      const shape = { batch: 2, length: cfg.hop * 2 };
      const graphs: [string, Uint8Array][] = [
        ['train step', trainStepGraph(cfg, shape, OPT)],
        ['loss', lossGraph(cfg, shape)],
        ['model file', forwardModel(cfg, flat, {})],
        ['conditioning', conditioningGraph(cfg, folded)],
        ['incremental step', stepGraph(cfg, folded)],
      ];
      for (const [graph, bytes] of graphs) assertWithinLimits(`${name}/${cfg.condition} ${graph}`, bytes);
    }
  }
  // The train step's parameter Split (one piece per tensor, 42 for tiny) is now a tree of Splits.
  const tiny = bindings(trainStepGraph(PRESETS.tiny, { batch: 1, length: 400 }, OPT));
  assert.ok(tiny.filter((n) => n.op === 'Split').length > 1);
});

test('a 50-way Split and Concat become exact trees of ≤ 7 (values unchanged on the CPU)', async () => {
  const g = new GraphBuilder('float32');
  const sizes = Array.from({ length: 50 }, (_, i) => 1 + (i % 3));
  const total = sizes.reduce((a, b) => a + b, 0);
  const x = g.input('x', 'float32', [2, total]);
  const parts = op.split(g, x, 1, sizes);
  g.output(op.concat(g, [...parts].reverse(), 1), 'reversed');
  g.output(parts[37]!, 'p37');
  const bytes = toOnnx(g);
  assertWithinLimits('50-way', bytes);
  const nodes = bindings(bytes);
  assert.ok(nodes.filter((n) => n.op === 'Split').length >= 8 && nodes.filter((n) => n.op === 'Concat').length >= 8);

  const data = Float32Array.from({ length: 2 * total }, (_, i) => i);
  const s = await ort.InferenceSession.create(bytes);
  const out = await s.run({ x: new ort.Tensor('float32', data, [2, total]) });
  await s.release();
  const offsets = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
  const expected: number[] = [];
  for (let r = 0; r < 2; r++) for (let i = 49; i >= 0; i--) for (let k = 0; k < sizes[i]!; k++) expected.push(r * total + offsets[i]! + k);
  assert.deepEqual(Array.from(out.reversed!.data as Float32Array), expected);
  assert.deepEqual(Array.from(out.p37!.data as Float32Array), [0, 1].flatMap((r) => Array.from({ length: sizes[37]! }, (_, k) => r * total + offsets[37]! + k)));
});

test('a batch whose activations would outgrow a GPU buffer runs as pieces with the same loss', async () => {
  // Narrow layers: the [samples, 256] logits are what outgrow the buffer, the rest stays cheap.
  const cfg: WaveNetConfig = { ...PRESETS.tiny, condition: 'none', conditionBins: 0, layersPerStack: 2, residual: 8, gate: 8, skip: 8, head: 8 };
  // 2 × 36000 samples × 256 classes × 4 bytes = 70 MiB of logits: fits. Build at 2 × 72000 (141 MiB).
  const T = 72000;
  const split = lossGraph(cfg, { batch: 2, length: T });
  assert.equal(bindings(split).filter((n) => n.op === 'GatherElements').length, 2, 'two pieces, each with its own loss');
  assert.equal(bindings(lossGraph(cfg, { batch: 2, length: T / 2 })).filter((n) => n.op === 'GatherElements').length, 1, 'a batch that fits stays whole');

  const P = paramCount(paramSpecs(cfg));
  const theta = initialParams(paramSpecs(cfg), 4);
  const ints = (n: number, seed: number): BigInt64Array => BigInt64Array.from({ length: n }, (_, i) => BigInt((i * 37 + seed * 101 + ((i * i) % 7)) % 256));
  const samples = ints(2 * T, 1);
  const targets = ints(2 * T, 2);
  const lossOf = async (bytes: Uint8Array, b: number, from: number): Promise<number> => {
    const s = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 2 });
    const out = await s.run({
      theta: new ort.Tensor('float32', theta, [P]),
      samples: new ort.Tensor('int64', samples.slice(from * T, (from + b) * T), [b, T]),
      targets: new ort.Tensor('int64', targets.slice(from * T, (from + b) * T), [b * T]),
    });
    await s.release();
    return Number(out.loss!.data[0]);
  };
  const whole = await lossOf(split, 2, 0);
  const one = lossGraph(cfg, { batch: 1, length: T });
  const mean = ((await lossOf(one, 1, 0)) + (await lossOf(one, 1, 1))) / 2;
  assert.ok(Math.abs(whole - mean) < 1e-5 * Math.abs(mean), `${whole} vs ${mean}`);
});

test('a segment too long for one GPU buffer is refused before training, naming --length and its limit', () => {
  const large = { ...PRESETS.large };
  assert.throws(
    () => trainStepGraph(large, { batch: 1, length: 66000 }, OPT),
    (e: unknown) => e instanceof StudioError && e.code === 'BAD_OPTION' && /^--length 66000 is too long/.test(e.message) && /use --length 65400 or less\.$/.test(e.message) && !e.message.includes('\n'),
  );
  // The same length in a batch of 2 is refused too; 65400 fits (one segment per piece).
  assert.throws(() => lossGraph(large, { batch: 2, length: 66000 }), (e: unknown) => e instanceof StudioError && e.code === 'BAD_OPTION');
  assert.doesNotThrow(() => lossGraph(large, { batch: 2, length: 65400 }));
});
