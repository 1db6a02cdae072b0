import { StudioError } from '../errors';
import { gradients } from '../graph/autodiff';
import { GraphBuilder } from '../graph/builder';
import { GPU_LIMITS, largestTensor, mebibytes } from '../graph/limits';
import * as op from '../graph/ops/index';
import { toOnnx } from '../graph/serialize';
import type { DType, Value } from '../graph/types';
import { dilations, type WaveNetConfig } from './config';
import { outProjections, paramCount, paramSpecs, unpackParams, type ParamSpec } from './params';
import { forward, frameConditioning, type ParamLookup, type SequenceShape } from './wavenet';

/** Split the packed parameter vector into named tensors (one Split; its gradient is one Concat). */
function packedParams(g: GraphBuilder, theta: Value, specs: readonly ParamSpec[]): ParamLookup {
  const sizes = specs.map((s) => s.shape.reduce((a, b) => a * b, 1));
  const parts = op.split(g, theta, 0, sizes);
  const byName = new Map(specs.map((s, i) => [s.name, op.reshape(g, parts[i]!, s.shape)]));
  return (name) => {
    const v = byName.get(name);
    if (!v) throw new Error(`no parameter ${name}`);
    return v;
  };
}

/** Weights baked in as initializers (a self-contained model file); only the ones a graph uses. */
function initializerParams(g: GraphBuilder, specs: readonly ParamSpec[], flat: Float32Array): ParamLookup {
  const offsets = new Map<string, { spec: ParamSpec; start: number; size: number }>();
  let k = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    offsets.set(spec.name, { spec, start: k, size });
    k += size;
  }
  const made = new Map<string, Value>();
  return (name) => {
    let v = made.get(name);
    if (!v) {
      const o = offsets.get(name);
      if (!o) throw new Error(`no parameter ${name}`);
      v = g.initializer(name, 'float32', o.spec.shape, flat.slice(o.start, o.start + o.size));
      made.set(name, v);
    }
    return v;
  };
}

interface BatchInputs {
  samples: Value;
  targets: Value;
  frames: Value | null;
  globalId: Value | null;
}

function batchInputs(g: GraphBuilder, cfg: WaveNetConfig, shape: SequenceShape): BatchInputs {
  const { batch: B, length: T } = shape;
  return {
    samples: g.input('samples', 'int64', [B, T]),
    targets: g.input('targets', 'int64', [B * T]),
    frames: cfg.condition !== 'none' ? g.input('frames', g.float, [B, T / cfg.hop, cfg.conditionBins]) : null,
    globalId: cfg.globalClasses > 0 ? g.input('global_id', 'int64', [B]) : null,
  };
}

function pieceLoss(g: GraphBuilder, cfg: WaveNetConfig, p: ParamLookup, io: BatchInputs, shape: SequenceShape): Value {
  const cond = frameConditioning(g, cfg, p, io.frames, io.globalId, shape.batch);
  const logits = forward(g, cfg, p, io.samples, cond, shape);
  const flat = op.reshape(g, logits, [shape.batch * shape.length, cfg.quantization]);
  return op.softmaxCrossEntropy(g, flat, io.targets).loss;
}

/** Integer inputs as int32 (a Gather from a 0..n−1 table), which the GPU can split where int64 it cannot. */
function asInt32(g: GraphBuilder, v: Value, classes: number): Value {
  const table = g.constant('int32', [classes], Array.from({ length: classes }, (_, i) => i));
  return g.node1('Gather', [table, v], { dtype: 'int32', shape: v.shape }, { axis: { kind: 'int', value: 0 } });
}

/**
 * Mean loss of the batch. `pieces` (segments per piece, summing to the batch) > 1 runs the batch
 * as several forward passes of fewer segments each, so that no activation outgrows a GPU buffer:
 * the mean of the pieces' means weighted by their share, the same loss and gradient.
 */
