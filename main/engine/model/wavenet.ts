import type { GraphBuilder } from '../graph/builder';
import * as op from '../graph/ops/index';
import type { Value } from '../graph/types';
import { dilations, type WaveNetConfig } from './config';

/** Looks a parameter up by name: a slice of the packed vector in training, an initializer in a model file. */
export type ParamLookup = (name: string) => Value;

/**
 * Per-layer conditioning at frame rate, [B, F, L·G] ([1 or B, 1, L·G] without local features):
 * the learned upsampler (width-3 frame convolution, tanh) projected into every layer, plus each
 * layer's convolution bias and the global class embedding. Projecting before repeating to sample
 * rate costs hop× less than projecting upsampled features, and is exactly equal because repetition
 * commutes with a per-sample linear map.
 */
export function frameConditioning(
  g: GraphBuilder,
  cfg: WaveNetConfig,
  p: ParamLookup,
  frames: Value | null,
  globalId: Value | null,
  batch: number,
): Value {
  const L = dilations(cfg).length;
  const width = L * cfg.gate;
  const biases = op.concat(
    g,
    dilations(cfg).map((_, l) => p(`layer${l}.conv.bias`)),
    0,
  );
  let cond: Value;
  if (frames && cfg.condition !== 'none') {
    const around = op.concat(g, [op.shift(g, frames, 1, 1), frames, op.shift(g, frames, 1, -1)], 2);
    const up = op.tanh(g, op.add(g, op.matmul(g, around, p('upsample.weight')), p('upsample.bias')));
    cond = op.add(g, op.matmul(g, up, p('cond.weight')), biases);
  } else {
    cond = op.reshape(g, biases, [1, 1, width]);
  }
  if (globalId && cfg.globalClasses > 0) {
    const emb = op.reshape(g, op.gather(g, p('global.embed'), globalId), [batch, 1, width], [-1, 1, width]);
    cond = op.add(g, cond, emb);
  }
  return cond;
}

export interface SequenceShape {
  batch: number;
  /** Samples per sequence (a multiple of hop when locally conditioned). */
  length: number;
  /** Emit reshapes that stay valid for any batch and length (the model file's forward graph). */
  anyLength?: boolean;
}

/** Causal embedding of the mu-law input: a kernel-2 convolution over one-hot classes. */
function embed(g: GraphBuilder, p: ParamLookup, samples: Value): Value {
  const cur = op.gather(g, p('embed.cur'), samples);
  const prev = op.shift(g, op.gather(g, p('embed.prev'), samples), 1, 1);
  return op.add(g, op.add(g, cur, prev), p('embed.bias'));
}

/**
 * How activations are held. Training (static shapes): as rows [B·T, C], so that every 1×1
 * convolution is one Gemm whose addend C carries the running sum (residual, skip, the convolution's
 * past tap), with no Add pass and no Split of a wide output; the backward pass then chains its
 * GEMMs through C too (autodiff's sumInto). The model file (any batch and length): as [B, T, C]
 * with MatMul and Add, since rows could not be given back their batch and length without shape ops.
 */
interface Layout {
  /** x · w (+ c, an [N] bias or an addend in this layout). */
  linear(x: Value, w: Value, c?: Value): Value;
  /** The layout's value as [B, T, C], and back. */
  toSequence(v: Value): Value;
  fromSequence(v: Value): Value;
  /** The layout's value as [B, F, hop, C] (frames of hop samples), and back. */
  toFrames(v: Value, hop: number): Value;
  fromFrames(v: Value): Value;
}

