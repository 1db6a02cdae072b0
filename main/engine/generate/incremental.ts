import * as ort from 'onnxruntime-node';
import { dilations, type WaveNetConfig } from '../model/config';
import { stepGraph } from '../model/graphs';
import { paramSpecs, unpackParams } from '../model/params';
import { openSession, runsOnCpu, sessionOptions, type Device } from '../runtime/session';
import { openSyncSession } from '../runtime/sync-run';
import { foldResidualBiases, paddingTaps, type FoldedWeights } from './fold';
import { StepKernel } from './step-kernel';

export interface GeneratorSettings {
  streams: number;
  device: Device | 'auto';
  threads?: number;
  /**
   * What runs the step on the CPU: 'wasm' the one-call kernel (step-kernel.ts), 'onnx' the step
   * graph. Default: the kernel up to KERNEL_STREAMS streams, where per-node dispatch dominates.
   */
  engine?: 'auto' | 'onnx' | 'wasm';
  onFallback?: (message: string) => void;
}

/** Streams up to which the WebAssembly kernel beats the batched step graph here. */
const KERNEL_STREAMS = 4;

/**
 * The engine for a render of `streams` streams in all. Chosen from the whole render's count, not
 * a worker's share, so that the audio does not depend on how many workers share it (the two
 * engines agree to ~1e-6, which can still flip a sampled class).
 */
export function engineFor(streams: number): 'onnx' | 'wasm' {
  return streams <= KERNEL_STREAMS ? 'wasm' : 'onnx';
}

type Feeds = Record<string, ort.Tensor>;

/** The step session as the generator uses it: run() may answer at once (see openSyncSession). */
interface StepSession {
  device: Device;
  run(feeds: Feeds, fetches: Feeds | undefined): Feeds | Promise<Feeds>;
  release(): Promise<void> | void;
  /** True when run() never yields to the event loop, so step() must now and then. */
  sync: boolean;
}

/**
 * The step graph's session. On the CPU with ONNX Runtime's memory pattern (the step's ~100 small
 * outputs are then planned into one block per run instead of one arena allocation per node; the
 * training graphs turn it off: there it re-faults gigabytes every run, here the block is a few
 * KiB), called synchronously where the binding allows. Other devices (and 'auto' where a GPU
 * works) open through openSession as before.
 */
async function stepSession(model: Uint8Array, settings: GeneratorSettings, onCpu: boolean): Promise<StepSession> {
  const threads = settings.threads ?? 1;
  if (onCpu) {
    const options = { ...sessionOptions('cpu', threads), enableMemPattern: true };
    try {
      const sync = openSyncSession(model, options);
      if (sync) return { device: 'cpu', run: (f, o) => sync.run(f, o!), release: () => sync.release(), sync: true };
      const session = await ort.InferenceSession.create(model, options);
      return { device: 'cpu', run: (f, o) => session.run(f, o!), release: () => session.release(), sync: false };
    } catch {
      // openSession below reports the failure as it reports any other.
    }
  }
  const { session, device } = await openSession(model, { device: settings.device, threads, onFallback: settings.onFallback });
  return { device, run: (f, o) => (o ? session.run(f, o) : session.run(f)), release: () => session.release(), sync: false };
}

/** A macrotask turn, so messages (cancel, progress) get through a loop of synchronous steps. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The feeds and pre-allocated outputs of one batch size, made once and reused every step. */
interface Bound {
  feeds: { x0: ort.Tensor; pre: ort.Tensor };
  /** Pre-allocated outputs (CPU only: other devices allocate their own). */
  fetches: { logits: ort.Tensor; taps: ort.Tensor } | undefined;
}

