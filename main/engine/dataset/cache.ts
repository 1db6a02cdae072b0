// One imported audio file as training material, in its own small binary file under
// datasets/<id>/cache/: what the import computed once (mu-law samples at the project rate, the
// conditioning frames, the file's statistics), read back by training and the Datasets view
// without decoding or resampling again.
//
// Layout (little-endian):
//   0  "WNDC"            magic
//   4  u32 version       CACHE_VERSION
//   8  u32 H             header length in bytes
//  12  H bytes           header, JSON (CacheHeader)
//      zero padding      to a multiple of 4
//      S bytes           mu-law classes (u8), S = header.samples
//      zero padding      to a multiple of 4
//      F × B × 4 bytes   features, float32, frame-major, F = header.frames, B = header.bins
import { promises as fs } from 'node:fs';
import { StudioError } from '../errors';
import type { FrameFeatures } from '../dsp/mel';
import { writeFileAtomic } from '../util/atomic';
import type { ConditionKind } from './types';

export const CACHE_VERSION = 1;
const MAGIC = 'WNDC';
const PREFIX = 12;
/** A header is a few hundred bytes; anything far larger is not one of ours. */
const MAX_HEADER = 1 << 20;

/** What the import measured on the source file (before resampling, levelling or trimming). */
export interface SourceStats {
  /** Sample rate and channels of the file as recorded. */
  sourceRate: number;
  channels: number;
  /** Highest |sample| over all channels, dBFS (−120 for digital silence). */
  peakDb: number;
  /** RMS of the mono mix, dBFS (−120 for digital silence). */
  loudnessDb: number;
  /** Samples at or beyond ±0.999 over all channels. */
  clipped: number;
  /** Mean of the mono mix (a microphone or converter offset). */
  dcOffset: number;
  /** What was wrong though the file was usable (a cut-off copy), one line each. */
  warnings: string[];
}

export interface CacheHeader {
  /** The cache key (the file's name): a hash of everything that shaped the contents. */
  key: string;
  sampleRate: number;
  hop: number;
  condition: ConditionKind;
  /** Mu-law samples stored (at sampleRate). */
  samples: number;
  frames: number;
  bins: number;
  /** Used audio, seconds (= samples / sampleRate). */
  seconds: number;
  stats: SourceStats;
}

export interface CachedAudio {
  header: CacheHeader;
  /** Mu-law classes 0..255. */
  samples: Uint8Array;
  features: FrameFeatures | null;
}

const align4 = (n: number): number => (n + 3) & ~3;

function layout(headerBytes: number, samples: number, frames: number, bins: number) {
  const samplesAt = align4(PREFIX + headerBytes);
  const featuresAt = align4(samplesAt + samples);
  return { samplesAt, featuresAt, size: featuresAt + frames * bins * 4 };
}

/** Writes one cache file atomically (beside, fsync, rename): a crash never leaves half of one. */
export async function writeCacheFile(file: string, header: CacheHeader, samples: Uint8Array, features: FrameFeatures | null): Promise<void> {
  const frames = features?.frames ?? 0;
  const bins = features?.bins ?? 0;
  const full: CacheHeader = { ...header, samples: samples.length, frames, bins };
  const json = Buffer.from(JSON.stringify(full), 'utf8');
  const { samplesAt, featuresAt, size } = layout(json.length, samples.length, frames, bins);
  const out = Buffer.alloc(size);
  out.write(MAGIC, 0, 'ascii');
  out.writeUInt32LE(CACHE_VERSION, 4);
  out.writeUInt32LE(json.length, 8);
  json.copy(out, PREFIX);
  out.set(samples, samplesAt);
  if (features) {
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    for (let i = 0; i < features.data.length; i++) view.setFloat32(featuresAt + 4 * i, features.data[i]!, true);
  }
  await writeFileAtomic(file, out);
}

/** The header alone (a few hundred bytes read), or null when the file is missing, foreign or cut short. */
export async function readCacheHeader(file: string): Promise<CacheHeader | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return null;
  }
  try {
    const prefix = Buffer.alloc(PREFIX);
    const { bytesRead } = await handle.read(prefix, 0, PREFIX, 0);
    const length = parsePrefix(prefix.subarray(0, bytesRead));
    if (length === null) return null;
    const json = Buffer.alloc(length);
    if ((await handle.read(json, 0, length, PREFIX)).bytesRead !== length) return null;
    const header = parseHeader(json);
    if (!header) return null;
    const { size } = layout(length, header.samples, header.frames, header.bins);
    return (await handle.stat()).size === size ? header : null;
  } finally {
    await handle.close();
  }
}

/** The whole file; a damaged or missing one is a typed error that says to refresh the dataset. */
export async function readCacheFile(file: string): Promise<CachedAudio> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch {
    throw new StudioError('FILE_NOT_FOUND', `The cached features ${file} are missing: refresh the dataset to import the file again.`);
  }
  const damaged = () => new StudioError('PROJECT_INVALID', `The cached features ${file} are damaged: refresh the dataset to import the file again.`);
  const length = parsePrefix(bytes);
  if (length === null || bytes.length < PREFIX + length) throw damaged();
  const header = parseHeader(bytes.subarray(PREFIX, PREFIX + length));
  if (!header) throw damaged();
  const { samplesAt, featuresAt, size } = layout(length, header.samples, header.frames, header.bins);
  if (bytes.length !== size) throw damaged();
  // Copies: the read buffer is dropped at once, and Float32Array needs 4-byte alignment.
  const samples = new Uint8Array(bytes.subarray(samplesAt, samplesAt + header.samples));
  let features: FrameFeatures | null = null;
  if (header.frames > 0 && header.bins > 0) {
    const data = new Float32Array(header.frames * header.bins);
    new Uint8Array(data.buffer).set(bytes.subarray(featuresAt, size));
    features = { frames: header.frames, bins: header.bins, data };
  }
  return { header, samples, features };
}

function parsePrefix(bytes: Uint8Array): number | null {
  if (bytes.length < PREFIX) return null;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.toString('ascii', 0, 4) !== MAGIC || b.readUInt32LE(4) !== CACHE_VERSION) return null;
  const length = b.readUInt32LE(8);
  return length > 0 && length <= MAX_HEADER ? length : null;
}

function parseHeader(json: Uint8Array): CacheHeader | null {
  try {
    const h = JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8')) as CacheHeader;
    const whole = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;
    if (typeof h.key !== 'string' || !whole(h.samples) || !whole(h.frames) || !whole(h.bins) || !h.stats) return null;
    return h;
  } catch {
    return null;
  }
}
