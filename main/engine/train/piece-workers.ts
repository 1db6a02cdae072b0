import type { Worker } from 'node:worker_threads';
import type * as ort from 'onnxruntime-node';
import { startEngineWorker } from '../runtime/worker-thread';

/** A batch input as it crosses to a worker (an ort.Tensor loses its class on the way). */
export interface PlainTensor {
  type: 'float32' | 'int64';
  data: Float32Array | BigInt64Array;
  dims: readonly number[];
}

export interface PieceWorkerData {
  /** The loss-and-gradient graph of one piece (lossGraph with its gradient). */
  model: Uint8Array;
  threads: number;
}

export interface PieceRequest {
  theta: Float32Array;
  pieces: Record<string, PlainTensor>[];
}

export interface PieceReply {
  losses: number[];
  grads: Float32Array[];
}

type Message = PieceReply | { ready: true } | { error: string };

/**
 * Worker threads that run pieces of a CPU training step beside the pieces TrainStep runs on its
 * own thread, each with a session of its own on a share of the cores. A piece's GEMMs (K or N =
 * 64 or 128) split poorly across ONNX Runtime's threads, and a third of a piece is elementwise
 * work that splits worse: two single-thread pieces at once went ~8–13 % faster than one
 * two-thread piece at a time (`small`, 8000-sample pieces, this 2-core machine). Each worker
 * answers per piece, in order, so the caller sums the gradients in piece order whatever the
 * number of workers.
 */
export class PieceWorkers {
  private readonly exited: Promise<void>[];

  private constructor(private readonly workers: Worker[]) {
    this.exited = workers.map((w) => new Promise<void>((resolve) => w.once('exit', () => resolve())));
  }

  get count(): number {
    return this.workers.length;
  }

  /** Start `count` workers with `threads` ONNX Runtime threads each; resolves when all sessions are open. */
  static async open(model: Uint8Array, count: number, threads: number): Promise<PieceWorkers> {
    const workers = Array.from({ length: count }, () => startEngineWorker('train/piece-worker', { model, threads } satisfies PieceWorkerData));
    const pool = new PieceWorkers(workers);
    try {
      await Promise.all(workers.map((w) => reply(w)));
    } catch (e) {
      await pool.release();
      throw e;
    }
    return pool;
  }

  /** Loss and gradient of every piece at `theta`, in the pieces' order. */
  async run(theta: Float32Array, pieces: Record<string, ort.Tensor>[]): Promise<PieceReply> {
    const share = Math.ceil(pieces.length / this.workers.length);
    const parts = this.workers.map((w, i) => {
      const mine = pieces.slice(i * share, (i + 1) * share);
      if (mine.length === 0) return Promise.resolve<PieceReply>({ losses: [], grads: [] });
      const request: PieceRequest = { theta, pieces: mine.map(plain) };
      const answer = reply(w) as Promise<PieceReply>;
      w.postMessage(request);
      return answer;
    });
    const done = await Promise.all(parts);
    return { losses: done.flatMap((d) => d.losses), grads: done.flatMap((d) => d.grads) };
  }

  /** Close every session and wait for the threads to end. */
  async release(): Promise<void> {
    for (const w of this.workers) w.postMessage('close');
    await Promise.all(this.exited);
  }
}

/** The worker's next message: its reply, or its failure as an Error. */
function reply(w: Worker): Promise<PieceReply | { ready: true }> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number): void => reject(new Error(`a training worker stopped (exit code ${code})`));
    const onError = (e: Error): void => {
      w.off('exit', onExit);
      reject(e);
    };
    w.once('exit', onExit);
    w.once('error', onError);
    w.once('message', (m: Message) => {
      w.off('exit', onExit);
      w.off('error', onError);
      if ('error' in m) reject(new Error(m.error));
      else resolve(m);
    });
  });
}

function plain(piece: Record<string, ort.Tensor>): Record<string, PlainTensor> {
  const out: Record<string, PlainTensor> = {};
  for (const [name, t] of Object.entries(piece)) out[name] = { type: t.type as PlainTensor['type'], data: t.data as Float32Array | BigInt64Array, dims: t.dims };
  return out;
}