function meanLoss(g: GraphBuilder, cfg: WaveNetConfig, p: ParamLookup, io: BatchInputs, shape: SequenceShape, pieces: readonly number[]): Value {
  if (pieces.length <= 1) return pieceLoss(g, cfg, p, io, shape);
  const T = shape.length;
  const samples = op.split(g, asInt32(g, io.samples, cfg.quantization), 0, pieces);
  const targets = op.split(g, asInt32(g, io.targets, cfg.quantization), 0, pieces.map((b) => b * T));
  const frames = io.frames ? op.split(g, io.frames, 0, pieces) : null;
  const globalId = io.globalId ? op.split(g, asInt32(g, io.globalId, cfg.globalClasses), 0, pieces) : null;
  let total: Value | null = null;
  for (let k = 0; k < pieces.length; k++) {
    const b = pieces[k]!;
    const part = { samples: samples[k]!, targets: targets[k]!, frames: frames?.[k] ?? null, globalId: globalId?.[k] ?? null };
    const weighted = op.mul(g, pieceLoss(g, cfg, p, part, { ...shape, batch: b }), g.scalar(b / shape.batch));
    total = total ? op.add(g, total, weighted) : weighted;
  }
  return total!;
}

/** `batch` segments in `count` pieces of near-equal size. */
function batchPieces(batch: number, count: number): number[] {
  const base = Math.floor(batch / count);
  return Array.from({ length: count }, (_, i) => base + (i < batch % count ? 1 : 0));
}

/**
 * Build a batch graph whose every tensor fits one GPU buffer (GPU_LIMITS, on every device so that
 * a run can move between devices): the batch is cut into pieces as far as needed; a segment too
 * long on its own, or a model too large, is refused with the setting to change.
 */
function withinBufferSize(cfg: WaveNetConfig, shape: SequenceShape, dtype: DType, build: (pieces: number[]) => GraphBuilder): GraphBuilder {
  const limit = GPU_LIMITS.maxStorageBufferBindingSize;
  const P = paramCount(paramSpecs(cfg));
  const paramBytes = P * (dtype === 'float64' ? 8 : 4);
  if (paramBytes > limit) {
    throw new StudioError('BAD_OPTION', `This model's ${P.toLocaleString('en')} parameters need ${mebibytes(paramBytes)}, over the ${mebibytes(limit)} one GPU buffer holds: choose a smaller preset.`);
  }
  let count = 1;
  for (;;) {
    const g = build(batchPieces(shape.batch, count));
    const big = largestTensor(g);
    if (big.bytes <= limit) return g;
    if (count >= shape.batch) {
      const step = cfg.condition !== 'none' ? cfg.hop : 1;
      const most = Math.max(step, Math.floor((shape.length * limit) / big.bytes / step) * step);
      throw new StudioError(
        'BAD_OPTION',
        `--length ${shape.length} is too long for this model: one segment needs a ${mebibytes(big.bytes)} tensor, over the ${mebibytes(limit)} one GPU buffer holds (kept on every device so that a run can move between them); use --length ${most} or less.`,
      );
    }
    count = Math.min(shape.batch, Math.max(count + 1, Math.ceil((count * big.bytes) / limit)));
  }
}

export interface OptimizerSettings {
  beta1: number;
  beta2: number;
  /** Global-norm gradient clipping threshold. */
  clip: number;
}

/**
 * One training step as one graph: forward, mean cross-entropy (nats/sample), backward, global-norm
 * clipping and Adam. Inputs: theta, adam_m, adam_v [P], lr and eps (already bias-corrected for
 * this step), samples, targets, frames, global_id. Outputs: theta_next, adam_m_next, adam_v_next,
 * loss, grad_norm.
 */
export function trainStepGraph(cfg: WaveNetConfig, shape: SequenceShape, opt: OptimizerSettings, dtype: DType = 'float32', tuning: GraphTuning = {}): Uint8Array {
  return toOnnx(withinBufferSize(cfg, shape, dtype, (pieces) => trainStepBuilder(cfg, shape, opt, dtype, pieces, tuning)));
}

