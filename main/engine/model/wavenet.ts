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
 * Teacher-forced forward pass over whole sequences: samples int64 [B, T] → logits [B, T, Q].
 * `cond` is frameConditioning's output.
 */
export function forward(g: GraphBuilder, cfg: WaveNetConfig, p: ParamLookup, samples: Value, cond: Value, shape: SequenceShape): Value {
  const { batch: B, length: T } = shape;
  const { residual: R, gate: G, skip: S, hop } = cfg;
  const dil = dilations(cfg);
  const local = cfg.condition !== 'none';
  const F = local ? T / hop : 1;
  const perLayer = op.split(g, cond, 2, dil.map(() => G));
  let x = embed(g, p, samples);
  let skip: Value | null = null;
  dil.forEach((d, l) => {
    const taps = op.concat(g, [op.shift(g, x, 1, d), x], 2);
    let z = op.matmul(g, taps, p(`layer${l}.conv.weight`));
    if (local) {
      const zf = op.reshape(g, z, [B, F, hop, G], shape.anyLength ? [0, -1, hop, G] : undefined);
      const c = op.reshape(g, perLayer[l]!, [B, F, 1, G], shape.anyLength ? [0, -1, 1, G] : undefined);
      z = op.reshape(g, op.add(g, zf, c), [B, T, G], shape.anyLength ? [0, -1, G] : undefined);
    } else {
      z = op.add(g, z, perLayer[l]!);
    }
    const [a, b] = op.split(g, z, 2, [G / 2, G / 2]);
    const h = op.mul(g, op.tanh(g, a!), op.sigmoid(g, b!));
    const o = op.add(g, op.matmul(g, h, p(`layer${l}.out.weight`)), p(`layer${l}.out.bias`));
    const [res, sk] = op.split(g, o, 2, [R, S]);
    x = op.add(g, x, res!);
    skip = skip ? op.add(g, skip, sk!) : sk!;
  });
  return head(g, p, skip!);
}

/** ReLU → 1×1 → ReLU → 1×1: skip sum to class logits. */
export function head(g: GraphBuilder, p: ParamLookup, skip: Value): Value {
  const h = op.relu(g, op.add(g, op.matmul(g, op.relu(g, skip), p('head1.weight')), p('head1.bias')));
  return op.add(g, op.matmul(g, h, p('head2.weight')), p('head2.bias'));
}
