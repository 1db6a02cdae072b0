import * as ort from 'onnxruntime-node';
import { dilations, type WaveNetConfig } from '../model/config';
import { conditioningGraph } from '../model/graphs';
import { openSession, type Device } from '../runtime/session';
import { foldResidualBiases } from './fold';

/** Per-layer conditioning rows at frame rate: row f holds every layer's [L·G] for frame f. */
export interface ConditioningRows {
  rows: number;
  width: number;
  data: Float32Array;
}

export interface FramesInput {
  frames: number;
  bins: number;
  /** Frame-major [frames, bins]. */
  data: Float32Array;
}

/**
 * Run the learned upsampler and per-layer projections once for a whole render. The rows carry the
 * folded convolution biases that IncrementalGenerator's step graph expects.
 */
export async function conditioningRows(
  cfg: WaveNetConfig,
  flat: Float32Array,
  frames: FramesInput | null,
  globalId: number | null,
  device: Device | 'auto' = 'cpu',
): Promise<ConditioningRows> {
  const { session } = await openSession(conditioningGraph(cfg, foldResidualBiases(cfg, flat).flat), { device });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    if (cfg.condition !== 'none') {
      if (!frames) throw new Error('this model needs conditioning frames');
      feeds.frames = new ort.Tensor('float32', frames.data, [1, frames.frames, frames.bins]);
    }
    if (cfg.globalClasses > 0) feeds.global_id = new ort.Tensor('int64', BigInt64Array.from([BigInt(globalId ?? 0)]), [1]);
    const out = await session.run(feeds);
    const data = out.cond!.data as Float32Array;
    const width = dilations(cfg).length * cfg.gate;
    return { rows: data.length / width, width, data };
  } finally {
    await session.release();
  }
}

/** The row for sample t: frame ⌊t/hop⌋, held at the last frame past the end. */
export function rowAt(c: ConditioningRows, t: number, hop: number): Float32Array {
  const f = Math.min(c.rows - 1, Math.floor(t / hop));
  return c.data.subarray(f * c.width, (f + 1) * c.width);
}
