import { createHash } from 'node:crypto';
import { StudioError } from '../errors';
import type { DecodedAudio } from './types';
import { formatSeconds, shortfall } from './warnings';

/**
 * A FLAC decoder (RFC 9639) in TypeScript: every bit depth from 4 to 32, 1–8 channels, fixed and
 * variable block sizes (old Flake files too), escaped rice partitions of any width including zero,
 * wasted bits, and 64-bit-safe prediction (samples are doubles, exact to 2^53).
 *
 * Not libFLAC: the libFLAC in libflacjs is 1.3.4, which stops at the first rice partition escaped
 * to zero bits (the IETF testbench's file 64 decodes to nothing), and libflacjs's write callback
 * hands back bytes "repaired" by a heuristic, wrong for 12 and 20 bits and padded for 8.
 *
 * Damage is handled like libFLAC: a frame whose checksum fails becomes silence, a frame that cannot
 * be parsed is skipped up to the next frame sync. The decoded samples are checked against the
 * stream's MD5 and sample count; any difference is a warning on the result, never silent.
 */
export function decodeFlac(bytes: Uint8Array, name: string): DecodedAudio {
  const { info, audioStart } = readStreamInfo(bytes, name);
  if (audioStart >= bytes.length) {
    if (info.totalSamples === 0) throw new StudioError('AUDIO_EMPTY', `${name} holds no samples; remove it or export it again.`);
    throw new StudioError('AUDIO_TRUNCATED', `${name}: the FLAC file ends before its first audio frame; the copy is cut off, copy or export it again.`);
  }
  const { channels, bitsPerSample, sampleRate } = info;
  const out = new Output(channels, info.totalSamples, bytes.length);
  const md5 = info.md5.some((b) => b !== 0) ? new Md5Writer(channels, bitsPerSample) : null;
  const reader = new BitReader(bytes);
  const work = Array.from({ length: channels }, () => new Float64Array(info.maxBlockSize || 4096));
  const scale = 2 ** (1 - bitsPerSample);
  const emit = (n: number) => {
    out.append(work, n, scale);
    md5?.update(work, n);
  };

  let pos = audioStart;
  /** Where the next frame should start: the end of the last good frame; -1 after a damaged one. */
  let expectedAt = audioStart;
  /** Good frames found only after skipping bytes that should have been a frame. */
  let gaps = 0;
  /** A frame ran into the end of the file and nothing decoded after it: the copy is cut off. */
  let cutOff = false;
  let firstFailure = '';
  let silenced = 0;
  let silencedSamples = 0;
  for (;;) {
    pos = findSync(bytes, pos);
    if (pos < 0) break;
    let frame: FrameResult;
    try {
      frame = decodeFrame(reader, pos, info, work);
    } catch (e) {
      if (!(e instanceof FrameError)) throw e;
      if (e.kind === 'eof') cutOff = true;
      firstFailure ||= e.message;
      pos++;
      continue;
    }
    if (!frame.crcOk) {
      // A frame whose header checks out (so its block size is right) right after a good frame:
      // silence of its length keeps the timing. Its end is not to be trusted, so the search for
      // the next frame starts inside it. A failing "frame" anywhere else is a false sync: skipped.
      if (pos === expectedAt) {
        for (const w of work) w.fill(0, 0, frame.blockSize);
        emit(frame.blockSize);
        silenced++;
        silencedSamples += frame.blockSize;
        expectedAt = -1;
      }
      firstFailure ||= 'a frame fails its checksum';
      pos++;
      continue;
    }
    if (expectedAt >= 0 && pos !== expectedAt) gaps++;
    cutOff = false;
    emit(frame.blockSize);
    pos = expectedAt = frame.end;
  }

  const decoded = out.length;
  if (decoded === 0) {
    if (info.totalSamples === 0 && !firstFailure) throw new StudioError('AUDIO_EMPTY', `${name} holds no samples; remove it or export it again.`);
    if (cutOff && gaps === 0) throw new StudioError('AUDIO_TRUNCATED', `${name}: the FLAC file ends inside its first audio frame; the copy is cut off, copy or export it again.`);
    throw new StudioError('AUDIO_CORRUPT', `${name}: no FLAC audio frame could be decoded (${firstFailure}); re-export the file.`);
  }

  const warnings: string[] = [];
  const total = info.totalSamples;
  const seconds = (n: number) => formatSeconds(n / sampleRate);
  // Frames lost next to a damaged one are not seen as gaps, but are missing all the same.
  const damaged = gaps > 0 || silenced > 0;
  if (total > 0 && decoded < total) {
    const missing = shortfall(total / sampleRate, decoded / sampleRate);
    if (!damaged) warnings.push(`${missing}: the copy is cut off`);
    else warnings.push(`${missing}: damaged parts of the file could not be decoded${cutOff ? ' and the copy is cut off' : ''}`);
  } else {
    if (total > 0 && decoded > total) {
      warnings.push(`header promises ${seconds(total)} but the file holds ${seconds(decoded)} (${seconds(decoded - total)} more): the header's length is wrong`);
    }
    if (gaps > 0) warnings.push(`${plural(gaps, 'damaged part', 'damaged parts')} of the file could not be decoded and ${gaps === 1 ? 'was' : 'were'} skipped`);
    if (cutOff && total === 0) warnings.push('the file ends inside a frame: the copy is cut off (the header gives no length, so how much is missing is unknown)');
    else if (cutOff) warnings.push('the file ends with an incomplete frame after all the samples its header promises');
  }
  if (silenced > 0) {
    warnings.push(`${plural(silenced, 'frame', 'frames')} (${seconds(silencedSamples)}) failed the frame checksum and ${silenced === 1 ? 'was' : 'were'} replaced by silence`);
  }
  if (md5 && (total === 0 || decoded === total) && !md5.matches(info.md5)) {
    warnings.push(`the decoded audio does not match the MD5 checksum in the file's header: the file is damaged`);
  }
  const audio: DecodedAudio = { sampleRate, channels: out.channels() };
  if (warnings.length > 0) audio.warnings = warnings;
  return audio;
}

