// The mel editor's B side: the sound of the sheet as it is now, by Griffin-Lim, made block by block
// in a Web Worker (on the page's thread, a block at a time, where workers are not available) and
// kept between edits — an edit marks only the blocks whose frames it touched as out of date.
import type { MelChange } from '../editor/index';
import type { MelSettings } from '../../../main/contract/domain/mel';
import type { GriffinLimOptions, LogMelGrid } from './griffin-lim';
import { assembleBlocks, BLOCK_FRAMES, blockCount, blockFrames, blocksTouching, renderSlice, sliceFrames } from './preview-blocks';
import type { BlockRequest, BlockResult } from './preview.worker';

/** Makes one block's sound from its frames with context. */
export type BlockRunner = (request: Omit<BlockRequest, 'id'>) => Promise<Float32Array>;

export interface PreviewProgress {
  done: number;
  total: number;
}

/** A superseded render (the sheet changed length, or the preview was disposed). */
export class PreviewCancelled extends Error {
  constructor() {
    super('The preview was cancelled.');
  }
}

export class MelPreview {
  private blocks: (Float32Array | null)[] = [];
  /** Bumped when a block goes out of date, so a result for its old frames is dropped. */
  private versions: number[] = [];
  private frames = -1;
  private assembled: Float32Array | null = null;
  private running: Promise<Float32Array> | null = null;
  private disposed = false;
  /** Called as blocks are made while a render runs. */
  onProgress: ((progress: PreviewProgress) => void) | null = null;

  constructor(
    private readonly grid: () => LogMelGrid,
    private readonly cfg: MelSettings,
    private readonly runner: BlockRunner,
    private readonly options: GriffinLimOptions = { iterations: 32 },
  ) {}

  /** Whether the sound for the sheet as it is now is made. */
  get ready(): boolean {
    return this.frames === this.grid().frames && this.assembled !== null;
  }

  /** Blocks still to make. */
  get pending(): number {
    this.fit();
    return this.blocks.filter((b) => b === null).length;
  }

  /** An edit happened: the blocks whose frames it touched are out of date. */
  invalidate(change: MelChange): void {
    const frames = this.grid().frames;
    if (change.kind === 'frames' || frames !== this.frames) {
      const from = change.kind === 'frames' ? change.frame0 : 0;
      this.fit();
      for (const b of blocksTouching(from, frames, frames)) this.drop(b);
      return;
    }
    for (const b of blocksTouching(change.frame0, change.frame1, frames)) this.drop(b);
  }

  /** Everything out of date (a new sheet). */
  invalidateAll(): void {
    this.fit();
    for (let b = 0; b < this.blocks.length; b++) this.drop(b);
  }

