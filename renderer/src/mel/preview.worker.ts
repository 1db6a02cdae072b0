// The Griffin-Lim preview's worker: inverts one block of a mel sheet per message, off the page's
// thread, and sends the samples back (transferred, not copied).
import type { MelSettings } from '../../../main/contract/domain/mel';
import type { GriffinLimOptions } from './griffin-lim';
import { renderSlice } from './preview-blocks';

export interface BlockRequest {
  id: number;
  block: number;
  /** The block's frames with their context (sliceFrames), frame-major. */
  frames: number;
  bins: number;
  data: Float32Array;
  cfg: MelSettings;
  options: GriffinLimOptions;
}

export interface BlockResult {
  id: number;
  block: number;
  samples?: Float32Array;
  error?: string;
}

self.onmessage = (event: MessageEvent<BlockRequest>) => {
  const { id, block, frames, bins, data, cfg, options } = event.data;
  try {
    const samples = renderSlice({ frames, bins, data }, cfg, block, options);
    const result: BlockResult = { id, block, samples };
    self.postMessage(result, { transfer: [samples.buffer] });
  } catch (err) {
    const result: BlockResult = { id, block, error: err instanceof Error ? err.message : String(err) };
    self.postMessage(result);
  }
};