export interface FlacStreamInfo {
  minBlockSize: number;
  maxBlockSize: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 0 when the encoder did not know it. */
  totalSamples: number;
  /** 16 bytes; all zero when the encoder did not compute it. */
  md5: Uint8Array;
}

/** The STREAMINFO block and where the first audio frame starts (after the last metadata block). */
export function readStreamInfo(bytes: Uint8Array, name: string): { info: FlacStreamInfo; audioStart: number } {
  // Not even a whole STREAMINFO: too little to tell a cut-off FLAC file from something else.
  if (bytes.length < 8 + 34) throw new StudioError('AUDIO_CORRUPT', `${name}: the FLAC header is cut short or damaged; re-export the file.`);
  if ((bytes[4]! & 0x7f) !== 0 || blockLength(bytes, 4) < 34) {
    throw new StudioError('AUDIO_CORRUPT', `${name}: the FLAC file does not start with its STREAMINFO block; re-export the file.`);
  }
  const s = 8;
  const b = (i: number) => bytes[s + i]!;
  const info: FlacStreamInfo = {
    minBlockSize: (b(0) << 8) | b(1),
    maxBlockSize: (b(2) << 8) | b(3),
    sampleRate: (b(10) << 12) | (b(11) << 4) | (b(12) >> 4),
    channels: ((b(12) >> 1) & 7) + 1,
    bitsPerSample: (((b(12) & 1) << 4) | (b(13) >> 4)) + 1,
    totalSamples: (b(13) & 15) * 2 ** 32 + ((b(14) << 24) >>> 0) + ((b(15) << 16) | (b(16) << 8) | b(17)),
    md5: bytes.slice(s + 18, s + 34),
  };
  if (info.sampleRate === 0) throw new StudioError('AUDIO_CORRUPT', `${name}: the FLAC header gives a sample rate of 0 Hz; re-export the file.`);
  if (info.bitsPerSample < 4) throw new StudioError('AUDIO_CORRUPT', `${name}: the FLAC header gives ${info.bitsPerSample} bits per sample (at least 4); re-export the file.`);
  let pos = 4;
  for (;;) {
    if (pos + 4 > bytes.length) throw new StudioError('AUDIO_TRUNCATED', `${name}: the FLAC metadata is cut short; the copy is cut off, copy or export it again.`);
    const last = (bytes[pos]! & 0x80) !== 0;
    if ((bytes[pos]! & 0x7f) === 127) throw new StudioError('AUDIO_CORRUPT', `${name}: the FLAC metadata is damaged (a block of an invalid type); re-export the file.`);
    pos += 4 + blockLength(bytes, pos);
    if (pos > bytes.length) throw new StudioError('AUDIO_TRUNCATED', `${name}: the FLAC metadata is cut short; the copy is cut off, copy or export it again.`);
    if (last) return { info, audioStart: pos };
  }
}

