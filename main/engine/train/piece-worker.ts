import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { sessionOptions } from '../runtime/session';
import type { PieceReply, PieceRequest, PieceWorkerData } from './piece-workers';

/**
 * A worker thread of a data-parallel training step (see piece-workers.ts): opens the loss-and-
 * gradient graph on the CPU with its own threads, then answers each request with every piece's
 * loss and gradient, in order. Messages in: PieceRequest, 'close'. Out: { ready }, PieceReply,
 * { error }.
 */
const port = parentPort!;
const { model, threads } = workerData as PieceWorkerData;

/** A failure as the one-line message PieceWorkers turns back into an Error. */
function fail(e: unknown): void {
  port.postMessage({ error: e instanceof Error ? e.message.split('\n')[0] : String(e) });
}

try {
  const session = await ort.InferenceSession.create(model, sessionOptions('cpu', threads));
  port.on('message', (m: PieceRequest | 'close') => {
    if (m === 'close') {
      void session.release().finally(() => port.close());
      return;
    }
    void answer(session, m).then((reply) => port.postMessage(reply, reply.grads.map((g) => g.buffer as ArrayBuffer)), fail);
  });
  port.postMessage({ ready: true });
} catch (e) {
  fail(e);
  port.close();
}

async function answer(session: ort.InferenceSession, m: PieceRequest): Promise<PieceReply> {
  const theta = new ort.Tensor('float32', m.theta, [m.theta.length]);
  const losses: number[] = [];
  const grads: Float32Array[] = [];
  for (const piece of m.pieces) {
    const feeds: Record<string, ort.Tensor> = { theta };
    for (const [name, t] of Object.entries(piece)) feeds[name] = new ort.Tensor(t.type, t.data as Float32Array, t.dims);
    const out = await session.run(feeds);
    losses.push(Number(out.loss!.data[0]));
    // A copy: ONNX Runtime's output buffer cannot be transferred.
    grads.push((out.grad!.data as Float32Array).slice());
  }
  return { losses, grads };
}
