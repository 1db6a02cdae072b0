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
  /** Per worker, the replies it owes, oldest first (a worker answers its messages in order). */
  private readonly owed: { resolve: (m: PieceReply | { ready: true }) => void; reject: (e: Error) => void }[][];

  private constructor(private readonly workers: Worker[]) {
    this.owed = workers.map(() => []);
    this.exited = workers.map((w, i) => new Promise<void>((resolve) => {
      const fail = (e: Error): void => {
        for (const r of this.owed[i]!.splice(0)) r.reject(e);
      };
      w.on('message', (m: Message) => {
        const r = this.owed[i]!.shift();
        if ('error' in m) r?.reject(new Error(m.error));
        else r?.resolve(m);
      });
      w.on('error', fail);
      w.once('exit', (code) => {
        fail(new Error(`a training worker stopped (exit code ${code})`));
        resolve();
      });
    }));
  }

  get count(): number {
    return this.workers.length;
  }

  /** Start `count` workers with `threads` ONNX Runtime threads each; resolves when all sessions are open. */
  static async open(model: Uint8Array, count: number, threads: number): Promise<PieceWorkers> {
    const workers = Array.from({ length: count }, () => startEngineWorker('train/piece-worker', { model, threads } satisfies PieceWorkerData));
    const pool = new PieceWorkers(workers);
    try {
      await Promise.all(workers.map((_, i) => pool.next(i)));
    } catch (e) {
      await pool.release();
      throw e;
    }
    return pool;
  }

  /**
   * Loss and gradient of every piece at `theta`, in the pieces' order. Settles once every worker
   * has answered, so no work is left running when it fails.
   */
  async run(theta: Float32Array, pieces: Record<string, ort.Tensor>[]): Promise<PieceReply> {
    const share = Math.ceil(pieces.length / this.workers.length);
    const parts = this.workers.map((w, i) => {
      const mine = pieces.slice(i * share, (i + 1) * share);
      if (mine.length === 0) return Promise.resolve<PieceReply>({ losses: [], grads: [] });
      const answer = this.next(i) as Promise<PieceReply>;
      w.postMessage({ theta, pieces: mine.map(plain) } satisfies PieceRequest);
      return answer;
    });
    const done = await Promise.allSettled(parts);
    const failed = done.find((d) => d.status === 'rejected');
    if (failed) throw failed.reason;
    const replies = done.map((d) => (d as PromiseFulfilledResult<PieceReply>).value);
    return { losses: replies.flatMap((d) => d.losses), grads: replies.flatMap((d) => d.grads) };
  }

  /** Close every session and wait for the threads to end. */
  async release(): Promise<void> {
    for (const w of this.workers) w.postMessage('close');
    await Promise.all(this.exited);
  }

  /** Worker i's next message: its reply, or its failure as an Error. */
  private next(i: number): Promise<PieceReply | { ready: true }> {
    return new Promise((resolve, reject) => this.owed[i]!.push({ resolve, reject }));
  }
}

function plain(piece: Record<string, ort.Tensor>): Record<string, PlainTensor> {
  const out: Record<string, PlainTensor> = {};
  for (const [name, t] of Object.entries(piece)) out[name] = { type: t.type as PlainTensor['type'], data: t.data as Float32Array | BigInt64Array, dims: t.dims };
  return out;
}