function blockLength(bytes: Uint8Array, at: number): number {
  return (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A frame that cannot be decoded: it runs past the end of the file, or its bits make no sense. */
class FrameError extends Error {
  constructor(readonly kind: 'eof' | 'bad', message: string) {
    super(message);
  }
}

interface FrameResult {
  blockSize: number;
  /** Byte offset just past the frame. */
  end: number;
  crcOk: boolean;
}

/** The next offset at or after `from` holding a frame sync code (14 ones, a zero, the blocking bit). */
function findSync(bytes: Uint8Array, from: number): number {
  for (let i = from; i + 1 < bytes.length; i++) {
    if (bytes[i] === 0xff && (bytes[i + 1]! & 0xfe) === 0xf8) return i;
  }
  return -1;
}

const SAMPLE_SIZES = [0, 8, 12, -1, 16, 20, 24, 32];

/** Decodes the frame at `start` into `work` (one array per channel, grown as needed). */
function decodeFrame(r: BitReader, start: number, info: FlacStreamInfo, work: Float64Array[]): FrameResult {
  r.pos = start * 8;
  r.read(15); // sync, checked by findSync
  r.read(1); // blocking strategy: frames are decoded in order, so the frame/sample number is not needed
  const sizeCode = r.read(4);
  const rateCode = r.read(4);
  const assignment = r.read(4);
  const sizeBitsCode = r.read(3);
  if (r.read(1) !== 0) throw new FrameError('bad', 'a frame header sets a reserved bit');
  // The frame or sample number, UTF-8 style coded, 1 to 7 bytes.
  const lead = r.read(8);
  let extra = 0;
  if (lead & 0x80) {
    if ((lead & 0xc0) === 0x80 || lead === 0xff) throw new FrameError('bad', 'a frame number is malformed');
    while (lead & (0x40 >> extra)) extra++;
  }
  for (let i = 0; i < extra; i++) if ((r.read(8) & 0xc0) !== 0x80) throw new FrameError('bad', 'a frame number is malformed');
  let blockSize: number;
  if (sizeCode === 0) throw new FrameError('bad', 'a frame uses a reserved block size code');
  else if (sizeCode === 1) blockSize = 192;
  else if (sizeCode <= 5) blockSize = 576 << (sizeCode - 2);
  else if (sizeCode === 6) blockSize = r.read(8) + 1;
  else if (sizeCode === 7) blockSize = r.read(16) + 1;
  else blockSize = 256 << (sizeCode - 8);
  if (rateCode === 12) r.read(8);
  else if (rateCode === 13 || rateCode === 14) r.read(16);
  else if (rateCode === 15) throw new FrameError('bad', 'a frame uses the invalid sample rate code');
  const headerEnd = r.pos >>> 3;
  if (crc8(r.bytes, start, headerEnd) !== r.read(8)) throw new FrameError('bad', 'a frame header fails its checksum');

  const channels = assignment < 8 ? assignment + 1 : assignment <= 10 ? 2 : 0;
  if (channels === 0) throw new FrameError('bad', 'a frame uses a reserved channel assignment');
  const bits = sizeBitsCode === 0 ? info.bitsPerSample : SAMPLE_SIZES[sizeBitsCode]!;
  // A frame that disagrees with STREAMINFO is damage, or a stream this decoder cannot splice.
  if (channels !== info.channels || bits !== info.bitsPerSample) {
    const frame = `${channels} channel${channels === 1 ? '' : 's'} of ${bits} bits`;
    throw new FrameError('bad', `a frame holds ${frame} but the header says ${info.channels} of ${info.bitsPerSample}`);
  }
  for (let c = 0; c < channels; c++) {
    if (work[c]!.length < blockSize) work[c] = new Float64Array(blockSize);
    const side = (assignment === 8 && c === 1) || (assignment === 9 && c === 0) || (assignment === 10 && c === 1);
    decodeSubframe(r, work[c]!, blockSize, bits + (side ? 1 : 0));
  }
  r.pos = (r.pos + 7) & ~7; // zero padding to a byte
  const bodyEnd = r.pos >>> 3;
  const crcOk = crc16(r.bytes, start, bodyEnd) === r.read(16);
  decorrelate(work, assignment, blockSize);
  return { blockSize, end: r.pos >>> 3, crcOk };
}

function decorrelate(work: Float64Array[], assignment: number, n: number): void {
  if (assignment < 8) return;
  const a = work[0]!;
  const b = work[1]!;
  if (assignment === 8) {
    for (let i = 0; i < n; i++) b[i] = a[i]! - b[i]!; // left, side → right = left − side
  } else if (assignment === 9) {
    for (let i = 0; i < n; i++) a[i] = a[i]! + b[i]!; // side, right → left = side + right
  } else {
    for (let i = 0; i < n; i++) {
      const side = b[i]!;
      const mid = a[i]! * 2 + (side - 2 * Math.floor(side / 2)); // mid's lost low bit is side's parity
      a[i] = (mid + side) / 2; // both sums are even: exact
      b[i] = (mid - side) / 2;
    }
  }
}

function decodeSubframe(r: BitReader, out: Float64Array, n: number, bits: number): void {
  if (r.read(1) !== 0) throw new FrameError('bad', 'a subframe header is malformed');
  const type = r.read(6);
  let wasted = 0;
  if (r.read(1)) {
    wasted = 1;
    while (r.read(1) === 0) wasted++;
    if (wasted >= bits) throw new FrameError('bad', 'a subframe has more wasted bits than bits');
  }
  const width = bits - wasted;
  if (type === 0) {
    out.fill(r.signed(width), 0, n);
  } else if (type === 1) {
    for (let i = 0; i < n; i++) out[i] = r.signed(width);
  } else if (type >= 8 && type <= 12) {
    const order = type - 8;
    if (order > n) throw new FrameError('bad', 'a predictor order exceeds the block size');
    for (let i = 0; i < order; i++) out[i] = r.signed(width);
    readResidual(r, out, n, order);
    restoreFixed(out, n, order);
  } else if (type >= 32) {
    const order = type - 31;
    if (order > n) throw new FrameError('bad', 'a predictor order exceeds the block size');
    for (let i = 0; i < order; i++) out[i] = r.signed(width);
    const precision = r.read(4) + 1;
    if (precision === 16) throw new FrameError('bad', 'a predictor uses the invalid coefficient precision');
    const shift = r.signed(5);
    if (shift < 0) throw new FrameError('bad', 'a predictor has a negative shift');
    const coefs = new Float64Array(order);
    for (let i = 0; i < order; i++) coefs[i] = r.signed(precision);
    readResidual(r, out, n, order);
    restoreLpc(out, n, coefs, 2 ** shift);
  } else {
    throw new FrameError('bad', 'a subframe uses a reserved type');
  }
  if (wasted) {
    const scale = 2 ** wasted;
    for (let i = 0; i < n; i++) out[i]! *= scale;
  }
}

function restoreFixed(x: Float64Array, n: number, order: number): void {
  switch (order) {
    case 1: for (let i = 1; i < n; i++) x[i]! += x[i - 1]!; break;
    case 2: for (let i = 2; i < n; i++) x[i]! += 2 * x[i - 1]! - x[i - 2]!; break;
    case 3: for (let i = 3; i < n; i++) x[i]! += 3 * (x[i - 1]! - x[i - 2]!) + x[i - 3]!; break;
    case 4: for (let i = 4; i < n; i++) x[i]! += 4 * (x[i - 1]! + x[i - 3]!) - 6 * x[i - 2]! - x[i - 4]!; break;
    default: break;
  }
}

/**
 * Linear prediction in doubles: a 33-bit side sample times a 15-bit coefficient, summed 32 times,
 * stays below 2^52, so the sum and its floor division (the arithmetic right shift) are exact.
 */
function restoreLpc(x: Float64Array, n: number, coefs: Float64Array, divisor: number): void {
  const order = coefs.length;
  for (let i = order; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < order; j++) sum += coefs[j]! * x[i - 1 - j]!;
    x[i]! += Math.floor(sum / divisor);
  }
}

function readResidual(r: BitReader, out: Float64Array, n: number, predictorOrder: number): void {
  const method = r.read(2);
  if (method > 1) throw new FrameError('bad', 'a residual uses a reserved coding method');
  const paramBits = method === 0 ? 4 : 5;
  const escape = method === 0 ? 15 : 31;
  const partitionOrder = r.read(4);
  const partitions = 1 << partitionOrder;
  const perPartition = n >>> partitionOrder;
  if (perPartition * partitions !== n || perPartition < predictorOrder) throw new FrameError('bad', 'a residual partition order does not fit the block');
  let at = predictorOrder;
  for (let p = 0; p < partitions; p++) {
    const count = p === 0 ? perPartition - predictorOrder : perPartition;
    const k = r.read(paramBits);
    if (k === escape) {
      const width = r.read(5); // 0 means every residual of the partition is zero
      for (let i = 0; i < count; i++) out[at + i] = r.signed(width);
    } else {
      r.rice(out, at, count, k);
    }
    at += count;
  }
}

/** Big-endian bit reading over the whole file; reading past its end is a FrameError('eof'). */
class BitReader {
  pos = 0;
  private readonly endBit: number;
  constructor(readonly bytes: Uint8Array) {
    this.endBit = bytes.length * 8;
  }

  /** An unsigned value of n bits, n up to 48. */
  read(n: number): number {
    if (n === 0) return 0;
    const p = this.pos;
    if (p + n > this.endBit) throw new FrameError('eof', 'the file ends inside a frame');
    const bytes = this.bytes;
    let at = p >>> 3;
    let have = 8 - (p & 7);
    let v = bytes[at++]! & (0xff >>> (p & 7));
    while (have < n) {
      v = v * 256 + bytes[at++]!;
      have += 8;
    }
    this.pos = p + n;
    return have === n ? v : Math.floor(v / 2 ** (have - n));
  }

  /** A two's-complement value of n bits. */
  signed(n: number): number {
    if (n === 0) return 0;
    const v = this.read(n);
    return v >= 2 ** (n - 1) ? v - 2 ** n : v;
  }

  /** `count` rice-coded residuals with parameter k (0–30) into out[at...]. */
  rice(out: Float64Array, at: number, count: number, k: number): void {
    const bytes = this.bytes;
    const endBit = this.endBit;
    const scale = 2 ** k;
    let pos = this.pos;
    for (let i = 0; i < count; i++) {
      let q = 0;
      let w = peek32(bytes, pos);
      while (w === 0) {
        q += 32;
        pos += 32;
        if (pos >= endBit) throw new FrameError('eof', 'the file ends inside a frame');
        w = peek32(bytes, pos);
      }
      const z = Math.clz32(w);
      q += z;
      pos += z + 1;
      let low = 0;
      if (k > 0) {
        low = peek32(bytes, pos) >>> (32 - k);
        pos += k;
      }
      const v = q * scale + low;
      const odd = k > 0 ? low & 1 : q % 2;
      out[at + i] = odd ? -(v + 1) / 2 : v / 2;
    }
    if (pos > endBit) throw new FrameError('eof', 'the file ends inside a frame');
    this.pos = pos;
  }
}

/** The 32 bits starting at bit `pos` (zeros past the end of the data). */
function peek32(bytes: Uint8Array, pos: number): number {
  const b = pos >>> 3;
  const off = pos & 7;
  if (b + 4 < bytes.length) {
    const w = (bytes[b]! << 24) | (bytes[b + 1]! << 16) | (bytes[b + 2]! << 8) | bytes[b + 3]!;
    return off === 0 ? w : (w << off) | (bytes[b + 4]! >>> (8 - off));
  }
  const at = (i: number) => (b + i < bytes.length ? bytes[b + i]! : 0);
  const w = (at(0) << 24) | (at(1) << 16) | (at(2) << 8) | at(3);
  return off === 0 ? w : (w << off) | (at(4) >>> (8 - off));
}

const CRC8 = new Uint8Array(256);
const CRC16 = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c8 = i;
  let c16 = i << 8;
  for (let j = 0; j < 8; j++) {
    c8 = c8 & 0x80 ? ((c8 << 1) ^ 0x07) & 0xff : (c8 << 1) & 0xff;
    c16 = c16 & 0x8000 ? ((c16 << 1) ^ 0x8005) & 0xffff : (c16 << 1) & 0xffff;
  }
  CRC8[i] = c8;
  CRC16[i] = c16;
}

