import * as os from 'node:os';
import * as ort from 'onnxruntime-node';
import { dilations, type WaveNetConfig } from '../model/config';
import { adamGraph, lossGraph, trainStepGraph, type OptimizerSettings } from '../model/graphs';
import { paramCount, paramSpecs } from '../model/params';
import type { SequenceShape } from '../model/wavenet';
import { openSession, type Device, type Session, type SessionSettings } from '../runtime/session';
import { PieceWorkers } from './piece-workers';

/** What a step reads and writes besides the batch: the packed weights and Adam's moments. */
export interface StepState {
  theta: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

export interface StepResult extends StepState {
  /** Mean cross-entropy of the batch, nats/sample. */
  loss: number;
  /** Global norm of the gradient before clipping. */
  gradNorm: number;
}

/**
 * Bytes of activations a CPU step may keep for its backward pass at once: more segments than fit
 * run as pieces. Each piece's activations are freed before the next starts, so a step's memory is
 * bounded by the piece, not the batch (the `small` preset: one 8000-sample segment per piece).
 */
const PIECE_BYTES = 256 * 2 ** 20;

/**
 * Pieces a CPU step runs at once, at most: each holds its own activations (`small`: ~370 MB a
 * piece in ONNX Runtime), so memory grows with this, not with the cores.
 */
const MAX_SIDE_BY_SIDE = 2;

/** Kept activations of the pieces side by side, together, at most: a second piece only where two fit. */
const SIDE_BY_SIDE_BYTES = 2 * PIECE_BYTES;

/**
 * Activation bytes per sample that a step keeps for its backward pass (float32): per layer the
 * layer input, tanh and sigmoid halves and their product; the skip sum, hidden and log-probability
 * rows of the head.
 */
function keptBytesPerSample(cfg: WaveNetConfig): number {
  const layers = dilations(cfg).length;
  return 4 * (layers * (cfg.residual + 1.5 * cfg.gate) + cfg.skip + cfg.head + 2 * cfg.quantization);
}

/**
 * Pieces a step of this shape runs as on a device: on the CPU the fewest equal pieces (whole
 * segments; a divisor of the batch) whose activations fit PIECE_BYTES, at least one segment each;
 * on a GPU one (its memory is its own, and fewer, larger runs suit it).
 */
export function stepPieces(cfg: WaveNetConfig, shape: SequenceShape, device: Device): number {
  if (device !== 'cpu') return 1;
  const perSegment = shape.length * keptBytesPerSample(cfg);
  for (let pieces = 1; pieces < shape.batch; pieces++) {
    if (shape.batch % pieces === 0 && (shape.batch / pieces) * perSegment <= PIECE_BYTES) return pieces;
  }
  return shape.batch;
}

/**
 * Pieces of `count` that a CPU step with `threads` runs at once (see PieceWorkers): one per thread,
 * at most MAX_SIDE_BY_SIDE, and only as many as keep SIDE_BY_SIDE_BYTES of activations (`small`'s
 * 8000-sample pieces: two; `medium`'s: one).
 */
export function sideBySidePieces(cfg: WaveNetConfig, shape: SequenceShape, count: number, threads: number): number {
  const pieceBytes = (shape.batch / count) * shape.length * keptBytesPerSample(cfg);
  const fit = Math.floor(SIDE_BY_SIDE_BYTES / pieceBytes);
  return Math.max(1, Math.min(count, threads, MAX_SIDE_BY_SIDE, fit));
}

/**
 * Whether a CPU graph running on `threads` holds its activations as columns (wavenet.ts's
 * layout()): on one or two threads, where every preset's piece was measured faster so (on 2 cores:
 * `small` 10–15 % on one thread and 7 % on two, `medium` 13 % / 5 %, `tiny` 12 % / 4 %); with 8 or
 * 16 threads a graph (16 cores) rows were faster by 8–20 %, their weight gradients split among the
 * threads (ops/matmul.ts weightGradient), which columns' x·dyᵀ has no counterpart of.
 */
export function columnsSuit(threads: number): boolean {
  return threads <= 2;
}

/**
 * One optimizer step of a batch: the one way the trainer, measure and bench run a step. A batch that
 * fits runs as the one-graph step (trainStepGraph); a larger one as pieces (micro-batches): each
 * piece's loss and gradient from its own run of lossGraph, the gradients summed weighted by the
 * pieces' shares (the batch's mean loss and its gradient, as the one graph computes them), then
 * clipping and Adam in adamGraph.
 */
export class TrainStep {
  private constructor(
    readonly device: Device,
    /** The step's graph (one graph), or the loss and gradient of one piece. */
    private readonly main: Session,
    private readonly apply: Session | null,
    readonly pieces: number,
    private readonly P: number,
    private readonly grad: Float32Array,
    /** Worker threads running pieces beside this thread's (see PieceWorkers). */
    private readonly helpers: PieceWorkers | null,
    /** Whether the graph holds activations as columns (columnsSuit). */
    readonly columns: boolean,
  ) {}

  /** Pieces running at once: this thread's and one per helper worker. */
  get sideBySide(): number {
    return 1 + (this.helpers?.count ?? 0);
  }

