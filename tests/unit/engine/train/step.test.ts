import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { preset, type WaveNetConfig } from '../../../../main/engine/model/config';
import { initialParams, paramCount, paramSpecs } from '../../../../main/engine/model/params';
import { batchFeeds } from '../../../../main/engine/train/feeds';
import { columnsSuit, sideBySidePieces, stepPieces, TrainStep, type StepResult } from '../../../../main/engine/train/step';
import { Random } from '../../../../main/engine/util/random';

const OPT = { beta1: 0.9, beta2: 0.999, clip: 0.05 };

/** tiny with two global classes: every batch input (samples, targets, frames, global_id) is cut into pieces. */
const CFG: WaveNetConfig = { ...preset('tiny'), globalClasses: 2 };
const SHAPE = { batch: 4, length: 400 };

function maxDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

/** A batch of `batch` segments of SHAPE's length with every input, and Adam part-way through a run. */
function stepInputs(seed: number, batch = SHAPE.batch): { feeds: ReturnType<typeof batchFeeds>; theta: Float32Array; m: Float32Array; v: Float32Array } {
  const rng = new Random(seed);
  const frames = SHAPE.length / CFG.hop;
  const feeds = batchFeeds({
    batch, length: SHAPE.length,
    inputs: Int32Array.from({ length: batch * (SHAPE.length + 1) }, () => rng.int(CFG.quantization)),
    frames, features: Float32Array.from({ length: batch * frames * CFG.conditionBins }, () => rng.normal()),
    classIds: Int32Array.from({ length: batch }, (_, i) => (i === 1 || i === 2 ? 1 : 0)),
  }, CFG.conditionBins, CFG.globalClasses);
  const P = paramCount(paramSpecs(CFG));
  // Adam part-way through a run (moments not zero), so that the update is a smooth function of the
  // gradient rather than its sign, and the weights show any difference in it.
  const theta = initialParams(paramSpecs(CFG), 5);
  const m = Float32Array.from({ length: P }, () => 1e-3 * rng.normal());
  const v = Float32Array.from({ length: P }, () => 1e-4 * (1 + rng.next()));
  return { feeds, theta, m, v };
}

test('a step run as pieces gives the one-graph step\'s loss, gradient norm and updated weights and moments', async () => {
  const { feeds, theta, m, v } = stepInputs(11);
  const lr = 1e-3;
  const results: StepResult[] = [];
  for (const pieces of [1, 2, 4]) {
    const step = await TrainStep.open(CFG, SHAPE, OPT, { device: 'cpu', threads: 2 }, pieces);
    assert.equal(step.pieces, pieces);
    results.push(await step.run(feeds, { theta, m, v }, lr, 1e-8));
    await step.release();
  }
  const [whole, ...split] = results as [StepResult, ...StepResult[]];
  assert.ok(whole.gradNorm > 0.05, `the clip (0.05) should act: norm ${whole.gradNorm}`);
  for (const r of split) {
    assert.ok(Math.abs(r.loss - whole.loss) < 1e-5 * whole.loss, `loss ${r.loss} vs ${whole.loss}`);
    assert.ok(Math.abs(r.gradNorm - whole.gradNorm) < 1e-4 * whole.gradNorm, `grad norm ${r.gradNorm} vs ${whole.gradNorm}`);
    // A step moves a weight by at most about lr · (0.1 · 0.05 + |m|) / sqrt(v) ≈ 1e-3 · 0.008 / 0.01.
    assert.ok(maxDiff(r.theta, whole.theta) < 1e-7, `theta differs by ${maxDiff(r.theta, whole.theta)}`);
    assert.ok(maxDiff(r.m, whole.m) < 1e-7, `m differs by ${maxDiff(r.m, whole.m)}`);
    assert.ok(maxDiff(r.v, whole.v) < 1e-9, `v differs by ${maxDiff(r.v, whole.v)}`);
  }
  // The inputs were not changed by the step.
  assert.notEqual(maxDiff(results[1]!.theta, theta), 0);
});

test('pieces run side by side on worker threads give the very numbers they give one after another', async () => {
  const { feeds, theta, m, v } = stepInputs(12, 3);
  const results: StepResult[] = [];
  // One ONNX Runtime thread a piece either way; three pieces two at a time deal unevenly (2 + 1).
  for (const [threads, side] of [[1, 1], [2, 2], [3, 3]] as const) {
    const step = await TrainStep.open(CFG, { ...SHAPE, batch: 3 }, OPT, { device: 'cpu', threads }, 3, side);
    assert.equal(step.sideBySide, side);
    results.push(await step.run(feeds, { theta, m, v }, 1e-3, 1e-8));
    await step.release();
  }
  const [here, ...side] = results as [StepResult, ...StepResult[]];
  for (const r of side) {
    assert.equal(r.loss, here.loss);
    assert.equal(r.gradNorm, here.gradNorm);
    assert.equal(maxDiff(r.theta, here.theta), 0);
    assert.equal(maxDiff(r.v, here.v), 0);
  }
});

