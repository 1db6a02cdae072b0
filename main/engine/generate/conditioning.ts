import * as ort from 'onnxruntime-node';
import { dilations, type WaveNetConfig } from '../model/config';
import { conditioningGraph } from '../model/graphs';
import { openSession, type Device } from '../runtime/session';
import { foldResidualBiases } from './fold';

export interface FramesInput {
  frames: number;
  bins: number;
  /** Frame-major [frames, bins]. */
  data: Float32Array;
}

/** Frames whose per-layer rows are computed together by default; one row is L·G floats. */
const CHUNK_FRAMES = 256;

/**
 * Per-layer conditioning rows for generation, streamed: the learned upsampler and per-layer
 * projections run over chunks of frames as the render reaches them (with one frame of context on
 * each side for the width-3 upsampler, so chunk edges are exact), and chunks every stream has
 * passed are dropped. Memory stays bounded however long the render. Rows carry the folded
 * convolution biases that IncrementalGenerator's step graph expects.
 */
export class ConditioningStream {
  readonly width: number;
  private readonly chunks = new Map<number, Float32Array>();

  private constructor(
    private readonly cfg: WaveNetConfig,
    private readonly session: ort.InferenceSession,
    private readonly frames: FramesInput | null,
    private readonly globalId: number | null,
    private readonly chunkFrames: number,
  ) {
    this.width = dilations(cfg).length * cfg.gate;
  }

  static async open(
    cfg: WaveNetConfig,
    flat: Float32Array,
    frames: FramesInput | null,
    globalId: number | null,
    device: Device | 'auto' = 'cpu',
    chunkFrames = CHUNK_FRAMES,
  ): Promise<ConditioningStream> {
    if (cfg.condition !== 'none' && !frames) throw new Error('this model needs conditioning frames');
    const { session } = await openSession(conditioningGraph(cfg, foldResidualBiases(cfg, flat).flat), { device });
    return new ConditioningStream(cfg, session, frames, globalId, chunkFrames);
  }

  /** Frames available (1 for an unconditional model: one row for all time). */
  get frameCount(): number {
    return this.frames ? this.frames.frames : 1;
  }

  private async chunk(index: number): Promise<Float32Array> {
    const have = this.chunks.get(index);
    if (have) return have;
    const feeds: Record<string, ort.Tensor> = {};
    let lead = 0;
    let rows = 1;
    if (this.frames) {
      const { bins, data } = this.frames;
      const start = index * this.chunkFrames;
      const end = Math.min(this.frames.frames, start + this.chunkFrames);
      const from = Math.max(0, start - 1);
      const to = Math.min(this.frames.frames, end + 1);
      lead = start - from;
      rows = end - start;
      feeds.frames = new ort.Tensor('float32', data.slice(from * bins, to * bins), [1, to - from, bins]);
    }
    if (this.cfg.globalClasses > 0) feeds.global_id = new ort.Tensor('int64', BigInt64Array.from([BigInt(this.globalId ?? 0)]), [1]);
    const out = (await this.session.run(feeds)).cond!.data as Float32Array;
    const rowsOut = out.slice(lead * this.width, (lead + rows) * this.width);
    this.chunks.set(index, rowsOut);
    return rowsOut;
  }

  /** The frame whose row sample t reads: ⌊t/hop⌋, frame 0 before the start, the last past the end. */
  frameOf(t: number): number {
    return Math.min(this.frameCount - 1, Math.floor(Math.max(0, t) / this.cfg.hop));
  }

  /** The row for sample t (see frameOf). */
  async rowAt(t: number): Promise<Float32Array> {
    const f = this.frameOf(t);
    const index = Math.floor(f / this.chunkFrames);
    const rows = await this.chunk(index);
    const r = f - index * this.chunkFrames;
    return rows.subarray(r * this.width, (r + 1) * this.width);
  }

  /** Forget chunks before the one holding sample t (every stream has moved past them). */
  release(beforeSample: number): void {
    const keepFrom = Math.floor(this.frameOf(beforeSample) / this.chunkFrames);
    for (const k of this.chunks.keys()) if (k < keepFrom) this.chunks.delete(k);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