  /**
   * The sheet's sound, making the blocks that are out of date first (those from `fromFrame` on
   * first, so the part about to be heard is made first). Edits made meanwhile are included.
   */
  render(fromFrame = 0): Promise<Float32Array> {
    if (this.ready) return Promise.resolve(this.assembled!);
    if (!this.running) {
      this.running = this.run(fromFrame).finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  dispose(): void {
    this.disposed = true;
    this.onProgress = null;
  }

  private drop(b: number): void {
    if (b < 0 || b >= this.blocks.length) return;
    this.blocks[b] = null;
    this.versions[b] = (this.versions[b] ?? 0) + 1;
    this.assembled = null;
  }

  /** Resizes the block lists to the sheet's length (new blocks out of date). */
  private fit(): void {
    const frames = this.grid().frames;
    if (frames === this.frames) return;
    const n = blockCount(frames);
    // The last block's frames change with the length; it and any new ones are remade.
    const keep = Math.max(0, Math.min(this.blocks.length, n) - 1);
    this.blocks = [...this.blocks.slice(0, keep), ...new Array<Float32Array | null>(n - keep).fill(null)];
    this.versions = Array.from({ length: n }, (_, b) => (this.versions[b] ?? 0) + (b >= keep ? 1 : 0));
    this.frames = frames;
    this.assembled = null;
  }

  private async run(fromFrame: number): Promise<Float32Array> {
    for (;;) {
      if (this.disposed) throw new PreviewCancelled();
      this.fit();
      const grid = this.grid();
      const n = this.blocks.length;
      const missing: number[] = [];
      const first = Math.min(n - 1, Math.max(0, Math.floor(fromFrame / BLOCK_FRAMES)));
      for (let k = 0; k < n; k++) {
        const b = (first + k) % n;
        if (this.blocks[b] === null) missing.push(b);
      }
      if (missing.length === 0) {
        this.assembled = assembleBlocks(this.blocks, grid.frames, this.cfg.hop);
        return this.assembled;
      }
      const total = missing.length;
      let done = 0;
      this.onProgress?.({ done, total });
      for (const b of missing) {
        if (this.disposed) throw new PreviewCancelled();
        const frames = this.grid().frames;
        if (frames !== this.frames || b >= this.blocks.length) break;
        const version = this.versions[b];
        const { context0, context1 } = blockFrames(b, frames);
        const slice = sliceFrames(this.grid(), context0, context1);
        const samples = await this.runner({ block: b, frames: slice.frames, bins: slice.bins, data: slice.data, cfg: this.cfg, options: this.options });
        // Kept only if the block's frames did not change while it was being made.
        if (this.versions[b] === version && this.frames === this.grid().frames) this.blocks[b] = samples;
        done++;
        this.onProgress?.({ done, total });
      }
    }
  }
}

/** Blocks made on this thread, yielding to the page between blocks. */
export const inlineRunner: BlockRunner = async (request) => {
  await new Promise((resolve) => setTimeout(resolve, 0));
  return renderSlice({ frames: request.frames, bins: request.bins, data: request.data }, request.cfg, request.block, request.options);
};

/**
 * Blocks made in a Web Worker (one, made on first use); falls back to the page's thread for good
 * if the worker cannot start (an environment without workers, or one that refuses the script).
 */
export function workerRunner(): { run: BlockRunner; dispose: () => void } {
  let worker: Worker | null = null;
  let broken = typeof Worker === 'undefined';
  let nextId = 1;
  const waiting = new Map<number, { resolve: (s: Float32Array) => void; reject: (e: Error) => void; request: Omit<BlockRequest, 'id'> }>();

  function failAll(): void {
    broken = true;
    worker?.terminate();
    worker = null;
    // What was sent is made on this thread instead.
    for (const [id, w] of waiting) {
      waiting.delete(id);
      inlineRunner(w.request).then(w.resolve, w.reject);
    }
  }

  function start(): Worker | null {
    if (worker || broken) return worker;
    try {
      worker = new Worker(new URL('./preview.worker.ts', import.meta.url), { type: 'module', name: 'mel-preview' });
    } catch {
      broken = true;
      return null;
    }
    worker.onmessage = (event: MessageEvent<BlockResult>) => {
      const { id, samples, error } = event.data;
      const w = waiting.get(id);
      if (!w) return;
      waiting.delete(id);
      if (samples) w.resolve(samples);
      else w.reject(new Error(error ?? 'The preview could not be made.'));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      failAll();
    };
    return worker;
  }

  const run: BlockRunner = (request) => {
    const w = start();
    if (!w) return inlineRunner(request);
    const id = nextId++;
    return new Promise<Float32Array>((resolve, reject) => {
      waiting.set(id, { resolve, reject, request });
      // Copied, not transferred: should the worker fail, the block is made here from the same data.
      const message: BlockRequest = { id, ...request };
      w.postMessage(message);
    });
  };

  return {
    run,
    dispose: () => {
      worker?.terminate();
      worker = null;
      for (const w of waiting.values()) w.reject(new PreviewCancelled());
      waiting.clear();
    },
  };
}
