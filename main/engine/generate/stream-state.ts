import { StudioError } from '../errors';
import { dilations, type WaveNetConfig } from '../model/config';
import { paramSpecs, unpackParams } from '../model/params';
import { paddingTaps, type FoldedWeights } from './fold';
import { STEP_WASM_BASE64 } from './kernel/step-wasm';
import { nativeStep, type NativeStep } from './native-step';
import { packKernelWeights } from './step-kernel';

/** What runs a step: the step graph (ONNX Runtime), the one-stream WebAssembly kernel, or native/step.c. */
export type StepEngine = 'onnx' | 'wasm' | 'native';

interface Exports {
  embed(state: number, t: number, n: number): void;
  gather(state: number, t: number, n: number): void;
  scatter(state: number, t: number, n: number): void;
  kernel_steps(state: number, t: number, n: number): void;
  sample(state: number, n: number, temperature: number): void;
}

let compiled: WebAssembly.Module | null = null;
/** WebAssembly's 32-bit memory: 4 GiB of 64 KiB pages. */
const MAX_PAGES = 65536;

/**
 * A generator's streams in WebAssembly memory (kernel/streams.c): each layer's ring buffer of past
 * taps, each stream's conditioning row, current and previous sample, and the step's inputs and
 * outputs. The step graph's feeds and fetches are views of this memory, so around ONNX Runtime's
 * run a sample costs four calls (embed, gather, run, scatter, then sample) and no copying in
 * JavaScript; with the one-stream kernel ('wasm'), kernel_steps replaces gather, run and scatter, and
 * with the native step ('native') one call of native/step.c does, reading this memory in place.
 * The memory never grows, so the views stay valid.
 */
export class StreamState {
  /** Embedded inputs [streams, R]. */
  readonly x0: Float32Array;
  /** Past tap + conditioning [streams, L·G] (step graph only). */
  readonly pre: Float32Array;
  /** New taps [L, N, G] for N active streams (step graph only). */
  readonly taps: Float32Array;
  readonly logits: Float32Array;
  /** Conditioning rows [streams, L·G], kept until a stream's frame changes. */
  readonly cond: Float32Array;
  readonly cur: Int32Array;
  readonly prev: Int32Array;
  readonly uniforms: Float64Array;
  private readonly fns: Exports;
  private readonly state: number;
  private readonly memory: WebAssembly.Memory;
  private readonly native: NativeStep | null;