/** How a training graph is laid out for the device that runs it (the function is the same). */
export interface GraphTuning {
  /** GraphBuilder.weightGradientParts: the CPU's intra-op threads; 1 elsewhere. */
  weightGradientParts?: number;
  /** Activations as columns (wavenet.ts's layout()): CPU graphs on one or two threads (train/step.ts columnsSuit). */
  columns?: boolean;
}

/** A builder for a training graph, tuned for the device that runs it. */
function tunedBuilder(dtype: DType, tuning: GraphTuning): GraphBuilder {
  const g = new GraphBuilder(dtype);
  g.weightGradientParts = tuning.weightGradientParts ?? 1;
  g.columns = tuning.columns ?? false;
  return g;
}

function trainStepBuilder(cfg: WaveNetConfig, shape: SequenceShape, opt: OptimizerSettings, dtype: DType, pieces: readonly number[], tuning: GraphTuning): GraphBuilder {
  const g = tunedBuilder(dtype, tuning);
  const specs = paramSpecs(cfg);
  const P = paramCount(specs);
  const theta = g.input('theta', dtype, [P]);
  const m = g.input('adam_m', dtype, [P]);
  const v = g.input('adam_v', dtype, [P]);
  const lr = g.input('lr', dtype, []);
  const eps = g.input('eps', dtype, []);
  const io = batchInputs(g, cfg, shape);
  const loss = meanLoss(g, cfg, packedParams(g, theta, specs), io, shape, pieces);
  const [grad] = gradients(g, loss, [theta]);
  clippedAdam(g, opt, { theta, m, v, lr, eps, grad: grad! });
  g.output(loss, 'loss');
  return g;
}

/**
 * Global-norm clipping of `grad` and one Adam update, as outputs theta_next, adam_m_next,
 * adam_v_next and grad_norm: the end of the one-graph step and the whole of adamGraph.
 */
function clippedAdam(g: GraphBuilder, opt: OptimizerSettings, x: { theta: Value; m: Value; v: Value; lr: Value; eps: Value; grad: Value }): void {
  const { theta, m, v, lr, eps, grad } = x;
  const dtype = theta.dtype;
  const P = theta.shape;
  const sq = g.node1('ReduceSumSquare', [grad], { dtype, shape: [] }, { keepdims: { kind: 'int', value: 0 } });
  const norm = g.node1('Sqrt', [sq], { dtype, shape: [] });
  const ratio = g.node1('Div', [g.scalar(opt.clip), op.add(g, norm, g.scalar(1e-6))], { dtype, shape: [] });
  const scale = g.node1('Min', [ratio, g.scalar(1)], { dtype, shape: [] });
  const clipped = op.mul(g, grad, scale);

  const mNext = op.add(g, op.mul(g, m, g.scalar(opt.beta1)), op.mul(g, clipped, g.scalar(1 - opt.beta1)));
  const vNext = op.add(g, op.mul(g, v, g.scalar(opt.beta2)), op.mul(g, op.mul(g, clipped, clipped), g.scalar(1 - opt.beta2)));
  const denom = op.add(g, g.node1('Sqrt', [vNext], { dtype, shape: P }), eps);
  const stepv = g.node1('Div', [op.mul(g, mNext, lr), denom], { dtype, shape: P });
  g.output(op.sub(g, theta, stepv), 'theta_next');
  g.output(mNext, 'adam_m_next');
  g.output(vNext, 'adam_v_next');
  g.output(norm, 'grad_norm');
}

/**
 * The optimizer half of a step run as pieces (micro-batches, engine/train/step.ts): the batch's
 * gradient, summed over its pieces' lossGraph gradients, clipped and applied exactly as the
 * one-graph step does. Inputs theta, adam_m, adam_v, grad [P], lr, eps; outputs theta_next,
 * adam_m_next, adam_v_next, grad_norm.
 */
