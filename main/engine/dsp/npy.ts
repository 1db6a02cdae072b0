import { StudioError } from '../errors';
import type { FrameFeatures } from './mel';

/** A float32 array with its NumPy shape (C order). */
export interface NpyArray {
  shape: number[];
  data: Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** NumPy .npy version 1.0, little-endian float32, C order; header padded to 64 bytes. */
export function encodeNpy(data: Float32Array, shape: number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new StudioError('BAD_OPTION', `Shape [${shape.join(', ')}] holds ${count} values but ${data.length} were given.`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  const unpadded = MAGIC.length + 4 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(MAGIC.length + 4 + header.length + data.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const body = new DataView(out.buffer, 10 + header.length);
  for (let i = 0; i < data.length; i++) body.setFloat32(i * 4, data[i]!, true);
  return out;
}

/** Reads .npy v1–v3 with dtype <f4 or <f8 (float64 is narrowed), C or Fortran order. */
export function decodeNpy(bytes: Uint8Array, name = 'the .npy file'): NpyArray {
  const bad = (why: string): StudioError => new StudioError('NPY_INVALID', `${name} is not a usable .npy array: ${why}. Save it with numpy.save as float32.`);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw bad('it does not start with the NumPy magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = (major === 1 ? 10 : 12) + headerLen;
  if (start > bytes.length) throw bad('the header is cut off');
  const header = new TextDecoder().decode(bytes.subarray(major === 1 ? 10 : 12, start));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined) throw bad('the header has no dtype or shape');
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw bad(`the shape (${shapeText}) is not a list of sizes`);
  const width = descr === '<f4' ? 4 : descr === '<f8' ? 8 : 0;
  if (width === 0) throw bad(`dtype ${descr} is not little-endian float32 or float64`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - start < count * width) throw bad(`it holds fewer values than its shape (${shape.join(' × ')}) needs`);
  const raw = new Float32Array(count);
  for (let i = 0; i < count; i++) raw[i] = width === 4 ? view.getFloat32(start + i * 4, true) : view.getFloat64(start + i * 8, true);
  if (raw.some((v) => !Number.isFinite(v))) throw bad('it contains NaN or infinite values');
  return { shape, data: fortran ? fortranToC(raw, shape) : raw };
}

function fortranToC(data: Float32Array, shape: number[]): Float32Array {
  if (shape.length < 2) return data;
  if (shape.length !== 2) throw new StudioError('NPY_INVALID', 'Fortran-ordered arrays with more than two dimensions are not supported; save with numpy.ascontiguousarray.');
  const [rows, cols] = shape as [number, number];
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = data[c * rows + r]!;
  return out;
}

/** Features as the usual [bins, frames] array (librosa's layout). */
export function featuresToNpy(features: FrameFeatures): Uint8Array {
  const { frames, bins, data } = features;
  const out = new Float32Array(frames * bins);
  for (let f = 0; f < frames; f++) for (let b = 0; b < bins; b++) out[b * frames + f] = data[f * bins + b]!;
  return encodeNpy(out, [bins, frames]);
}

/** Features from a [bins, frames] .npy; `expectedBins` checks it fits the model. */
export function featuresFromNpy(bytes: Uint8Array, name = 'the .npy file', expectedBins?: number): FrameFeatures {
  const { shape, data } = decodeNpy(bytes, name);
  if (shape.length !== 2) throw new StudioError('NPY_INVALID', `${name} has shape (${shape.join(', ')}); frame features need two dimensions [bins, frames].`);
  const [bins, frames] = shape as [number, number];
  if (expectedBins !== undefined && bins !== expectedBins) {
    throw new StudioError('NPY_INVALID', `${name} has ${bins} feature rows but the model expects ${expectedBins}: give a [${expectedBins}, frames] array.`);
  }
  const out = new Float32Array(frames * bins);
  for (let b = 0; b < bins; b++) for (let f = 0; f < frames; f++) out[f * bins + b] = data[b * frames + f]!;
  return { frames, bins, data: out };
}
