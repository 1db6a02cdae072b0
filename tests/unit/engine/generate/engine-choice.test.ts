import assert from 'node:assert/strict';
import { test } from 'node:test';
import { preset } from '../../../../main/engine/model/config';
import { engineFor, kernelStreams, segmentEngine } from '../../../../main/engine/generate/incremental';

test('the kernel steps as many streams as it beats the step graph at: many for tiny, a few for small, one for medium', () => {
  const [tiny, small, medium] = ['tiny', 'small', 'medium'].map((n) => kernelStreams(preset(n)));
  assert.ok(tiny! >= 8 && tiny! <= 24, `tiny ${tiny}`);
  assert.ok(small! >= 2 && small! <= 4, `small ${small}`);
  assert.equal(medium, 1);
  // A folded render chooses from its streams in all (two workers' worth), so workers do not change its audio.
  assert.equal(engineFor(preset('small'), 2 * small!), 'wasm');
  assert.equal(engineFor(preset('small'), 2 * small! + 1), 'onnx');
  assert.equal(engineFor(preset('tiny'), 16), 'wasm');
  assert.equal(engineFor(preset('tiny'), 64), 'onnx');
});

test('a segmented render has one engine per model and device: the kernel for tiny on the CPU, else the step graph', () => {
  assert.equal(segmentEngine(preset('tiny'), 'cpu'), 'wasm');
  assert.equal(segmentEngine(preset('tiny'), 'auto'), 'wasm');
  assert.equal(segmentEngine(preset('tiny'), 'webgpu'), 'onnx');
  assert.equal(segmentEngine(preset('small'), 'cpu'), 'onnx');
  assert.equal(segmentEngine(preset('medium'), 'cpu'), 'onnx');
});