export function adamGraph(cfg: WaveNetConfig, opt: OptimizerSettings, dtype: DType = 'float32'): Uint8Array {
  const g = new GraphBuilder(dtype);
  const P = paramCount(paramSpecs(cfg));
  const theta = g.input('theta', dtype, [P]);
  const m = g.input('adam_m', dtype, [P]);
  const v = g.input('adam_v', dtype, [P]);
  const grad = g.input('grad', dtype, [P]);
  const lr = g.input('lr', dtype, []);
  const eps = g.input('eps', dtype, []);
  clippedAdam(g, opt, { theta, m, v, lr, eps, grad });
  return toOnnx(g);
}

/** Mean loss of a batch for given packed parameters (validation, gradient checks). */
export function lossGraph(cfg: WaveNetConfig, shape: SequenceShape, dtype: DType = 'float32', withGradient = false, tuning: GraphTuning = {}): Uint8Array {
  return toOnnx(withinBufferSize(cfg, shape, dtype, (pieces) => {
    const g = tunedBuilder(dtype, tuning);
    const specs = paramSpecs(cfg);
    const theta = g.input('theta', dtype, [paramCount(specs)]);
    const io = batchInputs(g, cfg, shape);
    const loss = meanLoss(g, cfg, packedParams(g, theta, specs), io, shape, pieces);
    g.output(loss, 'loss');
    if (withGradient) g.output(gradients(g, loss, [theta])[0]!, 'grad');
    return g;
  }));
}

/**
 * The model file's graph: teacher-forced logits for any batch and length, weights as initializers
 * and the config in metadata_props, runnable by any ONNX Runtime.
 */
export function forwardModel(cfg: WaveNetConfig, flat: Float32Array, metadata: Record<string, string>): Uint8Array {
  const g = new GraphBuilder('float32');
  const specs = paramSpecs(cfg);
  const p = initializerParams(g, specs, flat);
  // Built at one nominal length; every reshape is emitted length-free, and the inputs and output
  // are declared with free batch and length, so the graph runs at any.
  const B = 1;
  const T = cfg.hop * 4;
  const samples = g.input('samples', 'int64', [B, T]);
  const frames = cfg.condition !== 'none' ? g.input('frames', 'float32', [B, T / cfg.hop, cfg.conditionBins]) : null;
  const globalId = cfg.globalClasses > 0 ? g.input('global_id', 'int64', [B]) : null;
  const cond = frameConditioning(g, cfg, p, frames, globalId, B);
  const logits = forward(g, cfg, p, samples, cond, { batch: B, length: T, anyLength: true });
  g.output(logits, 'logits');
  const free = (v: Value, keep: number): Value => ({ ...v, shape: v.shape.map((d, i) => (i < keep ? -1 : d)) });
  g.inputs.splice(0, g.inputs.length, ...g.inputs.map((v) => free(v, v.name === 'global_id' ? 1 : 2)));
  g.outputs.splice(0, 1, free(g.outputs[0]!, 2));
  return toOnnx(g, { metadata });
}

/**
 * Frame-rate conditioning for generation: frames [1, F, C] (and global_id [1]) → cond [1, F, L·G].
 * Unconditional models take no frames and give one row.
 */
export function conditioningGraph(cfg: WaveNetConfig, flat: Float32Array): Uint8Array {
  const g = new GraphBuilder('float32');
  const p = initializerParams(g, paramSpecs(cfg), flat);
  const frames = cfg.condition !== 'none' ? g.input('frames', 'float32', [1, -1, cfg.conditionBins]) : null;
  const globalId = cfg.globalClasses > 0 ? g.input('global_id', 'int64', [1]) : null;
  const cond = frameConditioning(g, cfg, p, frames, globalId, 1);
  g.output(cond, 'cond');
  g.outputs[0] = { name: 'cond', dtype: 'float32', shape: [-1, -1, dilations(cfg).length * cfg.gate] };
  return toOnnx(g);
}