/**
 * Fast WaveNet generation for N independent streams. The dilated convolution's past tap of each
 * layer, W_past·x_l(t−d), is computed by the step that produced x_l(t−d) (all layers in one
 * batched MatMul, see stepGraph) and waits here in a ring buffer of length = the dilation until
 * the step d samples later adds it to that sample's conditioning row. So a sample costs O(layers),
 * no cache is copied through ONNX Runtime, and the per-sample chain of nodes holds only the
 * current tap. Tensors and output buffers are made once and reused.
 */
export class IncrementalGenerator {
  readonly cfg: WaveNetConfig;
  readonly streams: number;
  readonly device: Device;
  private readonly session: StepSession | null;
  private readonly kernel: StepKernel | null;
  private readonly dil: number[];
  /** Per layer [d, streams, G] (time-major, so one step's taps of a layer are one block): past taps waiting for their step. */
  private readonly rings: Float32Array[];
  /** Each layer's past tap of its zero padding, −c_l·W_past (see foldResidualBiases), [L·G]. */
  private readonly padTaps: Float32Array;
  private readonly embedPrev: Float32Array;
  private readonly embedCur: Float32Array;
  private readonly embedBias: Float32Array;
  private readonly x0: Float32Array;
  /** Per stream and layer, the past tap plus the conditioning row: the step graph's `pre` [N, L·G]. */
  private readonly pre: Float32Array;
  private readonly bound = new Map<number, Bound>();
  private t = 0;
  /** Streams the next steps advance (≤ streams): a reset may start a smaller batch. */
  private active: number;

  private constructor(cfg: WaveNetConfig, flat: Float32Array, folded: FoldedWeights, streams: number, s: StepSession | StepKernel) {
    this.cfg = cfg;
    this.streams = streams;
    this.active = streams;
    this.kernel = s instanceof StepKernel ? s : null;
    this.session = s instanceof StepKernel ? null : s;
    this.device = s instanceof StepKernel ? 'cpu' : s.device;
    this.dil = dilations(cfg);
    const { residual: R, gate: G } = cfg;
    const L = this.dil.length;
    // The kernel keeps its ring buffers in its own memory; the step graph's are here.
    const graph = !this.kernel;
    this.rings = this.dil.map((d) => new Float32Array(graph ? streams * d * G : 0));
    const p = unpackParams(paramSpecs(cfg), flat);
    this.embedPrev = p.get('embed.prev')!;
    this.embedCur = p.get('embed.cur')!;
    this.embedBias = p.get('embed.bias')!;
    this.padTaps = graph ? paddingTaps(cfg, folded) : new Float32Array(0);
    this.x0 = this.kernel?.x0 ?? new Float32Array(streams * R);
    this.pre = new Float32Array(graph ? streams * L * G : 0);
  }

  static async create(cfg: WaveNetConfig, flat: Float32Array, settings: GeneratorSettings): Promise<IncrementalGenerator> {
    const folded = foldResidualBiases(cfg, flat);
    const engine = settings.engine ?? 'auto';
    const onCpu = await runsOnCpu(settings.device);
    const kernel = onCpu && (engine === 'wasm' || (engine === 'auto' && engineFor(settings.streams) === 'wasm')) ? StepKernel.create(cfg, folded, settings.streams) : null;
    const s = kernel ?? (await stepSession(stepGraph(cfg, folded.flat), settings, onCpu));
    return new IncrementalGenerator(cfg, flat, folded, settings.streams, s);
  }

  /** Samples generated so far (the time index of the next step). */
  get position(): number {
    return this.t;
  }

  /**
   * Start every stream again at time 0 (each layer's past becomes its zero padding), advancing
   * `active` streams from now on (default: all). A stream's numbers never depend on the others in
   * the batch, so a reset generator gives what a fresh one would.
   */
  reset(active: number = this.streams): void {
    if (!(active >= 1 && active <= this.streams)) throw new Error(`reset: ${active} streams, the generator holds ${this.streams}`);
    this.t = 0;
    this.active = active;
  }