  /**
   * Opens the step's sessions. `pieces` overrides the plan, `sideBySide` the pieces run at once
   * (tests compare the ways). A tiny graph opens first: it settles 'auto' and any fallback, so the
   * step's graph is planned for the device it will run on. On the CPU, pieces run side by side
   * (sideBySidePieces), the cores shared among them.
   */
  static async open(cfg: WaveNetConfig, shape: SequenceShape, opt: OptimizerSettings, settings: SessionSettings, pieces?: number, sideBySide?: number): Promise<TrainStep> {
    const P = paramCount(paramSpecs(cfg));
    // One thread: its few milliseconds are not worth a second pool of spinning threads beside the step's.
    const apply = await openSession(adamGraph(cfg, opt), { ...settings, threads: 1 });
    const count = pieces ?? stepPieces(cfg, shape, apply.device);
    if (shape.batch % count !== 0) throw new Error(`a batch of ${shape.batch} does not split into ${count} equal pieces`);
    const onCpu = apply.device === 'cpu';
    const threads = intraOpThreads(settings.threads);
    if (count === 1) {
      await apply.session.release();
      const columns = onCpu && columnsSuit(threads);
      const main = await openSession(trainStepGraph(cfg, shape, opt, 'float32', { weightGradientParts: onCpu ? threads : 1, columns }), { ...settings, device: apply.device });
      return new TrainStep(main.device, main, null, 1, P, new Float32Array(0), null, columns);
    }
    const side = !onCpu ? 1 : sideBySide !== undefined ? Math.max(1, Math.min(count, sideBySide)) : sideBySidePieces(cfg, shape, count, threads);
    const each = Math.max(1, Math.floor(threads / side));
    const columns = onCpu && columnsSuit(each);
    const graph = lossGraph(cfg, { batch: shape.batch / count, length: shape.length }, 'float32', true, { weightGradientParts: onCpu ? each : 1, columns });
    const main = await openSession(graph, { ...settings, device: apply.device, threads: side > 1 ? each : settings.threads });
    if (main.device !== apply.device) {
      // The GPU took the small graph but not this one: plan again for where it runs.
      await Promise.all([main.session.release(), apply.session.release()]);
      return TrainStep.open(cfg, shape, opt, { ...settings, device: main.device }, pieces, sideBySide);
    }
    let helpers: PieceWorkers | null = null;
    try {
      if (side > 1) helpers = await PieceWorkers.open(graph, side - 1, each);
    } catch (e) {
      await Promise.all([main.session.release(), apply.session.release()]);
      throw e;
    }
    return new TrainStep(main.device, main, apply, count, P, new Float32Array(P), helpers, columns);
  }

  /** One step on a batch (samples, targets, frames, global_id as batchFeeds makes them). */
  async run(batch: Record<string, ort.Tensor>, state: StepState, lr: number, eps: number): Promise<StepResult> {
    const P = this.P;
    const params = {
      theta: new ort.Tensor('float32', state.theta, [P]),
      lr: new ort.Tensor('float32', Float32Array.from([lr]), []),
      eps: new ort.Tensor('float32', Float32Array.from([eps]), []),
    };
    const moments = { adam_m: new ort.Tensor('float32', state.m, [P]), adam_v: new ort.Tensor('float32', state.v, [P]) };
    if (!this.apply) {
      const out = await this.main.session.run({ ...batch, ...params, ...moments });
      return stepResult(out, Number(out.loss!.data[0]));
    }
    const grad = this.grad;
    const weight = 1 / this.pieces;
    let loss = 0;
    // Summed in piece order, wherever the pieces ran.
    const add = (k: number, g: Float32Array, pieceLoss: number): void => {
      if (k === 0) for (let i = 0; i < P; i++) grad[i] = weight * g[i]!;
      else for (let i = 0; i < P; i++) grad[i]! += weight * g[i]!;
      loss += weight * pieceLoss;
    };
    const pieces = Array.from({ length: this.pieces }, (_, k) => piece(batch, k, this.pieces));
    // This thread takes the first share; the helpers start on the rest before it does.
    const mine = Math.ceil(this.pieces / this.sideBySide);
    const away = this.helpers?.run(state.theta, pieces.slice(mine));
    // Awaited after this thread's pieces; a failure meanwhile must not count as unhandled.
    away?.catch(() => undefined);
    try {
      for (let k = 0; k < mine; k++) {
        const out = await this.main.session.run({ ...pieces[k]!, theta: params.theta });
        add(k, out.grad!.data as Float32Array, Number(out.loss!.data[0]));
      }
    } catch (e) {
      // The helpers finish their share first: nothing of this step is left running.
      await away?.catch(() => undefined);
      throw e;
    }
    if (away) {
      const r = await away;
      r.grads.forEach((g, j) => add(mine + j, g, r.losses[j]!));
    }
    const out = await this.apply.session.run({ ...params, ...moments, grad: new ort.Tensor('float32', grad, [P]) });
    return stepResult(out, loss);
  }

  async release(): Promise<void> {
    await this.helpers?.release();
    await this.main.session.release();
    await this.apply?.session.release();
  }
}

/** The CPU threads a session's nodes run on: the setting, or (0) about what ONNX Runtime chooses, one per core. */
function intraOpThreads(threads: number | undefined): number {
  return threads && threads > 0 ? threads : os.availableParallelism();
}

function stepResult(out: ort.InferenceSession.ReturnType, loss: number): StepResult {
  return {
    theta: out.theta_next!.data as Float32Array,
    m: out.adam_m_next!.data as Float32Array,
    v: out.adam_v_next!.data as Float32Array,
    loss,
    gradNorm: Number(out.grad_norm!.data[0]),
  };
}

/** Piece k of `count` of every batch input: its share of the leading axis (segments, or their samples). */
function piece(batch: Record<string, ort.Tensor>, k: number, count: number): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(batch)) {
    const rows = t.dims[0]! / count;
    const size = t.data.length / count;
    const data = t.data as Float32Array | BigInt64Array;
    out[name] = new ort.Tensor(t.type as 'float32', data.subarray(k * size, (k + 1) * size) as Float32Array, [rows, ...t.dims.slice(1)]);
  }
  return out;
}