/**
 * One generation step for N streams (Fast WaveNet), with the dilated convolution's past tap taken
 * off the per-sample chain. Inputs: x0 [N, R] (the embedding of the last two samples),
 * past [N, L·G] (per layer the past tap W_past·x_l(t−d), which the caller keeps from the step d
 * samples ago: `taps`) and cond [N, L·G] (this sample's conditioning row, with the folded
 * convolution bias); one Add joins them.
 * Outputs: logits [N, Q] and taps [L, N, G]: each layer's past-tap product of its input now,
 * x_l(t)·W_past_l, all layers in one batched MatMul, for the sample d later. So a layer on the
 * chain is one R→G Gemm, the gate, and the residual Gemm (no Concat), and the skip projections of
 * all layers are one Gemm over the concatenated gates. `flat` must come from foldResidualBiases
 * (the residual update is then a Gemm with no bias add). At one sample a step is bound by
 * per-node overhead and the number of small GEMVs, not by arithmetic.
 */
export function stepGraph(cfg: WaveNetConfig, folded: Float32Array): Uint8Array {
  const g = new GraphBuilder('float32');
  const p = initializerParams(g, paramSpecs(cfg), folded);
  const weights = unpackParams(paramSpecs(cfg), folded);
  const { residual: R, gate: G, skip: S } = cfg;
  const half = G / 2;
  const dil = dilations(cfg);
  const L = dil.length;
  const N = -1;
  const x0 = g.input('x0', 'float32', [N, R]);
  // Each layer's past tap plus its conditioning row, summed by the caller as it gathers them.
  const preIn = g.input('pre', 'float32', [N, L * G]);
  // Each layer's row as its filter and gate halves: [a_l | b_l] for every layer.
  const pres = op.split(g, preIn, 1, dil.flatMap(() => [half, half]));
  const gemm = (a: Value, b: Value, c: Value, n: number): Value => g.node1('Gemm', [a, b, c], { dtype: 'float32', shape: [N, n] });

  // conv.weight [2R, G]: rows 0..R−1 the past tap (stacked [L, R, G] for the batched MatMul), R..2R−1 the current one.
  const pastStack = new Float32Array(L * R * G);
  // The current tap's filter and gate columns as two [R, half] Gemms, so that ONNX Runtime fuses
  // each with its activation (FusedGemm) and the gate needs no Split.
  const currentWeights = dil.map((_, l) => {
    const w = weights.get(`layer${l}.conv.weight`)!;
    pastStack.set(w.subarray(0, R * G), l * R * G);
    const filter = new Float32Array(R * half);
    const gate = new Float32Array(R * half);
    for (let i = 0; i < R; i++) {
      filter.set(w.subarray((R + i) * G, (R + i) * G + half), i * half);
      gate.set(w.subarray((R + i) * G + half, (R + i + 1) * G), i * half);
    }
    return [g.initializer(`layer${l}.filter.weight`, 'float32', [R, half], filter), g.initializer(`layer${l}.gate.weight`, 'float32', [R, half], gate)] as const;
  });
  // out.weight [half, R + S] splits into the residual and skip projections.
  const { residual, skipStack, skipBias } = outProjections(cfg, weights);
  const residualWeights = residual.map((res, l) => g.initializer(`layer${l}.res.weight`, 'float32', [half, R], res));

  let x = x0;
  const layerInputs: Value[] = [];
  const gates: Value[] = [];
  dil.forEach((_, l) => {
    layerInputs.push(x);
    const [wa, wb] = currentWeights[l]!;
    gates.push(op.mul(g, op.tanh(g, gemm(x, wa, pres[2 * l]!, half)), op.sigmoid(g, gemm(x, wb, pres[2 * l + 1]!, half))));
    if (l < L - 1) x = gemm(gates[l]!, residualWeights[l]!, x, R);
  });
  const skip = gemm(
    op.concat(g, gates, 1),
    g.initializer('skip.weight', 'float32', [L * half, S], skipStack),
    g.initializer('skip.bias', 'float32', [S], skipBias),
    S,
  );
  const h1 = op.relu(g, gemm(op.relu(g, skip), p('head1.weight'), p('head1.bias'), cfg.head));
  g.output(gemm(h1, p('head2.weight'), p('head2.bias'), cfg.quantization), 'logits');
  // Layer inputs stacked layer-major [L·N, R] → [L, N, R], times [L, R, G]: [L, N, G].
  const stacked = g.node1('Reshape', [op.concat(g, layerInputs, 0), g.int64s([L, -1, R])], { dtype: 'float32', shape: [L, N, R] });
  const taps = g.node1('MatMul', [stacked, g.initializer('past.weight', 'float32', [L, R, G], pastStack)], { dtype: 'float32', shape: [L, N, G] });
  g.output(taps, 'taps');
  return toOnnx(g);
}

