import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { MPEGDecoder } from 'mpg123-decoder';
import { StudioError } from '../errors';
import { decodeFlac } from './flac-decode';
import type { DecodedAudio } from './types';

export type Codec = 'flac' | 'vorbis' | 'mp3';

interface CodecOutput {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: { message: string }[];
}

const LABEL: Record<Codec, string> = { flac: 'FLAC', vorbis: 'Ogg Vorbis', mp3: 'MP3' };

/**
 * Decodes FLAC (our own decoder, checked against the stream's MD5: see flac-decode.ts), or Ogg
 * Vorbis and MP3 with the WebAssembly builds of libvorbis and mpg123. A fresh decoder per file:
 * they hold stream state, and files decode concurrently.
 */
export async function decodeCodec(codec: Codec, bytes: Uint8Array, name: string): Promise<DecodedAudio> {
  if (codec === 'flac') return decodeFlac(bytes, name);
  let out: CodecOutput;
  try {
    out = await runDecoder(codec, bytes);
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new StudioError('AUDIO_CORRUPT', `${name}: the ${LABEL[codec]} data could not be decoded (${why}); re-export the file.`);
  }
  if (out.samplesDecoded === 0 || out.channelData.length === 0) {
    const why = out.errors[0]?.message;
    // A header with no decodable audio after it: cut off, or not really this format.
    throw new StudioError('AUDIO_CORRUPT', `${name}: no ${LABEL[codec]} audio could be decoded${why ? ` (${why})` : ''}; check the file plays, or re-export it.`);
  }
  // Decoders may hand back views on one reused buffer; copy what we keep.
  return { sampleRate: out.sampleRate, channels: out.channelData.map((c) => c.slice(0, out.samplesDecoded)) };
}

async function runDecoder(codec: Exclude<Codec, 'flac'>, bytes: Uint8Array): Promise<CodecOutput> {
  if (codec === 'mp3') {
    const decoder = new MPEGDecoder();
    await decoder.ready;
    try {
      return decoder.decode(bytes);
    } finally {
      decoder.free();
    }
  }
  const decoder = new OggVorbisDecoder();
  await decoder.ready;
  try {
    return await decoder.decodeFile(bytes);
  } finally {
    decoder.free();
  }
}
