import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeNpy, encodeNpy, featuresFromNpy, featuresToNpy } from '../../../../main/engine/dsp/npy';
import { StudioError } from '../../../../main/engine/errors';

test('encodeNpy writes a NumPy v1.0 float32 header aligned to 64 bytes', () => {
  const bytes = encodeNpy(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
  const headerLen = bytes[8]! | (bytes[9]! << 8);
  const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLen));
  assert.equal((10 + headerLen) % 64, 0);
  assert.match(header, /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
  const back = decodeNpy(bytes);
  assert.deepEqual(back.shape, [2, 3]);
  assert.deepEqual([...back.data], [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(decodeNpy(encodeNpy(Float32Array.from([7]), [1])).shape, [1]);
});

test('decodeNpy reads float64 and Fortran order as NumPy writes them', () => {
  const header = "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }";
  const padded = header + ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const body = new Float64Array([1, 4, 2, 5, 3, 6]); // column-major [[1,2,3],[4,5,6]]
  const bytes = new Uint8Array(10 + padded.length + body.byteLength);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(bytes.buffer).setUint16(8, padded.length, true);
  bytes.set(new TextEncoder().encode(padded), 10);
  bytes.set(new Uint8Array(body.buffer), 10 + padded.length);
  assert.deepEqual([...decodeNpy(bytes).data], [1, 2, 3, 4, 5, 6]);
});

test('features go to [bins, frames] and back unchanged', () => {
  const features = { frames: 3, bins: 2, data: Float32Array.from([1, 2, 3, 4, 5, 6]) }; // frame-major
  const npy = decodeNpy(featuresToNpy(features));
  assert.deepEqual(npy.shape, [2, 3]);
  assert.deepEqual([...npy.data], [1, 3, 5, 2, 4, 6]);
  assert.deepEqual(featuresFromNpy(featuresToNpy(features)), features);
});

test('bad .npy files give NPY_INVALID naming the file', () => {
  const cases: [string, Uint8Array][] = [
    ['not numpy', new TextEncoder().encode('hello world, not numpy at all')],
    ['cut off', encodeNpy(new Float32Array(100), [10, 10]).subarray(0, 200)],
    ['int dtype', encodeNpy(new Float32Array(4), [4]).map((b, i, a) => (i > 10 && a[i - 1] === 0x3c && b === 0x66 ? 0x69 : b))],
    ['NaN', encodeNpy(Float32Array.from([1, Number.NaN]), [2])],
  ];
  for (const [what, bytes] of cases) {
    assert.throws(() => decodeNpy(bytes, 'x.npy'), (e: unknown) => e instanceof StudioError && e.code === 'NPY_INVALID' && e.message.includes('x.npy'), what);
  }
  assert.throws(() => featuresFromNpy(encodeNpy(new Float32Array(6), [6]), 'x.npy'), /two dimensions/);
  assert.throws(() => featuresFromNpy(encodeNpy(new Float32Array(6), [3, 2]), 'x.npy', 80), /expects 80/);
});
