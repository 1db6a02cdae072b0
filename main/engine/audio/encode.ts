import * as path from 'node:path';
import { StudioError } from '../errors';
import { writeFileAtomic } from '../util/atomic';
import { encodeFlac } from './flac-encode';
import { AudioFormatSchema, type AudioFormat } from '../../contract/domain/render';

export type { AudioFormat };
export const AUDIO_FORMATS: readonly AudioFormat[] = AudioFormatSchema.options;

/** The format a file name implies when none is given: 16-bit, the widest-read choice. */
export function formatForPath(file: string): AudioFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.wav') return 'wav16';
  if (ext === '.flac') return 'flac16';
  throw new StudioError('BAD_OPTION', `Cannot write "${path.basename(file)}": the name must end in .wav or .flac.`);
}

/**
 * Writes mono audio atomically (a crash leaves the old file or the new, never half). Samples are
 * clipped to [-1, 1] and rounded: no dither, so the same samples always give the same file.
 */
export async function writeAudioFile(file: string, samples: Float32Array, sampleRate: number, format: AudioFormat = formatForPath(file)): Promise<void> {
  const ext = path.extname(file).toLowerCase();
  if ((format.startsWith('wav') && ext !== '.wav') || (format.startsWith('flac') && ext !== '.flac')) {
    throw new StudioError('BAD_OPTION', `Format ${format} needs a .${format.startsWith('wav') ? 'wav' : 'flac'} file name, got "${path.basename(file)}".`);
  }
  await writeFileAtomic(file, await encodeAudio(samples, sampleRate, format));
}

export async function encodeAudio(samples: Float32Array, sampleRate: number, format: AudioFormat): Promise<Uint8Array> {
  switch (format) {
    case 'wav16': return wavBytes(toPcm(samples, 16), sampleRate, 16);
    case 'wav24': return wavBytes(toPcm(samples, 24), sampleRate, 24);
    case 'wav32f': return wavFloatBytes(samples, sampleRate);
    case 'flac16': return encodeFlac(toPcm(samples, 16), sampleRate, 16);
    case 'flac24': return encodeFlac(toPcm(samples, 24), sampleRate, 24);
  }
}

/** Float samples → signed integers at the given depth (full scale 2^(bits-1), clipped). */
function toPcm(samples: Float32Array, bits: 16 | 24): Int32Array<ArrayBuffer> {
  const scale = 2 ** (bits - 1);
  const out = new Int32Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.round(samples[i]! * scale);
    out[i] = Math.max(-scale, Math.min(scale - 1, Number.isFinite(v) ? v : 0));
  }
  return out;
}

function header(dataBytes: number, sampleRate: number, bits: number, formatTag: number): Buffer {
  const h = Buffer.alloc(44);
  const block = bits / 8;
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(formatTag, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * block, 28);
  h.writeUInt16LE(block, 32);
  h.writeUInt16LE(bits, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

function wavBytes(pcm: Int32Array, sampleRate: number, bits: 16 | 24): Uint8Array {
  const width = bits / 8;
  const data = Buffer.alloc(pcm.length * width);
  for (let i = 0; i < pcm.length; i++) data.writeIntLE(pcm[i]!, i * width, width);
  return Buffer.concat([header(data.length, sampleRate, bits, 1), data]);
}

function wavFloatBytes(samples: Float32Array, sampleRate: number): Uint8Array {
  const data = Buffer.alloc(samples.length * 4);
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    data.writeFloatLE(Number.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0, i * 4);
  }
  return Buffer.concat([header(data.length, sampleRate, 32, 3), data]);
}
