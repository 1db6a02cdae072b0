import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as op from '../../../../main/engine/graph/ops/index';
import { gradCheck, type CheckInput } from './gradcheck';

const TOL = 1e-6;

async function expectGradient(name: string, inputs: CheckInput[], f: Parameters<typeof gradCheck>[1]): Promise<void> {
  const r = await gradCheck(inputs, f);
  assert.ok(r.checked > 0, `${name}: nothing was checked`);
  assert.ok(r.maxRelError < TOL, `${name}: finite-difference mismatch, max rel error ${r.maxRelError}, abs ${r.maxAbsError}`);
}

/** Values kept away from zero so that ReLU's kink is not straddled by the finite difference. */
function awayFromZero(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => (i % 2 ? 1 : -1) * (0.1 + ((i * 37) % 11) / 10));
}

test('Add with broadcasting', () => expectGradient('Add', [{ shape: [2, 3, 4] }, { shape: [1, 4] }], (g, [a, b]) => op.add(g, a!, b!)));
test('Sub with broadcasting', () => expectGradient('Sub', [{ shape: [3, 1] }, { shape: [2, 3, 4] }], (g, [a, b]) => op.sub(g, a!, b!)));
test('Mul with broadcasting', () => expectGradient('Mul', [{ shape: [2, 3, 4] }, { shape: [3, 1] }], (g, [a, b]) => op.mul(g, a!, b!)));
test('Neg', () => expectGradient('Neg', [{ shape: [5] }], (g, [a]) => op.neg(g, a!)));
test('Tanh', () => expectGradient('Tanh', [{ shape: [2, 5] }], (g, [a]) => op.tanh(g, a!)));
test('Sigmoid', () => expectGradient('Sigmoid', [{ shape: [2, 5] }], (g, [a]) => op.sigmoid(g, a!)));
test('Relu', () => expectGradient('Relu', [{ shape: [3, 4], data: awayFromZero(12) }], (g, [a]) => op.relu(g, a!)));
test('MatMul (batched activations, 2-D weight)', () =>
  expectGradient('MatMul', [{ shape: [2, 3, 4] }, { shape: [4, 5] }], (g, [a, b]) => op.matmul(g, a!, b!)));
test('Reshape', () => expectGradient('Reshape', [{ shape: [2, 6] }], (g, [a]) => op.reshape(g, a!, [3, 4])));
test('Transpose', () => expectGradient('Transpose', [{ shape: [2, 3, 4] }], (g, [a]) => op.transpose(g, a!, [2, 0, 1])));
test('Concat', () => expectGradient('Concat', [{ shape: [2, 3, 2] }, { shape: [2, 3, 4] }], (g, [a, b]) => op.concat(g, [a!, b!], 2)));
test('Split (one piece unused)', () =>
  expectGradient('Split', [{ shape: [2, 7] }], (g, [a]) => {
    const [p, , q] = op.split(g, a!, 1, [2, 3, 2]);
    return op.mul(g, p!, q!);
  }));
test('Pad as causal shift', () => expectGradient('Pad', [{ shape: [2, 6, 3] }], (g, [a]) => op.shift(g, a!, 1, 2)));
test('Slice', () => expectGradient('Slice', [{ shape: [2, 6, 3] }], (g, [a]) => op.slice(g, a!, 1, 1, 4)));
test('ReduceSum', () => expectGradient('ReduceSum', [{ shape: [2, 3, 4] }], (g, [a]) => op.reduceSum(g, a!, [0, 2])));
test('Gather (embedding with repeated indices)', () =>
  expectGradient('Gather', [{ shape: [5, 3] }, { shape: [2, 4], ints: { values: [0, 1, 1, 4, 4, 4, 2, 0] } }], (g, [t, i]) => op.gather(g, t!, i!)));
test('SoftmaxCrossEntropyLoss', () =>
  expectGradient('SoftmaxCrossEntropyLoss', [{ shape: [6, 5] }, { shape: [6], ints: { values: [0, 4, 2, 2, 1, 3] } }], (g, [x, l]) =>
    op.softmaxCrossEntropy(g, x!, l!).loss));
test('a chain reusing a value (gradients accumulate)', () =>
  expectGradient('chain', [{ shape: [3, 4] }, { shape: [4, 4] }], (g, [x, w]) => {
    const h = op.tanh(g, op.matmul(g, x!, w!));
    return op.mul(g, h, op.sigmoid(g, op.matmul(g, h, w!)));
  }));
