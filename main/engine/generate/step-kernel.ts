// The one-stream WebAssembly step's weights (kernel/step.c; run through stream-state.ts).
import { dilations, type WaveNetConfig } from '../model/config';
import { outProjections, paramSpecs, unpackParams } from '../model/params';

/**
 * A row-major [K, M] matrix as kernel/step.c's gemv reads it: the K × 16 panel of each 16
 * columns, then the K × 4 panel of each 4 columns left, so one pass streams through memory.
 */
function panels(w: Float32Array, K: number, M: number): Float32Array {
  const out = new Float32Array(K * M);
  let at = 0;
  let m = 0;
  for (const width of [16, 4]) {
    for (; m + width <= M; m += width) {
      for (let k = 0; k < K; k++, at += width) out.set(w.subarray(k * M + m, k * M + m + width), at);
    }
  }
  return out;
}

/** The weights in the order kernel/step.c reads them (from foldResidualBiases' folded vector). */
export function packKernelWeights(cfg: WaveNetConfig, folded: Float32Array): Float32Array {
  const { residual: R, gate: G, skip: S } = cfg;
  const p = unpackParams(paramSpecs(cfg), folded);
  const parts: Float32Array[] = [];
  dilations(cfg).forEach((_, l) => {
    const conv = p.get(`layer${l}.conv.weight`)!; // [2R, G]: rows 0..R−1 the past tap, R..2R−1 the current one
    const both = new Float32Array(R * 2 * G);
    for (let i = 0; i < R; i++) {
      both.set(conv.subarray(i * G, (i + 1) * G), i * 2 * G);
      both.set(conv.subarray((R + i) * G, (R + i + 1) * G), i * 2 * G + G);
    }
    parts.push(panels(both, R, 2 * G), panels(p.get(`layer${l}.out.weight`)!, G / 2, R + S)); // out [H, R + S]
  });
  const { skipBias } = outProjections(cfg, p);
  const { head: HD, quantization: Q } = cfg;
  parts.push(skipBias, panels(p.get('head1.weight')!, S, HD), p.get('head1.bias')!, panels(p.get('head2.weight')!, HD, Q), p.get('head2.bias')!);
  const out = new Float32Array(parts.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of parts) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** Whether kernel/step.c can run this shape: its vectors are four floats wide. */
export function kernelFits(cfg: WaveNetConfig): boolean {
  const { residual: R, gate: G, skip: S, head: HD, quantization: Q } = cfg;
  return [R, G / 2, S, HD, Q].every((n) => n % 4 === 0);
}