/**
 * The previous generation step (kept as the reference stepGraph is tested against): for N streams (Fast WaveNet): inputs x0 [N, R] (the embedding of the last
 * two samples), past [N, L·R] (each layer's input d samples ago, from the caller's ring buffers)
 * and cond [N, L·G] (this sample's conditioning row). Outputs logits [N, Q] and layer_inputs
 * [N, L·R] (each layer's input now, for the ring buffers). O(layers) work per sample, and few
 * nodes per layer, since at one sample a step is bound by per-node overhead: `flat` must come
 * from foldResidualBiases (the residual update is then a single Gemm), and every layer's skip
 * projection is one Gemm over the concatenated gates.
 */
export function referenceStepGraph(cfg: WaveNetConfig, folded: Float32Array): Uint8Array {
  const g = new GraphBuilder('float32');
  const p = initializerParams(g, paramSpecs(cfg), folded);
  const weights = unpackParams(paramSpecs(cfg), folded);
  const { residual: R, gate: G, skip: S } = cfg;
  const half = G / 2;
  const dil = dilations(cfg);
  const L = dil.length;
  const N = -1;
  const x0 = g.input('x0', 'float32', [N, R]);
  const past = g.input('past', 'float32', [N, L * R]);
  const condIn = g.input('cond', 'float32', [N, L * G]);
  const pasts = op.split(g, past, 1, dil.map(() => R));
  const conds = op.split(g, condIn, 1, dil.map(() => G));
  const gemm = (a: Value, b: Value, c: Value, n: number): Value => g.node1('Gemm', [a, b, c], { dtype: 'float32', shape: [N, n] });

  // out.weight [half, R + S] splits into the residual and skip projections.
  const { residual, skipStack, skipBias } = outProjections(cfg, weights);
  const residualWeights = residual.map((res, l) => g.initializer(`layer${l}.res.weight`, 'float32', [half, R], res));

  let x = x0;
  const layerInputs: Value[] = [];
  const gates: Value[] = [];
  dil.forEach((_, l) => {
    layerInputs.push(x);
    const z = gemm(op.concat(g, [pasts[l]!, x], 1), p(`layer${l}.conv.weight`), conds[l]!, G);
    const [a, b] = op.split(g, z, 1, [half, half]);
    const h = op.mul(g, op.tanh(g, a!), op.sigmoid(g, b!));
    gates.push(h);
    if (l < L - 1) x = gemm(h, residualWeights[l]!, x, R);
  });
  const skip = gemm(
    op.concat(g, gates, 1),
    g.initializer('skip.weight', 'float32', [L * half, S], skipStack),
    g.initializer('skip.bias', 'float32', [S], skipBias),
    S,
  );
  const h1 = op.relu(g, gemm(op.relu(g, skip), p('head1.weight'), p('head1.bias'), cfg.head));
  g.output(gemm(h1, p('head2.weight'), p('head2.bias'), cfg.quantization), 'logits');
  g.output(op.concat(g, layerInputs, 1), 'layer_inputs');
  return toOnnx(g);
}
