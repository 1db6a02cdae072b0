import { promises as fs } from 'node:fs';
import type { TrainingSample } from '../../contract/domain/train';
import { runPaths, samplePath } from './paths';

export { samplePath };

/** samples/source.wav: the clip whose conditioning the training samples follow. */
export function sourceSamplePath(runDir: string): string {
  return runPaths(runDir).sourceSample;
}

/**
 * A WAV file's length in seconds from its header (fmt and data chunks), without reading the
 * audio; null when it is not a readable WAV. A data size left unpatched (0 or 0xFFFFFFFF by a
 * writer that stopped) counts the bytes that are there.
 */
export async function wavSeconds(file: string): Promise<number | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return null;
  }
  try {
    const size = (await handle.stat()).size;
    const head = Buffer.alloc(12);
    if ((await handle.read(head, 0, 12, 0)).bytesRead < 12) return null;
    if (head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE') return null;
    let pos = 12;
    let rate = 0;
    let blockAlign = 0;
    const chunk = Buffer.alloc(24);
    while (pos + 8 <= size) {
      const { bytesRead } = await handle.read(chunk, 0, 24, pos);
      if (bytesRead < 8) return null;
      const id = chunk.toString('latin1', 0, 4);
      const bytes = chunk.readUInt32LE(4);
      if (id === 'fmt ') {
        if (bytesRead < 8 + 16) return null;
        rate = chunk.readUInt32LE(8 + 4);
        blockAlign = chunk.readUInt16LE(8 + 12);
      } else if (id === 'data') {
        if (!rate || !blockAlign) return null;
        const available = size - pos - 8;
        const data = bytes === 0 || bytes === 0xffffffff ? available : Math.min(bytes, available);
        return Math.floor(data / blockAlign) / rate;
      }
      pos += 8 + bytes + (bytes & 1);
    }
    return null;
  } finally {
    await handle.close();
  }
}

/** The training samples (samples/<step>.wav), by step; files that are not readable WAVs are left out. */
export async function listSamples(runDir: string): Promise<TrainingSample[]> {
  let names: string[];
  try {
    names = await fs.readdir(runPaths(runDir).samples);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const steps = names.map((n) => /^(\d+)\.wav$/.exec(n)?.[1]).filter((s): s is string => s !== undefined).map(Number).sort((a, b) => a - b);
  const out: TrainingSample[] = [];
  for (const step of steps) {
    const file = samplePath(runDir, step);
    const seconds = await wavSeconds(file);
    if (seconds !== null) out.push({ step, path: file, seconds });
  }
  return out;
}

/** samples/source.wav with its length, or null when the run has none. */
export async function sourceSample(runDir: string): Promise<{ path: string; seconds: number } | null> {
  const file = sourceSamplePath(runDir);
  const seconds = await wavSeconds(file);
  return seconds === null ? null : { path: file, seconds };
}

