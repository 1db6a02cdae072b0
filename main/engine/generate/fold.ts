import { dilations, type WaveNetConfig } from '../model/config';
import { paramSpecs, unpackParams } from '../model/params';

export interface FoldedWeights {
  /** The packed weights with each layer's convolution bias absorbing the residual biases before it. */
  flat: Float32Array;
  /** c_l: the sum of residual biases before layer l; ring buffers start at −c_l. */
  offsets: Float32Array[];
}

/**
 * Generation keeps the residual stream without its accumulated biases, x'_l = x_l − c_l, so that
 * the step graph's residual update is one Gemm (x' + h·W_res) with no bias add. Exact: the
 * convolution of x equals that of x' plus [c_l, c_l]·W, folded here into the convolution bias, and
 * zero padding of x (t < d) is −c_l in x' space.
 */
export function foldResidualBiases(cfg: WaveNetConfig, flat: Float32Array): FoldedWeights {
  const { residual: R, gate: G } = cfg;
  const out = Float32Array.from(flat);
  const p = unpackParams(paramSpecs(cfg), out);
  const offsets: Float32Array[] = [];
  const c = new Float32Array(R);
  dilations(cfg).forEach((_, l) => {
    offsets.push(Float32Array.from(c));
    const w = p.get(`layer${l}.conv.weight`)!; // [2R, G]: rows 0..R−1 the past tap, R..2R−1 the current one
    const bias = p.get(`layer${l}.conv.bias`)!;
    for (let j = 0; j < G; j++) {
      let s = 0;
      for (let i = 0; i < R; i++) s += c[i]! * (w[i * G + j]! + w[(R + i) * G + j]!);
      bias[j]! += s;
    }
    const outBias = p.get(`layer${l}.out.bias`)!; // [R + S]: residual part first
    for (let i = 0; i < R; i++) c[i]! += outBias[i]!;
  });
  return { flat: out, offsets };
}

/**
 * Each layer's past tap of its zero padding, −c_l·W_past, [L·G]: what a ring buffer slot holds
 * before time d (x' of zero padding is −c_l).
 */
export function paddingTaps(cfg: WaveNetConfig, folded: FoldedWeights): Float32Array {
  const { residual: R, gate: G } = cfg;
  const L = dilations(cfg).length;
  const pf = unpackParams(paramSpecs(cfg), folded.flat);
  const taps = new Float32Array(L * G);
  for (let l = 0; l < L; l++) {
    const w = pf.get(`layer${l}.conv.weight`)!; // rows 0..R−1: the past tap
    const c = folded.offsets[l]!;
    for (let j = 0; j < G; j++) {
      let s = 0;
      for (let i = 0; i < R; i++) s -= c[i]! * w[i * G + j]!;
      taps[l * G + j] = s;
    }
  }
  return taps;
}
