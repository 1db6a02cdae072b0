import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Test fixtures: real 16-bit PCM WAV files on disk, and the corpus (tests/fixtures/corpus). */
export { corpus } from '../../../helpers/paths';

export async function tempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `wns-${prefix}-`));
}

/** A mono 16-bit PCM WAV (the canonical 44-byte header). */
export function wavBytes(samples: Float32Array, sampleRate: number): Uint8Array {
  const buf = Buffer.alloc(44 + samples.length * 2);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + samples.length * 2, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.max(-1, Math.min(1, samples[i]!));
    buf.writeInt16LE(Math.round(v * 32767), 44 + i * 2);
  }
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export async function writeWav(file: string, samples: Float32Array, sampleRate: number): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, wavBytes(samples, sampleRate));
}

/** Reads a mono 16-bit PCM WAV by walking its chunks (the corpus files are this format). */
export async function readWav16(file: string): Promise<{ sampleRate: number; samples: Float32Array }> {
  const buf = await fs.readFile(file);
  let pos = 12;
  let sampleRate = 0;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('ascii', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    if (id === 'fmt ') {
      if (buf.readUInt16LE(pos + 8) !== 1 || buf.readUInt16LE(pos + 10) !== 1 || buf.readUInt16LE(pos + 22) !== 16) {
        throw new Error(`${file}: the test reader handles mono 16-bit PCM only`);
      }
      sampleRate = buf.readUInt32LE(pos + 12);
    } else if (id === 'data') {
      const n = Math.floor(size / 2);
      const samples = new Float32Array(n);
      for (let i = 0; i < n; i++) samples[i] = buf.readInt16LE(pos + 8 + i * 2) / 32768;
      return { sampleRate, samples };
    }
    pos += 8 + size + (size & 1);
  }
  throw new Error(`${file}: no data chunk`);
}

/** A sine tone with a short fade, so the file is not silence. */
export function tone(seconds: number, sampleRate: number, hz = 220, amplitude = 0.5): Float32Array {
  const n = Math.round(seconds * sampleRate);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate);
  return out;
}