test('a piece that fails, on this thread or a worker, fails the step with its reason; the next step runs as usual', async () => {
  const { feeds, theta, m, v } = stepInputs(13);
  const step = await TrainStep.open(CFG, SHAPE, OPT, { device: 'cpu', threads: 2 }, 4, 2);
  assert.equal(step.sideBySide, 2);
  // Frames with one bin too many: every piece's run refuses them, this thread's and the worker's.
  const frames = feeds.frames!;
  const [b, f, bins] = frames.dims as [number, number, number];
  const wrong = { ...feeds, frames: new ort.Tensor('float32', new Float32Array(b * f * (bins + 1)), [b, f, bins + 1]) };
  await assert.rejects(step.run(wrong, { theta, m, v }, 1e-3, 1e-8), /frames|dimension|shape/i);
  // This thread's pieces fine (segments 0 and 1), the worker's not (segment 3 of a class the model lacks).
  const ids = BigInt64Array.from(feeds.global_id!.data as BigInt64Array);
  ids[3] = 99n;
  const outOfRange = { ...feeds, global_id: new ort.Tensor('int64', ids, [ids.length]) };
  await assert.rejects(step.run(outOfRange, { theta, m, v }, 1e-3, 1e-8), /idx=99/);
  // A failed step leaves no work running whose answer a later step would take for its own.
  const ok = await step.run(feeds, { theta, m, v }, 1e-3, 1e-8);
  assert.ok(Number.isFinite(ok.loss));
  await step.release();
});

test('a CPU step is cut into pieces by the activations it keeps; a GPU step stays whole', () => {
  const small = preset('small');
  assert.equal(stepPieces(small, { batch: 4, length: 8000 }, 'cpu'), 4);
  assert.equal(stepPieces(small, { batch: 4, length: 8000 }, 'cuda'), 1);
  assert.equal(stepPieces(small, { batch: 8, length: 4000 }, 'cpu'), 4);
  assert.equal(stepPieces(small, { batch: 3, length: 8000 }, 'cpu'), 3);
  assert.equal(stepPieces(preset('tiny'), { batch: 4, length: 4000 }, 'cpu'), 1);
  assert.equal(stepPieces(preset('large'), { batch: 2, length: 8100 }, 'cpu'), 2);
});

test('pieces run side by side one per thread, at most two, and only where two pieces\' activations fit', () => {
  const small = preset('small');
  assert.equal(sideBySidePieces(small, { batch: 4, length: 8000 }, 4, 2), 2);
  assert.equal(sideBySidePieces(small, { batch: 4, length: 8000 }, 4, 16), 2);
  assert.equal(sideBySidePieces(small, { batch: 4, length: 8000 }, 4, 1), 1);
  assert.equal(sideBySidePieces(preset('medium'), { batch: 4, length: 8000 }, 4, 2), 1);
  assert.equal(sideBySidePieces(preset('tiny'), { batch: 4, length: 400 }, 4, 3), 2);
});

test('pieces on one or two threads hold activations as columns and step as pieces held as rows do', async () => {
  // small's layers (64 residual channels), fewer of them, and short segments: quick.
  const cfg: WaveNetConfig = { ...preset('small'), stacks: 1, layersPerStack: 3 };
  const shape = { batch: 2, length: 400 };
  const rng = new Random(21);
  const frames = shape.length / cfg.hop;
  const feeds = batchFeeds({
    batch: shape.batch, length: shape.length,
    inputs: Int32Array.from({ length: shape.batch * (shape.length + 1) }, () => rng.int(cfg.quantization)),
    frames, features: Float32Array.from({ length: shape.batch * frames * cfg.conditionBins }, () => rng.normal()),
    classIds: new Int32Array(0),
  }, cfg.conditionBins, cfg.globalClasses);
  const P = paramCount(paramSpecs(cfg));
  const state = { theta: initialParams(paramSpecs(cfg), 3), m: Float32Array.from({ length: P }, () => 1e-3 * rng.normal()), v: Float32Array.from({ length: P }, () => 1e-4 * (1 + rng.next())) };
  const run = async (threads: number): Promise<{ columns: boolean; r: StepResult }> => {
    const step = await TrainStep.open(cfg, shape, OPT, { device: 'cpu', threads }, 2, 1);
    try {
      return { columns: step.columns, r: await step.run(feeds, state, 1e-3, 1e-8) };
    } finally {
      await step.release();
    }
  };
  const rows = await run(3); // one piece at a time on three threads: rows
  const columns = await run(2); // on two: columns
  assert.equal(rows.columns, false);
  assert.equal(columns.columns, true);
  assert.ok(Math.abs(columns.r.loss - rows.r.loss) < 1e-5 * rows.r.loss, `loss ${columns.r.loss} vs ${rows.r.loss}`);
  assert.ok(Math.abs(columns.r.gradNorm - rows.r.gradNorm) < 1e-4 * rows.r.gradNorm, `grad norm ${columns.r.gradNorm} vs ${rows.r.gradNorm}`);
  assert.ok(maxDiff(columns.r.theta, rows.r.theta) < 1e-7, `theta differs by ${maxDiff(columns.r.theta, rows.r.theta)}`);
  assert.ok(maxDiff(columns.r.theta, state.theta) > 1e-5, 'the step must move the weights');
  // The rule: one or two threads a graph.
  assert.equal(columnsSuit(1), true);
  assert.equal(columnsSuit(2), true);
  assert.equal(columnsSuit(3), false);
  assert.equal(columnsSuit(8), false);
});
