import * as ort from 'onnxruntime-node';
import { dilations, type WaveNetConfig } from '../model/config';
import { stepGraph } from '../model/graphs';
import { openSession, sessionOptions, type Device } from '../runtime/session';
import { openSyncSession } from '../runtime/sync-run';
import type { Random } from '../util/random';
import { StudioError } from '../errors';
import { foldResidualBiases } from './fold';
import { nativeStep, nativeUnavailable } from './native-step';
import { kernelFits } from './step-kernel';
import { StreamState, type StepEngine } from './stream-state';

export interface GeneratorSettings {
  streams: number;
  device: Device | 'auto';
  threads?: number;
  /**
   * What runs the step on the CPU: 'native' native/step.c (any number of streams, where it is
   * built and the CPU has AVX2/FMA), 'wasm' the one-call WebAssembly kernel (kernel/step.c), 'onnx'
   * the step graph. Default: native where available; else the WebAssembly kernel up to
   * kernelStreams(cfg) streams, where per-node dispatch dominates, and the graph above.
   */
  engine?: 'auto' | StepEngine;
  onFallback?: (message: string) => void;
}

/** Multiply-adds of one stream's step: each layer's two taps and output projections, and the head. */
function stepMacs(cfg: WaveNetConfig): number {
  const { residual: R, gate: G, skip: S, head: H, quantization: Q } = cfg;
  return dilations(cfg).length * (2 * R * G + (G / 2) * (R + S)) + S * H + H * Q;
}

/**
 * Streams a thread steps faster with the WebAssembly kernel than with the batched step graph, by a
 * cost model of one-thread timings here (µs a step, m the step's multiply-adds in thousands, L the
 * layers): the graph ≈ 10·L of per-node dispatch + m/20 a stream, the kernel ≈ m/6 + 1.5 a stream.
 * tiny 14 (measured: the kernel faster up to ~20 streams), small 2 (~4), medium 1 (~2).
 */
export function kernelStreams(cfg: WaveNetConfig): number {
  const m = stepMacs(cfg) / 1000;
  const gainPerStream = m / 6 + 1.5 - (m / 20 + 2);
  return Math.max(1, Math.floor((10 * dilations(cfg).length) / gainPerStream));
}

/** The threads a folded render's streams are shared among, as the engine choice assumes (two cores). */
const NOMINAL_WORKERS = 2;

/**
 * The engine for a render of `streams` streams in all. Chosen from the whole render's count, not
 * a worker's share, so that the audio does not depend on how many workers share it (the two
 * engines agree to ~1e-6, which can still flip a sampled class).
 */
export function engineFor(cfg: WaveNetConfig, streams: number, native: boolean = nativeStep() !== null): StepEngine {
  if (!kernelFits(cfg)) return 'onnx';
  if (native) return 'native';
  return streams <= NOMINAL_WORKERS * kernelStreams(cfg) ? 'wasm' : 'onnx';
}

/** Streams a worker of a segmented render holds, as the engine choice assumes (8 s on two workers). */
const SEGMENT_STREAMS = 8;

/**
 * The engine of a segmented render: one per model and device, whatever the batch, since a cached
 * segment's bytes must not depend on the batch it was generated in. The kernel where it beats the
 * graph at SEGMENT_STREAMS streams (tiny models), else the graph.
 */
export function segmentEngine(cfg: WaveNetConfig, device: Device | 'auto', native: boolean = nativeStep() !== null): StepEngine {
  if (generationDevice(device) !== 'cpu' || !kernelFits(cfg)) return 'onnx';
  if (native) return 'native';
  return kernelStreams(cfg) >= SEGMENT_STREAMS ? 'wasm' : 'onnx';
}

let toldWhyNotNative = false;

/**
 * Says once a process, through `tell`, that generation on the CPU runs without the native step,
 * and why, where a build would help (not on a CPU without AVX2/FMA, nor when turned off).
 */
export function tellWhyNotNative(cfg: WaveNetConfig, device: Device | 'auto', tell: ((message: string) => void) | undefined): void {
  if (toldWhyNotNative || !tell || generationDevice(device) !== 'cpu' || !kernelFits(cfg) || nativeStep()) return;
  const why = nativeUnavailable();
  if (!why.includes('build:native')) return;
  toldWhyNotNative = true;
  tell(`Generation runs on ONNX Runtime at about half the speed: the native step is ${why}.`);
}

