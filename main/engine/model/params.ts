import { Random } from '../util/random';
import { dilations, type WaveNetConfig } from './config';

/** One trainable tensor: its name, shape and initial scale. */
export interface ParamSpec {
  name: string;
  shape: number[];
  /** Standard deviation of the normal initialisation; 0 for biases. */
  std: number;
}

/** Every parameter of the model, in the order they are packed into the flat vector. */
export function paramSpecs(cfg: WaveNetConfig): ParamSpec[] {
  const { residual: R, gate: G, skip: S, head: H, quantization: Q } = cfg;
  const half = G / 2;
  const specs: ParamSpec[] = [
    { name: 'embed.prev', shape: [Q, R], std: Math.SQRT1_2 },
    { name: 'embed.cur', shape: [Q, R], std: Math.SQRT1_2 },
    { name: 'embed.bias', shape: [R], std: 0 },
  ];
  const L = dilations(cfg).length;
  if (cfg.condition !== 'none') {
    const C = cfg.conditionBins;
    const U = cfg.upsampleChannels;
    specs.push(
      { name: 'upsample.weight', shape: [3 * C, U], std: 1 / Math.sqrt(3 * C) },
      { name: 'upsample.bias', shape: [U], std: 0 },
      { name: 'cond.weight', shape: [U, L * G], std: 1 / Math.sqrt(U) },
    );
  }
  if (cfg.globalClasses > 0) specs.push({ name: 'global.embed', shape: [cfg.globalClasses, L * G], std: 0.1 });
  for (let l = 0; l < L; l++) {
    specs.push(
      { name: `layer${l}.conv.weight`, shape: [2 * R, G], std: 1 / Math.sqrt(2 * R) },
      { name: `layer${l}.conv.bias`, shape: [G], std: 0 },
      { name: `layer${l}.out.weight`, shape: [half, R + S], std: 1 / Math.sqrt(half) },
      { name: `layer${l}.out.bias`, shape: [R + S], std: 0 },
    );
  }
  specs.push(
    { name: 'head1.weight', shape: [S, H], std: 1 / Math.sqrt(S * L) },
    { name: 'head1.bias', shape: [H], std: 0 },
    { name: 'head2.weight', shape: [H, Q], std: 0.5 / Math.sqrt(H) },
    { name: 'head2.bias', shape: [Q], std: 0 },
  );
  return specs;
}

export function paramCount(specs: readonly ParamSpec[]): number {
  return specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
}

/** Seeded initial weights, packed in `paramSpecs` order. */
export function initialParams(specs: readonly ParamSpec[], seed: number): Float32Array {
  const rng = new Random(seed);
  const out = new Float32Array(paramCount(specs));
  let k = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    for (let i = 0; i < n; i++) out[k++] = s.std === 0 ? 0 : s.std * rng.normal();
  }
  return out;
}

/** Views of each parameter inside the flat vector. */
export function unpackParams(specs: readonly ParamSpec[], flat: Float32Array): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  let k = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    out.set(s.name, flat.subarray(k, k + n));
    k += n;
  }
  return out;
}

/**
 * Each layer's out.weight [G/2, R + S] as its residual part [G/2, R], the skip parts of all layers
 * stacked [L·G/2, S] (one Gemm over the concatenated gates), and the skip biases summed over layers.
 */
export function outProjections(cfg: WaveNetConfig, weights: Map<string, Float32Array>): { residual: Float32Array[]; skipStack: Float32Array; skipBias: Float32Array } {
  const { residual: R, gate: G, skip: S } = cfg;
  const half = G / 2;
  const L = dilations(cfg).length;
  const skipStack = new Float32Array(L * half * S);
  const skipBias = new Float32Array(S);
  const residual = Array.from({ length: L }, (_, l) => {
    const w = weights.get(`layer${l}.out.weight`)!;
    const b = weights.get(`layer${l}.out.bias`)!;
    const res = new Float32Array(half * R);
    for (let i = 0; i < half; i++) {
      for (let j = 0; j < R; j++) res[i * R + j] = w[i * (R + S) + j]!;
      for (let j = 0; j < S; j++) skipStack[(l * half + i) * S + j] = w[i * (R + S) + R + j]!;
    }
    for (let j = 0; j < S; j++) skipBias[j]! += b[R + j]!;
    return res;
  });
  return { residual, skipStack, skipBias };
}