function layout(g: GraphBuilder, shape: SequenceShape): Layout {
  const { batch: B, length: T } = shape;
  const last = (v: Value): number => v.shape[v.shape.length - 1]!;
  if (shape.anyLength) {
    return {
      linear: (x, w, c) => (c ? op.add(g, op.matmul(g, x, w), c) : op.matmul(g, x, w)),
      toSequence: (v) => v,
      fromSequence: (v) => v,
      toFrames: (v, hop) => op.reshape(g, v, [B, T / hop, hop, last(v)], [0, -1, hop, last(v)]),
      fromFrames: (v) => op.reshape(g, v, [B, T, last(v)], [0, -1, last(v)]),
    };
  }
  // One row view per value, so that all its readers share it and its gradient is summed in rows.
  const rowsOf = new Map<string, Value>();
  const rows = (v: Value): Value => {
    let r = rowsOf.get(v.name);
    if (!r) {
      r = op.reshape(g, v, [B * T, last(v)]);
      rowsOf.set(v.name, r);
    }
    return r;
  };
  return {
    linear: (x, w, c) => op.gemm(g, x, w, false, false, c),
    toSequence: (v) => op.reshape(g, v, [B, T, last(v)]),
    fromSequence: rows,
    toFrames: (v, hop) => op.reshape(g, v, [B, T / hop, hop, last(v)]),
    fromFrames: rows,
  };
}

/**
 * Teacher-forced forward pass over whole sequences: samples int64 [B, T] → logits [B, T, Q].
 * `cond` is frameConditioning's output. Per layer: z = x(t)·W_cur + x(t−d)·W_past + cond, the two
 * taps as two products of the rows of conv.weight (x delayed by d, then its product: no [B, T, 2R]
 * concatenation of the taps is kept for the backward pass); h = tanh(z_a)·σ(z_b); the residual
 * and skip projections as two products of the columns of out.weight, each accumulating into its
 * running sum; the skip biases of all layers
 * summed once. The last layer's residual output is never used, so it is not computed.
 */
export function forward(g: GraphBuilder, cfg: WaveNetConfig, p: ParamLookup, samples: Value, cond: Value, shape: SequenceShape): Value {
  const { residual: R, gate: G, skip: S, hop } = cfg;
  const half = G / 2;
  const dil = dilations(cfg);
  const local = cfg.condition !== 'none';
  const lay = layout(g, shape);
  const perLayer = op.split(g, cond, 2, dil.map(() => G));
  const outBias = dil.map((_, l) => op.split(g, p(`layer${l}.out.bias`), 0, [R, S]));
  let skipBias = outBias[0]![1]!;
  for (let l = 1; l < dil.length; l++) skipBias = op.add(g, skipBias, outBias[l]![1]!);
  let x = lay.fromSequence(embed(g, p, samples));
  let skip: Value = skipBias;
  dil.forEach((d, l) => {
    const [wPast, wCur] = op.split(g, p(`layer${l}.conv.weight`), 0, [R, R]);
    const delayed = lay.fromSequence(op.shift(g, lay.toSequence(x), 1, d));
    const past = lay.linear(delayed, wPast!);
    const pastAndCond = local
      ? lay.fromFrames(op.add(g, lay.toFrames(past, hop), op.reshape(g, perLayer[l]!, [perLayer[l]!.shape[0]!, perLayer[l]!.shape[1]!, 1, G], shape.anyLength ? [0, -1, 1, G] : undefined)))
      : lay.fromSequence(op.add(g, lay.toSequence(past), perLayer[l]!));
    const z = lay.linear(x, wCur!, pastAndCond);
    const [a, b] = op.split(g, z, z.shape.length - 1, [half, half]);
    const h = op.mul(g, op.tanh(g, a!), op.sigmoid(g, b!));
    const [wRes, wSkip] = op.split(g, p(`layer${l}.out.weight`), 1, [R, S]);
    skip = lay.linear(h, wSkip!, skip);
    if (l < dil.length - 1) x = op.add(g, lay.linear(h, wRes!, x), outBias[l]![0]!);
  });
  return lay.toSequence(head(g, lay, p, skip));
}

/** ReLU → 1×1 → ReLU → 1×1: skip sum to class logits. */
function head(g: GraphBuilder, lay: Layout, p: ParamLookup, skip: Value): Value {
  const h = op.relu(g, lay.linear(op.relu(g, skip), p('head1.weight'), p('head1.bias')));
  return lay.linear(h, p('head2.weight'), p('head2.bias'));
}
