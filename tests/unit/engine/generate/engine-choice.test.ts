import assert from 'node:assert/strict';
import { test } from 'node:test';
import { preset } from '../../../../main/engine/model/config';
import { engineFor, kernelStreams, segmentEngine } from '../../../../main/engine/generate/incremental';

test('without the native step, the WebAssembly kernel steps as many streams as it beats the step graph at: many for tiny, a few for small, one for medium', () => {
  const [tiny, small, medium] = ['tiny', 'small', 'medium'].map((n) => kernelStreams(preset(n)));
  assert.ok(tiny! >= 8 && tiny! <= 24, `tiny ${tiny}`);
  assert.ok(small! >= 2 && small! <= 4, `small ${small}`);
  assert.equal(medium, 1);
  // A folded render chooses from its streams in all (two workers' worth), so workers do not change its audio.
  assert.equal(engineFor(preset('small'), 2 * small!, false), 'wasm');
  assert.equal(engineFor(preset('small'), 2 * small! + 1, false), 'onnx');
  assert.equal(engineFor(preset('tiny'), 16, false), 'wasm');
  assert.equal(engineFor(preset('tiny'), 64, false), 'onnx');
});

test('with the native step, it steps every folded render and segment on the CPU, whatever the streams; a model whose widths it cannot take keeps the step graph', () => {
  for (const name of ['tiny', 'small', 'medium']) {
    for (const streams of [1, 16, 64]) assert.equal(engineFor(preset(name), streams, true), 'native');
    assert.equal(segmentEngine(preset(name), 'cpu', true), 'native');
    assert.equal(segmentEngine(preset(name), 'webgpu', true), 'onnx');
  }
  const odd = { ...preset('tiny'), residual: 10 };
  assert.equal(engineFor(odd, 4, true), 'onnx');
  assert.equal(segmentEngine(odd, 'cpu', true), 'onnx');
});

test('without the native step, a segmented render has one engine per model and device: the kernel for tiny on the CPU, else the step graph', () => {
  assert.equal(segmentEngine(preset('tiny'), 'cpu', false), 'wasm');
  assert.equal(segmentEngine(preset('tiny'), 'auto', false), 'wasm');
  assert.equal(segmentEngine(preset('tiny'), 'webgpu', false), 'onnx');
  assert.equal(segmentEngine(preset('small'), 'cpu', false), 'onnx');
  assert.equal(segmentEngine(preset('medium'), 'cpu', false), 'onnx');
});
