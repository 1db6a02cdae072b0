import { createRequire } from 'node:module';
import type { Encoder as FlacEncoder } from 'libflacjs/lib/encoder';
import type { exportFlacData as ExportFlacData } from 'libflacjs/lib/utils/flac-utils';

// Not `require`: the Electron build declares its own at the top of each chunk.
const requireCjs = createRequire(import.meta.url);

interface LibFlac {
  Encoder: typeof FlacEncoder;
  exportFlacData: typeof ExportFlacData;
  flac: ConstructorParameters<typeof FlacEncoder>[0];
}
let loaded: Promise<LibFlac> | null = null;

/**
 * libFLAC, loaded on first use. The asm.js build: the .wasm one locates its binary with fetch(),
 * which fails on a file path in node and Electron.
 */
function libflac(): Promise<LibFlac> {
  loaded ??= (async () => {
    const factory = requireCjs('libflacjs') as (variant?: string) => LibFlac['flac'];
    const flac = factory('release');
    if (!flac.isReady()) await new Promise<void>((resolve) => flac.on('ready', () => resolve()));
    return {
      flac,
      Encoder: (requireCjs('libflacjs/lib/encoder') as { Encoder: typeof FlacEncoder }).Encoder,
      exportFlacData: (requireCjs('libflacjs/lib/utils/flac-utils') as { exportFlacData: typeof ExportFlacData }).exportFlacData,
    };
  })();
  return loaded;
}

/** A mono FLAC file (compression level 5, the flac tool's default) from integer PCM samples. */
export async function encodeFlac(pcm: Int32Array<ArrayBuffer>, sampleRate: number, bitsPerSample: 16 | 24): Promise<Uint8Array> {
  const { flac, Encoder, exportFlacData } = await libflac();
  const encoder = new Encoder(flac, { sampleRate, channels: 1, bitsPerSample, compression: 5, verify: false });
  try {
    if (!encoder.encode([pcm]) || !encoder.encode()) throw new Error('libFLAC refused the samples');
    const metadata = encoder.metadata;
    if (!metadata) throw new Error('libFLAC returned no stream metadata');
    return await exportFlacData([encoder.getSamples()], metadata, false);
  } finally {
    encoder.destroy();
  }
}
