import { StudioError } from '../errors';
import { shortfall } from './warnings';
import type { DecodedAudio } from './types';

// WAVE format tags we read; everything else (ADPCM, G.711, MPEG-in-WAV) is refused with advice.
const PCM = 1;
const IEEE_FLOAT = 3;
const EXTENSIBLE = 0xfffe;

interface WavFormat {
  tag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bits: number;
}

/**
 * Reads a RIFF/WAVE file: 8-bit unsigned, 16/24/32-bit signed PCM, 32/64-bit float, plain or
 * WAVE_FORMAT_EXTENSIBLE. A data chunk cut short (a copy cut off, a recording that crashed) keeps
 * its whole frames, with a warning saying how much of what the header promises is missing.
 */
export function decodeWav(bytes: Uint8Array, name: string): DecodedAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) throw new StudioError('AUDIO_TRUNCATED', `${name}: the WAV header is cut short; re-export the file.`);
  let format: WavFormat | null = null;
  let pos = 12;
  while (pos + 8 <= bytes.length) {
    const id = ascii(bytes, pos, 4);
    const size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw new StudioError('AUDIO_TRUNCATED', `${name}: the WAV format chunk is cut short; re-export the file.`);
      format = readFormat(view, body, size, name);
    } else if (id === 'data') {
      if (!format) throw new StudioError('AUDIO_CORRUPT', `${name}: the WAV data comes before its format chunk; re-export the file.`);
      // 0 and 0xFFFFFFFF are what streaming writers leave when they never patch the size.
      const declared = size === 0 || size === 0xffffffff ? bytes.length - body : size;
      const available = Math.min(declared, bytes.length - body);
      const frames = Math.floor(available / format.blockAlign);
      if (declared > 0 && frames === 0) throw new StudioError('AUDIO_TRUNCATED', `${name}: the WAV file ends before its first sample; re-export the file.`);
      const audio: DecodedAudio = { sampleRate: format.sampleRate, channels: readSamples(view, body, frames, format) };
      if (declared > available) audio.warnings = [cutOffWarning(declared, frames, format)];
      return audio;
    }
    pos = body + size + (size & 1);
  }
  throw new StudioError(format ? 'AUDIO_CORRUPT' : 'AUDIO_TRUNCATED', `${name}: the WAV file has no ${format ? 'data' : 'format'} chunk; re-export the file.`);
}

function cutOffWarning(declaredBytes: number, frames: number, f: WavFormat): string {
  return `${shortfall(declaredBytes / f.blockAlign / f.sampleRate, frames / f.sampleRate)}: the copy is cut off`;
}

function readFormat(view: DataView, at: number, size: number, name: string): WavFormat {
  let tag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bits = view.getUint16(at + 14, true);
  if (tag === EXTENSIBLE && size >= 40) tag = view.getUint16(at + 24, true); // the sub-format GUID's first 2 bytes
  if (tag !== PCM && tag !== IEEE_FLOAT) {
    throw new StudioError('AUDIO_UNSUPPORTED', `${name}: WAV encoding ${tag} is not supported (only PCM and float); convert it to PCM WAV or FLAC.`);
  }
  const pcmOk = tag === PCM && [8, 16, 24, 32].includes(bits);
  const floatOk = tag === IEEE_FLOAT && (bits === 32 || bits === 64);
  if (!pcmOk && !floatOk) throw new StudioError('AUDIO_UNSUPPORTED', `${name}: ${bits}-bit ${tag === PCM ? 'PCM' : 'float'} WAV is not supported; convert it to 16- or 24-bit PCM.`);
  if (channels < 1 || blockAlign < channels * (bits / 8)) throw new StudioError('AUDIO_CORRUPT', `${name}: the WAV format chunk is inconsistent (${channels} channels, block ${blockAlign}); re-export the file.`);
  return { tag, channels, sampleRate, blockAlign, bits };
}

function readSamples(view: DataView, start: number, frames: number, f: WavFormat): Float32Array[] {
  const channels = Array.from({ length: f.channels }, () => new Float32Array(frames));
  const width = f.bits / 8;
  const read = sampleReader(view, f);
  for (let i = 0; i < frames; i++) {
    const frame = start + i * f.blockAlign;
    for (let c = 0; c < f.channels; c++) channels[c]![i] = read(frame + c * width);
  }
  return channels;
}

/** One sample at a byte offset, scaled to [-1, 1). */
function sampleReader(view: DataView, f: WavFormat): (at: number) => number {
  if (f.tag === IEEE_FLOAT) return f.bits === 32 ? (at) => view.getFloat32(at, true) : (at) => view.getFloat64(at, true);
  switch (f.bits) {
    case 8: return (at) => (view.getUint8(at) - 128) / 128;
    case 16: return (at) => view.getInt16(at, true) / 32768;
    case 24: return (at) => ((view.getInt8(at + 2) << 16) | (view.getUint8(at + 1) << 8) | view.getUint8(at)) / 8388608;
    default: return (at) => view.getInt32(at, true) / 2147483648;
  }
}

export function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}