/** The engine a generator on the CPU (onCpu) runs its step on, from settings.engine. */
function stepEngine(cfg: WaveNetConfig, settings: GeneratorSettings, onCpu: boolean): StepEngine {
  const asked = settings.engine ?? 'auto';
  if (!onCpu || !kernelFits(cfg)) return 'onnx';
  if (asked === 'native' && !nativeStep()) throw new StudioError('BAD_OPTION', `The native generation step is ${nativeUnavailable()}.`);
  if (asked !== 'auto') return asked;
  if (nativeStep()) return 'native';
  tellWhyNotNative(cfg, 'cpu', settings.onFallback);
  return settings.streams <= kernelStreams(cfg) ? 'wasm' : 'onnx';
}

/**
 * The device generation runs on for a choice: 'auto' is the CPU. A step is ~100 small nodes one
 * after another, so a GPU pays its dispatch and read-back every sample: WebGPU on an H200 took
 * 3.4 ms a step of `small` (295 samples/s for one stream, 34.6k at 256 streams) where that
 * machine's CPU took 0.25 ms (4.0k; 42.8k at 256). A GPU named explicitly is still used.
 */
export function generationDevice(device: Device | 'auto'): Device {
  return device === 'auto' ? 'cpu' : device;
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
 * KiB), called synchronously where the binding allows. A GPU named explicitly opens through
 * openSession ('auto' is the CPU here, see generationDevice).
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
  /** Outputs written straight into the stream state (CPU only: other devices allocate their own). */
  fetches: { logits: ort.Tensor; taps: ort.Tensor } | undefined;
}

/**
 * Fast WaveNet generation for N independent streams. The dilated convolution's past tap of each
 * layer, W_past·x_l(t−d), is computed by the step that produced x_l(t−d) (all layers in one
 * batched MatMul, see stepGraph) and waits in a ring buffer of length = the dilation until the
 * step d samples later adds it to that sample's conditioning row. So a sample costs O(layers), no
 * cache is copied through ONNX Runtime, and the per-sample chain of nodes holds only the current
 * tap. Everything around the graph (rings, conditioning rows, embedding, sampling) lives in a
 * StreamState in WebAssembly memory that the feeds and fetches point into. On the CPU the whole
 * step runs over that memory too where it can: native/step.c, or the WebAssembly kernel
 * (kernel/step.c) up to kernelStreams(cfg) streams.
 */
export class IncrementalGenerator {
  readonly cfg: WaveNetConfig;
  readonly streams: number;
  readonly device: Device;
  /** What steps it (on a GPU, the step graph). */
  readonly engine: StepEngine;
  private readonly session: StepSession | null;
  private readonly mem: StreamState;
  private readonly width: number;
  private readonly bound = new Map<number, Bound>();
  private t = 0;
  /** Streams the next steps advance (≤ streams): a reset may start a smaller batch. */
  private active: number;
  /** What draw() returns: the active streams' current samples. */
  private drawn: Int32Array;

  private constructor(cfg: WaveNetConfig, streams: number, mem: StreamState, session: StepSession | null) {
    this.cfg = cfg;
    this.streams = streams;
    this.active = streams;
    this.mem = mem;
    this.drawn = mem.cur;
    this.session = session;
    this.device = session ? session.device : 'cpu';
    this.engine = mem.engine;
    this.width = dilations(cfg).length * cfg.gate;
    this.reset();
  }

  static async create(cfg: WaveNetConfig, flat: Float32Array, settings: GeneratorSettings): Promise<IncrementalGenerator> {
    settings = { ...settings, device: generationDevice(settings.device) };
    const folded = foldResidualBiases(cfg, flat);
    const onCpu = settings.device === 'cpu';
    const engine = stepEngine(cfg, settings, onCpu);
    const mem = new StreamState(cfg, folded, settings.streams, engine);
    const session = engine === 'onnx' ? await stepSession(stepGraph(cfg, folded.flat), settings, onCpu) : null;
    return new IncrementalGenerator(cfg, settings.streams, mem, session);
  }