function crc8(bytes: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) crc = CRC8[crc ^ bytes[i]!]!;
  return crc;
}

function crc16(bytes: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) crc = ((crc << 8) & 0xffff) ^ CRC16[(crc >>> 8) ^ bytes[i]!]!;
  return crc;
}

/** Per-channel Float32 output that grows as frames arrive (STREAMINFO's total is only a hint). */
class Output {
  length = 0;
  private data: Float32Array[];
  constructor(channels: number, expected: number, fileBytes: number) {
    // A damaged header may promise billions of samples: trust it only as far as the file could hold.
    const capacity = Math.max(1, expected > 0 ? Math.min(expected, Math.max(1 << 16, fileBytes * 16)) : 1 << 16);
    this.data = Array.from({ length: channels }, () => new Float32Array(capacity));
  }

  append(work: Float64Array[], n: number, scale: number): void {
    if (this.length + n > this.data[0]!.length) {
      const capacity = Math.max(this.length + n, this.data[0]!.length * 2);
      this.data = this.data.map((d) => {
        const grown = new Float32Array(capacity);
        grown.set(d.subarray(0, this.length));
        return grown;
      });
    }
    for (let c = 0; c < this.data.length; c++) {
      const dst = this.data[c]!;
      const src = work[c]!;
      for (let i = 0, o = this.length; i < n; i++, o++) dst[o] = src[i]! * scale;
    }
    this.length += n;
  }

