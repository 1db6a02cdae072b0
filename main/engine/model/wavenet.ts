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
function embed(g: GraphBuilder, lay: Layout, p: ParamLookup, samples: Value): Value {
  const cur = lay.lookup(p('embed.cur'), samples);
  const prev = lay.delay(lay.lookup(p('embed.prev'), samples), 1);
  return op.add(g, op.add(g, cur, prev), lay.bias(p('embed.bias')));
}

/**
 * How activations are held, three ways with one forward():
 * - rows [B·T, C] (training, static shapes): every 1×1 convolution is one Gemm whose addend C
 *   carries the running sum (residual, skip, the convolution's past tap), with no Add pass and no
 *   Split of a wide output; the backward pass then chains its GEMMs through C too (autodiff's
 *   sumInto).
 * - columns [C, B·T] (CPU training graphs on one or two threads, as PyTorch's conv1d holds them):
 *   each 1×1 convolution is Wᵀ·x, so a weight's gradient is x·dyᵀ, both operands with the long
 *   axis innermost, where rows give xᵀ·dy, which ONNX Runtime's CPU GEMM runs at two thirds the
 *   speed on one thread; the gate's halves are products of their own. On many threads rows are
 *   faster (train/step.ts columnsSuit).
 * - sequence [B, T, C] (the model file, any batch and length): MatMul and Add, since rows could
 *   not be given back their batch and length without shape ops.
 */
interface Layout {
  /** x · w (+ c, a bias as bias() gives it or an addend in this layout). */
  linear(x: Value, w: Value, c?: Value): Value;
  /** A bias [C] as it adds to a value in this layout. */
  bias(b: Value): Value;
  /** The axis of the channels. */
  channels: number;
  /**
   * Whether the gate's halves are products of their own (halves of the weights, row blocks of
   * the conditioning): columns, where it is the same GEMM work with no Split of the pre-activation
   * nor Concat of its gradient; elsewhere one product and a Split.
   */
  halvesApart: boolean;
  /** A table's rows [n, C] for samples [B, T], in this layout. */
  lookup(table: Value, samples: Value): Value;
  /** A value in this layout as [B, T, C]. */
  toSequence(v: Value): Value;
  /** x delayed by d samples along time (zeros enter). */
  delay(x: Value, d: number): Value;
  /** frameConditioning's [B', F', L·G] as L per-layer values that addConditioning takes. */
  perLayer(cond: Value, G: number, layers: number): Value[];
  /** A layer's [G] channels plus its conditioning (every sample of a frame gets the frame's). */
  addConditioning(past: Value, cond: Value): Value;
}