  /** Samples generated so far (the time index of the next step). */
  get position(): number {
    return this.t;
  }

  /**
   * Start every stream again at time 0 from silence (each layer's past becomes its zero padding),
   * advancing `active` streams from now on (default: all). A stream's numbers never depend on the
   * others in the batch, so a reset generator gives what a fresh one would.
   */
  reset(active: number = this.streams): void {
    if (!(active >= 1 && active <= this.streams)) throw new Error(`reset: ${active} streams, the generator holds ${this.streams}`);
    this.t = 0;
    this.active = active;
    this.drawn = this.mem.cur.subarray(0, active);
    this.mem.cur.fill(Math.floor(this.cfg.quantization / 2));
    this.mem.prev.fill(Math.floor(this.cfg.quantization / 2));
  }

  /**
   * Stream n's conditioning row ([L·G] floats, frameConditioning's row for frame ⌊t/hop⌋), kept
   * for the steps that follow: set it when the stream reaches a new frame.
   */
  setRow(stream: number, row: Float32Array): void {
    this.mem.cond.set(row, stream * this.width);
  }

  /**
   * Draw the next sample of every active stream (temperature 0: the most likely class), from
   * its own random numbers. Returns the drawn classes [active], valid until the next call.
   */
  async draw(temperature: number, rngs: readonly Random[]): Promise<Int32Array> {
    const N = this.active;
    await this.advance(N);
    const { uniforms } = this.mem;
    if (temperature > 0) for (let n = 0; n < N; n++) uniforms[n] = rngs[n]!.next();
    this.mem.sample(N, temperature);
    return this.drawn;
  }

  /**
   * Advance every stream by one sample given its samples (teacher forcing): `current[n]` is
   * stream n's sample at time t (class index), `previous[n]` the one before (ignored at t = 0),
   * `cond` its conditioning row for time t. Returns logits [N, Q] predicting the sample at t + 1,
   * valid until the next step.
   */
  async step(current: ArrayLike<number>, previous: ArrayLike<number>, cond: (stream: number) => Float32Array): Promise<Float32Array> {
    const N = this.active;
    for (let n = 0; n < N; n++) {
      this.mem.cur[n] = current[n]!;
      this.mem.prev[n] = previous[n]!;
      this.setRow(n, cond(n));
    }
    await this.advance(N);
    return this.mem.logits.subarray(0, N * this.cfg.quantization);
  }

  /** One step of N streams at time t: logits for t + 1 in the stream state. */
  private async advance(N: number): Promise<void> {
    const t = this.t;
    const mem = this.mem;
    mem.embed(t, N);
    if (!this.session) {
      mem.kernelSteps(t, N);
    } else {
      mem.gather(t, N);
      const b = this.binding(N);
      const res = await this.session.run(b.feeds, b.fetches);
      // Other devices hand back their own buffers.
      if (!b.fetches) {
        mem.logits.set(res.logits!.data as Float32Array);
        mem.taps.set(res.taps!.data as Float32Array);
      }
      mem.scatter(t, N);
    }
    this.t = t + 1;
    if ((!this.session || this.session.sync) && (t & 127) === 127) await yieldToEventLoop();
  }

  private binding(N: number): Bound {
    let b = this.bound.get(N);
    if (!b) {
      const { residual: R, gate: G, quantization: Q } = this.cfg;
      const L = dilations(this.cfg).length;
      const mem = this.mem;
      b = {
        feeds: {
          x0: new ort.Tensor('float32', mem.x0.subarray(0, N * R), [N, R]),
          pre: new ort.Tensor('float32', mem.pre.subarray(0, N * L * G), [N, L * G]),
        },
        fetches: this.device === 'cpu'
          ? { logits: new ort.Tensor('float32', mem.logits.subarray(0, N * Q), [N, Q]), taps: new ort.Tensor('float32', mem.taps.subarray(0, L * N * G), [L, N, G]) }
          : undefined,
      };
      this.bound.set(N, b);
    }
    return b;
  }

  async release(): Promise<void> {
    await this.session?.release();
  }
}
