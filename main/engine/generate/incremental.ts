import * as ort from 'onnxruntime-node';
import { dilations, type WaveNetConfig } from '../model/config';
import { stepGraph } from '../model/graphs';
import { paramSpecs, unpackParams } from '../model/params';
import { openSession, type Device, type Session } from '../runtime/session';
import { foldResidualBiases } from './fold';

export interface GeneratorSettings {
  streams: number;
  device: Device | 'auto';
  threads?: number;
  onFallback?: (message: string) => void;
}

/**
 * Fast WaveNet generation for N independent streams. Each layer's past inputs live in a ring
 * buffer of length = its dilation, here in JavaScript: the step graph receives the one past value
 * each layer needs and returns the new layer inputs, so a sample costs O(layers) and no cache is
 * copied through ONNX Runtime.
 */
export class IncrementalGenerator {
  readonly cfg: WaveNetConfig;
  readonly streams: number;
  readonly device: Device;
  private readonly session: ort.InferenceSession;
  private readonly dil: number[];
  private readonly rings: Float32Array[];
  /** Each layer's residual-stream offset (see foldResidualBiases); zero padding is −offset. */
  private readonly offsets: Float32Array[];
  private readonly embedPrev: Float32Array;
  private readonly embedCur: Float32Array;
  private readonly embedBias: Float32Array;
  private readonly x0: Float32Array;
  private readonly past: Float32Array;
  private readonly condRow: Float32Array;
  private t = 0;
  /** Streams the next steps advance (≤ streams): a reset may start a smaller batch. */
  private active: number;

  private constructor(cfg: WaveNetConfig, flat: Float32Array, offsets: Float32Array[], streams: number, s: Session) {
    this.cfg = cfg;
    this.streams = streams;
    this.active = streams;
    this.device = s.device;
    this.session = s.session;
    this.dil = dilations(cfg);
    const R = cfg.residual;
    this.rings = this.dil.map((d) => new Float32Array(streams * d * R));
    this.offsets = offsets.map((c) => c.map((v) => -v));
    const p = unpackParams(paramSpecs(cfg), flat);
    this.embedPrev = p.get('embed.prev')!;
    this.embedCur = p.get('embed.cur')!;
    this.embedBias = p.get('embed.bias')!;
    this.x0 = new Float32Array(streams * R);
    this.past = new Float32Array(streams * this.dil.length * R);
    this.condRow = new Float32Array(streams * this.dil.length * cfg.gate);
  }

  static async create(cfg: WaveNetConfig, flat: Float32Array, settings: GeneratorSettings): Promise<IncrementalGenerator> {
    const folded = foldResidualBiases(cfg, flat);
    const s = await openSession(stepGraph(cfg, folded.flat), { device: settings.device, threads: settings.threads ?? 1, onFallback: settings.onFallback });
    return new IncrementalGenerator(cfg, flat, folded.offsets, settings.streams, s);
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

  /**
   * Advance every stream by one sample. `current[n]` is stream n's sample at time t (class index),
   * `previous[n]` the one before (ignored at t = 0), `cond` gives each stream's conditioning row
   * for time t ([L·G] floats, frameConditioning's row for frame ⌊t/hop⌋). Returns logits [N, Q]
   * predicting the sample at t + 1.
   */
  async step(current: ArrayLike<number>, previous: ArrayLike<number>, cond: (stream: number) => Float32Array): Promise<Float32Array> {
    const { residual: R, gate: G, quantization: Q } = this.cfg;
    const L = this.dil.length;
    const N = this.active;
    const whole = N === this.streams;
    for (let n = 0; n < N; n++) {
      const cur = this.embedCur.subarray(current[n]! * R, current[n]! * R + R);
      const out = this.x0.subarray(n * R, n * R + R);
      for (let i = 0; i < R; i++) out[i] = cur[i]! + this.embedBias[i]!;
      if (this.t > 0) {
        const prev = this.embedPrev.subarray(previous[n]! * R, previous[n]! * R + R);
        for (let i = 0; i < R; i++) out[i]! += prev[i]!;
      }
      for (let l = 0; l < L; l++) {
        const d = this.dil[l]!;
        const slot = ((n * d) + (this.t % d)) * R;
        const dst = (n * L + l) * R;
        if (this.t >= d) this.past.set(this.rings[l]!.subarray(slot, slot + R), dst);
        else this.past.set(this.offsets[l]!, dst);
      }
      this.condRow.set(cond(n), n * L * G);
    }
    const res = await this.session.run({
      x0: new ort.Tensor('float32', whole ? this.x0 : this.x0.slice(0, N * R), [N, R]),
      past: new ort.Tensor('float32', whole ? this.past : this.past.slice(0, N * L * R), [N, L * R]),
      cond: new ort.Tensor('float32', whole ? this.condRow : this.condRow.slice(0, N * L * G), [N, L * G]),
    });
    const inputs = res.layer_inputs!.data as Float32Array;
    for (let n = 0; n < N; n++) {
      for (let l = 0; l < L; l++) {
        const d = this.dil[l]!;
        const slot = ((n * d) + (this.t % d)) * R;
        this.rings[l]!.set(inputs.subarray((n * L + l) * R, (n * L + l) * R + R), slot);
      }
    }
    this.t += 1;
    const logits = res.logits!.data as Float32Array;
    return logits.length === N * Q ? logits : new Float32Array(logits);
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