  constructor(cfg: WaveNetConfig, folded: FoldedWeights, readonly streams: number, readonly engine: StepEngine) {
    const dil = dilations(cfg);
    const { residual: R, gate: G, skip: S, head: HD, quantization: Q } = cfg;
    const L = dil.length;
    const p = unpackParams(paramSpecs(cfg), folded.flat);
    const kernel = engine !== 'onnx';
    const weights = kernel ? packKernelWeights(cfg, folded.flat) : new Float32Array(0);
    const graph = kernel ? 0 : 1;
    this.native = engine === 'native' ? nativeStep() : null;
    if (engine === 'native' && !this.native) throw new Error('stream state: the native step is not available (see nativeUnavailable)');
    const scratch = R + 2 * G + G / 2 + R + 2 * S + HD + 16;
    // Region sizes in 4-byte words, in the order of streams.c's State pointers (then the rings).
    const words = {
      state: 26, dil: L, rings: L, pad: L * G, cond: streams * L * G, x0: streams * R, pre: graph * streams * L * G,
      taps: graph * L * streams * G, logits: streams * Q, embedCur: Q * R, embedPrev: Q * R, embedBias: R,
      cur: streams, prev: streams, uniforms: 2 * streams, cumulative: 2 * Q,
      // The kernel step's scratch and ring addresses, a slot for each stream of a pair (kernel.h
      // STEP_SCRATCH); the native step's scratch holds every stream's rows at once.
      scratch: (engine === 'native' ? streams : kernel ? 2 : 0) * scratch, weights: weights.length, past: 2 * L, tap: 2 * L,
    };
    const ringWords = dil.map((d) => d * streams * G);
    compiled ??= new WebAssembly.Module(Buffer.from(STEP_WASM_BASE64, 'base64'));
    // The module's stack and data come first (__heap_base, known once instantiated; a few pages).
    const size = [...Object.values(words), ...ringWords].reduce((a, n) => a + Math.ceil(n / 4) * 16, 0);
    const pages = 16 + Math.ceil(size / 65536);
    if (pages > MAX_PAGES) {
      const perStream = Math.ceil(size / streams);
      throw new StudioError('BAD_OPTION', `${streams} streams side by side need ${(size / 2 ** 30).toFixed(1)} GB for this model's ring buffers, over WebAssembly's 4 GB: use at most ${Math.floor(((MAX_PAGES - 32) * 65536) / perStream)} streams (--batch) per worker.`);
    }
    const memory = new WebAssembly.Memory({ initial: pages });
    const instance = new WebAssembly.Instance(compiled, { env: { memory } });
    let end = Math.ceil(((instance.exports.__heap_base as WebAssembly.Global).value as number) / 16) * 16;
    const place = (n: number): number => {
      const at = end;
      end += Math.ceil(n / 4) * 16;
      return at;
    };
    const at = Object.fromEntries(Object.entries(words).map(([k, n]) => [k, place(n)])) as Record<keyof typeof words, number>;
    const rings = ringWords.map(place);
    if (end > memory.buffer.byteLength) throw new Error('stream state: memory layout overflows its pages');
    const buf = memory.buffer;
    const f32 = (a: number, n: number): Float32Array => new Float32Array(buf, a, n);
    new Int32Array(buf, at.state, words.state).set([
      L, R, G, S, HD, Q, streams, at.dil, at.rings, at.pad, at.cond, at.x0, at.pre, at.taps, at.logits,
      at.embedCur, at.embedPrev, at.embedBias, at.cur, at.prev, at.uniforms, at.cumulative, at.scratch, at.weights, at.past, at.tap,
    ]);
    new Int32Array(buf, at.dil, L).set(dil);
    new Int32Array(buf, at.rings, L).set(rings);
    f32(at.pad, L * G).set(paddingTaps(cfg, folded));
    f32(at.embedCur, Q * R).set(p.get('embed.cur')!);
    f32(at.embedPrev, Q * R).set(p.get('embed.prev')!);
    f32(at.embedBias, R).set(p.get('embed.bias')!);
    f32(at.weights, weights.length).set(weights);
    this.x0 = f32(at.x0, words.x0);
    this.pre = f32(at.pre, words.pre);
    this.taps = f32(at.taps, words.taps);
    this.logits = f32(at.logits, words.logits);
    this.cond = f32(at.cond, words.cond);
    this.cur = new Int32Array(buf, at.cur, streams);
    this.prev = new Int32Array(buf, at.prev, streams);
    this.uniforms = new Float64Array(buf, at.uniforms, streams);
    this.fns = instance.exports as unknown as Exports;
    this.state = at.state;
    this.memory = memory;
  }

  /** x0 of streams 0 … n − 1 from `cur` and `prev` (no previous sample at t = 0). */
  embed(t: number, n: number): void {
    this.fns.embed(this.state, t, n);
  }

  /** `pre` for time t: ring slot t mod d of each layer (its zero padding's tap before d) + `cond`. */
  gather(t: number, n: number): void {
    this.fns.gather(this.state, t, n);
  }

  /** `taps` [L, n, G] into each layer's ring slot for time t. */
  scatter(t: number, n: number): void {
    this.fns.scatter(this.state, t, n);
  }

  /** The whole step of streams 0 … n − 1 through the WebAssembly kernel or the native step. */
  kernelSteps(t: number, n: number): void {
    if (this.native) this.native.steps(this.memory.buffer, this.state, t, n);
    else this.fns.kernel_steps(this.state, t, n);
  }

  /** Each stream's next sample from `logits` at `uniforms`: cur becomes prev, the draw cur. */
  sample(n: number, temperature: number): void {
    this.fns.sample(this.state, n, temperature);
  }
}