  private binding(N: number): Bound {
    let b = this.bound.get(N);
    if (!b) {
      const { residual: R, gate: G, quantization: Q } = this.cfg;
      const L = this.dil.length;
      b = {
        feeds: {
          x0: new ort.Tensor('float32', this.x0.subarray(0, N * R), [N, R]),
          pre: new ort.Tensor('float32', this.pre.subarray(0, N * L * G), [N, L * G]),
        },
        fetches: this.device === 'cpu'
          ? { logits: new ort.Tensor('float32', new Float32Array(N * Q), [N, Q]), taps: new ort.Tensor('float32', new Float32Array(L * N * G), [L, N, G]) }
          : undefined,
      };
      this.bound.set(N, b);
    }
    return b;
  }

  /**
   * Advance every stream by one sample. `current[n]` is stream n's sample at time t (class index),
   * `previous[n]` the one before (ignored at t = 0), `cond` gives each stream's conditioning row
   * for time t ([L·G] floats, frameConditioning's row for frame ⌊t/hop⌋). Returns logits [N, Q]
   * predicting the sample at t + 1.
   */
  async step(current: ArrayLike<number>, previous: ArrayLike<number>, cond: (stream: number) => Float32Array): Promise<Float32Array> {
    const N = this.active;
    const t = this.t;
    this.embed(current, previous, N, t);
    const logits = this.kernel ? this.kernelStep(cond, N, t) : await this.graphStep(cond, N, t);
    this.t = t + 1;
    if ((this.kernel || this.session!.sync) && (t & 127) === 127) await yieldToEventLoop();
    return logits;
  }

  /** x0 of each stream: the embeddings of its current and previous sample. */
  private embed(current: ArrayLike<number>, previous: ArrayLike<number>, N: number, t: number): void {
    const R = this.cfg.residual;
    const { x0, embedCur, embedPrev, embedBias: bias } = this;
    for (let n = 0; n < N; n++) {
      const cur = current[n]! * R;
      const o = n * R;
      if (t > 0) {
        const prev = previous[n]! * R;
        for (let i = 0; i < R; i++) x0[o + i] = embedCur[cur + i]! + bias[i]! + embedPrev[prev + i]!;
      } else {
        for (let i = 0; i < R; i++) x0[o + i] = embedCur[cur + i]! + bias[i]!;
      }
    }
  }

  private kernelStep(cond: (stream: number) => Float32Array, N: number, t: number): Float32Array {
    const k = this.kernel!;
    const width = this.dil.length * this.cfg.gate;
    for (let n = 0; n < N; n++) k.cond.set(cond(n), n * width);
    k.step(t, N);
    return k.logits;
  }

  private async graphStep(cond: (stream: number) => Float32Array, N: number, t: number): Promise<Float32Array> {
    const G = this.cfg.gate;
    const L = this.dil.length;
    const { pre, padTaps: pad, rings } = this;
    for (let n = 0; n < N; n++) {
      const row = cond(n);
      // One pass per (stream, layer): past tap + conditioning, straight into the feed.
      for (let l = 0; l < L; l++) {
        const d = this.dil[l]!;
        const dst = (n * L + l) * G;
        const from = t >= d ? rings[l]! : pad;
        const at = t >= d ? ((t % d) * this.streams + n) * G : l * G;
        for (let j = 0; j < G; j++) pre[dst + j] = from[at + j]! + row[l * G + j]!;
      }
    }
    const b = this.binding(N);
    const res = await this.session!.run(b.feeds, b.fetches);
    const taps = res.taps!.data as Float32Array;
    // taps [L, N, G]: each layer's block goes to its ring's slot for time t as it is.
    for (let l = 0; l < L; l++) {
      const slot = t % this.dil[l]!;
      rings[l]!.set(taps.subarray(l * N * G, (l + 1) * N * G), slot * this.streams * G);
    }
    return res.logits!.data as Float32Array;
  }

  async release(): Promise<void> {
    await this.session?.release();
  }
}
