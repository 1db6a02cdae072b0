import { dilations, type WaveNetConfig } from '../model/config';
import { outProjections, paramSpecs, unpackParams } from '../model/params';
import { paddingTaps, type FoldedWeights } from './fold';
import { STEP_WASM_BASE64 } from './kernel/step-wasm';

type StepFn = (dims: number, weights: number, x0: number, cond: number, past: number, tap: number, logits: number, scratch: number) => void;

let compiled: WebAssembly.Module | null = null;

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
function packWeights(cfg: WaveNetConfig, folded: Float32Array): Float32Array {
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

/**
 * Generation steps as one WebAssembly call a stream (kernel/step.c): the same arithmetic as
 * stepGraph, without ONNX Runtime's per-node dispatch, which at one sample a step costs more than
 * the arithmetic. The ring buffers of past taps live in the module's memory, so nothing is copied
 * but the input: fill `x0` [N, R] and `cond` [N, L·G] (conditioning rows), call step(t, n), read
 * `logits` [N, Q]. Streams are stepped one after another (the weights are read once per stream,
 * so a batch does better in ONNX Runtime). Null where the shapes do not fit four-float vectors.
 */
export class StepKernel {
  readonly x0: Float32Array;
  readonly cond: Float32Array;
  readonly logits: Float32Array;
  private readonly run: StepFn;
  private readonly at: { dims: number; weights: number; x0: number; cond: number; past: number; tap: number; logits: number; scratch: number; pad: number; rings: number[] };
  private readonly pointers: { past: Int32Array; tap: Int32Array };
  private readonly cfg: WaveNetConfig;
  private readonly dil: number[];
  private readonly streams: number;

  private constructor(cfg: WaveNetConfig, folded: FoldedWeights, streams: number) {
    this.cfg = cfg;
    this.streams = streams;
    this.dil = dilations(cfg);
    const { residual: R, gate: G, skip: S, head: HD, quantization: Q } = cfg;
    const L = this.dil.length;
    const weights = packWeights(cfg, folded.flat);
    const floats = [8, weights.length, streams * R, streams * L * G, L, L, streams * Q, R + 2 * G + G / 2 + R + S + S + HD + 16, L * G, ...this.dil.map((d) => d * streams * G)];
    // The module's stack and data (a few pages) come first; grown below if short.
    const memory = new WebAssembly.Memory({ initial: 16 + Math.ceil(floats.reduce((a, n) => a + n * 4 + 16, 0) / 65536) });
    compiled ??= new WebAssembly.Module(Buffer.from(STEP_WASM_BASE64, 'base64'));
    const instance = new WebAssembly.Instance(compiled, { env: { memory } });
    const heapBase = (instance.exports.__heap_base as WebAssembly.Global).value as number;
    // Each region 16-byte aligned after the module's own stack and data.
    const offsets: number[] = [];
    let end = Math.ceil(heapBase / 16) * 16;
    for (const n of floats) {
      offsets.push(end);
      end += Math.ceil((n * 4) / 16) * 16;
    }
    memory.grow(Math.max(0, Math.ceil(end / 65536) - memory.buffer.byteLength / 65536));
    const [dims, w, x0, cond, past, tap, logits, scratch, pad, ...rings] = offsets as number[];
    this.at = { dims: dims!, weights: w!, x0: x0!, cond: cond!, past: past!, tap: tap!, logits: logits!, scratch: scratch!, pad: pad!, rings };
    new Int32Array(memory.buffer, dims!, 6).set([L, R, G, S, HD, Q]);
    new Float32Array(memory.buffer, w!, weights.length).set(weights);
    new Float32Array(memory.buffer, pad!, L * G).set(paddingTaps(cfg, folded));
    this.x0 = new Float32Array(memory.buffer, x0!, streams * R);
    this.cond = new Float32Array(memory.buffer, cond!, streams * L * G);
    this.logits = new Float32Array(memory.buffer, logits!, streams * Q);
    this.pointers = { past: new Int32Array(memory.buffer, past!, L), tap: new Int32Array(memory.buffer, tap!, L) };
    this.run = instance.exports.step as StepFn;
  }

  static create(cfg: WaveNetConfig, folded: FoldedWeights, streams: number): StepKernel | null {
    const { residual: R, gate: G, skip: S, head: HD, quantization: Q } = cfg;
    if ([R, G / 2, S, HD, Q].some((n) => n % 4 !== 0)) return null;
    return new StepKernel(cfg, folded, streams);
  }

  /** Step streams 0 … n − 1 at time t (ring slot t mod d of each layer; zero padding before d). */
  step(t: number, n: number): void {
    const { residual: R, gate: G, quantization: Q } = this.cfg;
    const L = this.dil.length;
    const a = this.at;
    const { past, tap } = this.pointers;
    for (let k = 0; k < n; k++) {
      for (let l = 0; l < L; l++) {
        const d = this.dil[l]!;
        const slot = a.rings[l]! + ((t % d) * this.streams + k) * G * 4;
        tap[l] = slot;
        past[l] = t >= d ? slot : a.pad + l * G * 4;
      }
      this.run(a.dims, a.weights, a.x0 + k * R * 4, a.cond + k * L * G * 4, a.past, a.tap, a.logits + k * Q * 4, a.scratch);
    }
  }
}