  channels(): Float32Array[] {
    return this.data.map((d) => (d.length === this.length ? d : d.slice(0, this.length)));
  }
}

/** The MD5 that FLAC defines: samples interleaved, little-endian signed, ceil(bits / 8) bytes each. */
class Md5Writer {
  private readonly hash = createHash('md5');
  private readonly width: number;
  private scratch = new ArrayBuffer(0);
  constructor(private readonly channelCount: number, bits: number) {
    this.width = Math.ceil(bits / 8);
  }

  update(work: Float64Array[], n: number): void {
    const channels = this.channelCount;
    const width = this.width;
    const size = n * channels * width;
    if (this.scratch.byteLength < size) this.scratch = new ArrayBuffer(size);
    // Typed-array stores wrap to the width, as two's complement does; the views are little-endian
    // on every platform node runs on, and 3-byte samples are written byte by byte.
    if (width === 3 || !LITTLE_ENDIAN) {
      const buf = new Uint8Array(this.scratch);
      for (let c = 0; c < channels; c++) {
        const src = work[c]!;
        for (let i = 0, o = c * width; i < n; i++, o += channels * width) {
          const v = src[i]!;
          for (let b = 0; b < width; b++) buf[o + b] = (v >> (8 * b)) & 0xff;
        }
      }
    } else {
      const view = width === 1 ? new Int8Array(this.scratch) : width === 2 ? new Int16Array(this.scratch) : new Int32Array(this.scratch);
      for (let c = 0; c < channels; c++) {
        const src = work[c]!;
        for (let i = 0, o = c; i < n; i++, o += channels) view[o] = src[i]!;
      }
    }
    this.hash.update(new Uint8Array(this.scratch, 0, size));
  }

  matches(expected: Uint8Array): boolean {
    const got = this.hash.digest();
    return got.length === expected.length && got.every((b, i) => b === expected[i]);
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