function layout(g: GraphBuilder, cfg: WaveNetConfig, shape: SequenceShape): Layout {
  const { batch: B, length: T } = shape;
  const { hop } = cfg;
  const local = cfg.condition !== 'none';
  const last = (v: Value): number => v.shape[v.shape.length - 1]!;
  // Columns where the graph is tuned so (GraphBuilder.columns: CPU training graphs on one or two threads).
  if (g.columns) {
    const N = B * T;
    const perLayer = (cond: Value, G: number, layers: number): Value[] => {
      const [Bc, Fc] = cond.shape as [number, number, number];
      // One transpose of the small frame-rate tensor; each layer's conditioning is then a row block.
      const rows = op.split(g, op.transpose(g, cond, [2, 0, 1]), 0, new Array<number>(layers).fill(G));
      return rows.map((c) => op.reshape(g, c, [G, Bc, Fc, 1]));
    };
    return {
      linear: (x, w, c) => op.gemm(g, w, x, true, false, c),
      bias: (b) => op.reshape(g, b, [b.shape[0]!, 1]),
      channels: 0,
      halvesApart: true,
      lookup: (table, samples) => op.transpose(g, op.reshape(g, op.gather(g, table, samples), [N, last(table)]), [1, 0]),
      toSequence: (v) => op.reshape(g, op.transpose(g, v, [1, 0]), [B, T, v.shape[0]!]),
      delay: (x, d) => op.reshape(g, op.shift(g, op.reshape(g, x, [x.shape[0]!, B, T]), 2, d), [x.shape[0]!, N]),
      perLayer,
      addConditioning: (past, cond) => {
        const [G, , Fc] = cond.shape as [number, number, number, number];
        return op.reshape(g, op.add(g, op.reshape(g, past, [G, B, Fc, T / Fc]), cond), [G, N]);
      },
    };
  }
  const perLayer = (cond: Value, G: number, layers: number): Value[] => op.split(g, cond, 2, new Array<number>(layers).fill(G));
  if (shape.anyLength) {
    const toFrames = (v: Value): Value => op.reshape(g, v, [B, T / hop, hop, last(v)], [0, -1, hop, last(v)]);
    const fromFrames = (v: Value): Value => op.reshape(g, v, [B, T, last(v)], [0, -1, last(v)]);
    return {
      linear: (x, w, c) => (c ? op.add(g, op.matmul(g, x, w), c) : op.matmul(g, x, w)),
      bias: (b) => b,
      channels: 2,
      halvesApart: false,
      lookup: (table, samples) => op.gather(g, table, samples),
      toSequence: (v) => v,
      delay: (x, d) => op.shift(g, x, 1, d),
      perLayer,
      addConditioning: (past, cond) => {
        const G = last(cond);
        return local ? fromFrames(op.add(g, toFrames(past), op.reshape(g, cond, [cond.shape[0]!, cond.shape[1]!, 1, G], [0, -1, 1, G]))) : op.add(g, past, cond);
      },
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
  const toSequence = (v: Value): Value => op.reshape(g, v, [B, T, last(v)]);
  return {
    linear: (x, w, c) => op.gemm(g, x, w, false, false, c),
    bias: (b) => b,
    channels: 1,
    halvesApart: false,
    lookup: (table, samples) => rows(op.gather(g, table, samples)),
    toSequence,
    delay: (x, d) => rows(op.shift(g, toSequence(x), 1, d)),
    perLayer,
    addConditioning: (past, cond) => {
      const G = last(cond);
      return local
        ? rows(op.add(g, op.reshape(g, past, [B, T / hop, hop, G]), op.reshape(g, cond, [cond.shape[0]!, cond.shape[1]!, 1, G])))
        : rows(op.add(g, toSequence(past), cond));
    },
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
  const { residual: R, gate: G, skip: S } = cfg;
  const half = G / 2;
  const dil = dilations(cfg);
  const lay = layout(g, cfg, shape);
  const apart = lay.halvesApart;
  const perLayer = apart ? lay.perLayer(cond, half, 2 * dil.length) : lay.perLayer(cond, G, dil.length);
  const outBias = dil.map((_, l) => op.split(g, p(`layer${l}.out.bias`), 0, [R, S]));
  let skipBias = outBias[0]![1]!;
  for (let l = 1; l < dil.length; l++) skipBias = op.add(g, skipBias, outBias[l]![1]!);
  let x = embed(g, lay, p, samples);
  let skip: Value = lay.bias(skipBias);
  dil.forEach((d, l) => {
    const [wPast, wCur] = op.split(g, p(`layer${l}.conv.weight`), 0, [R, R]);
    const delayed = lay.delay(x, d);
    // x(t)·wc + x(t−d)·wp + the layer's conditioning c.
    const preActivation = (wp: Value, wc: Value, c: Value): Value => lay.linear(x, wc, lay.addConditioning(lay.linear(delayed, wp), c));
    let a: Value, b: Value;
    if (apart) {
      const [wpA, wpB] = op.split(g, wPast!, 1, [half, half]);
      const [wcA, wcB] = op.split(g, wCur!, 1, [half, half]);
      a = preActivation(wpA!, wcA!, perLayer[2 * l]!);
      b = preActivation(wpB!, wcB!, perLayer[2 * l + 1]!);
    } else {
      [a, b] = op.split(g, preActivation(wPast!, wCur!, perLayer[l]!), lay.channels, [half, half]) as [Value, Value];
    }
    const h = op.gate(g, a, b);
    const [wRes, wSkip] = op.split(g, p(`layer${l}.out.weight`), 1, [R, S]);
    skip = lay.linear(h, wSkip!, skip);
    if (l < dil.length - 1) x = op.add(g, lay.linear(h, wRes!, x), lay.bias(outBias[l]![0]!));
  });
  return lay.toSequence(head(g, lay, p, skip));
}

/** ReLU → 1×1 → ReLU → 1×1: skip sum to class logits. */
function head(g: GraphBuilder, lay: Layout, p: ParamLookup, skip: Value): Value {
  const h = op.relu(g, lay.linear(op.relu(g, skip), p('head1.weight'), lay.bias(p('head1.bias'))));
  return lay.linear(h, p('head2.weight'), lay.bias(p('head2.bias')));
}
