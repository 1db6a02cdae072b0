import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../errors';
import { decodeCodec, type Codec } from './codec-decode';
import type { DecodedAudio } from './types';
import { ascii, decodeWav } from './wav-decode';

export type { DecodedAudio } from './types';

const MIN_RATE = 1000;
const MAX_RATE = 768000;

/** Reads and decodes an audio file (WAV, FLAC, Ogg Vorbis, MP3), whatever its extension says. */
export async function decodeAudioFile(file: string): Promise<DecodedAudio> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new StudioError('FILE_NOT_FOUND', `${file} does not exist; check the path.`);
    if (code === 'EISDIR') throw new StudioError('AUDIO_UNSUPPORTED', `${file} is a folder, not an audio file.`);
    throw new StudioError('FILE_NOT_FOUND', `${file} could not be read (${code ?? 'I/O error'}); check its permissions.`);
  }
  return decodeAudio(bytes, path.basename(file));
}

/**
 * Decodes audio bytes; the container is sniffed from the first bytes, not the file name. Audio that
 * is usable but not whole (a cut-off copy, a damaged FLAC frame) comes back with `warnings`.
 */
export async function decodeAudio(bytes: Uint8Array, name: string): Promise<DecodedAudio> {
  if (bytes.length === 0) throw new StudioError('AUDIO_EMPTY', `${name} is empty (0 bytes); remove it or export it again.`);
  const kind = sniff(bytes);
  if (kind === 'opus') throw new StudioError('AUDIO_UNSUPPORTED', `${name} is Ogg Opus, which is not supported; convert it to FLAC, WAV or Ogg Vorbis.`);
  if (!kind) throw new StudioError('AUDIO_UNSUPPORTED', `${name} is not a WAV, FLAC, Ogg Vorbis or MP3 file; convert it to one of those.`);
  const audio = kind === 'wav' ? decodeWav(bytes, name) : await decodeCodec(kind, bytes, name);
  return checked(audio, name);
}

function sniff(bytes: Uint8Array): 'wav' | Codec | 'opus' | null {
  const head = ascii(bytes, 0, 4);
  if (head === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE') return 'wav';
  if (head === 'fLaC') return 'flac';
  if (head === 'OggS') {
    const firstPage = ascii(bytes, 0, Math.min(bytes.length, 128));
    if (firstPage.includes('OpusHead')) return 'opus';
    if (firstPage.includes('fLaC')) return null; // Ogg FLAC: rare enough to ask for plain FLAC
    return 'vorbis';
  }
  if (ascii(bytes, 0, 3) === 'ID3') return 'mp3';
  if (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0) return 'mp3'; // MPEG frame sync
  return null;
}

function checked(audio: DecodedAudio, name: string): DecodedAudio {
  const { sampleRate, channels } = audio;
  if (!Number.isFinite(sampleRate) || sampleRate < MIN_RATE || sampleRate > MAX_RATE) {
    throw new StudioError('AUDIO_BAD_SAMPLE_RATE', `${name} says its sample rate is ${sampleRate} Hz, outside ${MIN_RATE}–${MAX_RATE} Hz; re-export it at a standard rate.`);
  }
  if (channels.length === 0 || channels[0]!.length === 0) throw new StudioError('AUDIO_EMPTY', `${name} holds no samples; remove it or export it again.`);
  for (const channel of channels) {
    for (let i = 0; i < channel.length; i++) {
      if (!Number.isFinite(channel[i]!)) {
        throw new StudioError('AUDIO_NON_FINITE', `${name} has a NaN or infinite sample at ${(i / sampleRate).toFixed(3)} s; re-export it from the source.`);
      }
    }
  }
  return audio;
}
