// One file as the Datasets view shows it when selected: a waveform overview, the conditioning
// frames exactly as training reads them (from the cache), and the MIDI notes beside it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { DatasetFileDetail } from '../../../contract/domain/index';
import type { FrameFeatures } from '../../dsp/mel';
import { mulawDecode } from '../../dsp/mulaw';
import { notesFromMidi } from '../../dsp/pianoroll';
import { StudioError } from '../../errors';
import { datasetDir, getDataset } from '../../project/datasets';
import { readManifestIfAny } from '../../project/manifest';
import { readCacheFile } from '../cache';
import { midiBeside } from '../features';

/** Waveform columns: enough for a wide screen, a few KB of JSON. */
export const PEAK_COLUMNS = 2000;
/** Longer feature sequences are pooled (mean of neighbouring frames) to keep the answer small. */
export const MAX_DETAIL_FRAMES = 8000;

export async function fileDetail(projectDir: string, id: string, file: string): Promise<DatasetFileDetail> {
  await getDataset(projectDir, id);
  const m = await readManifestIfAny(projectDir, id);
  const entry = m?.files.find((f) => f.path === file);
  if (!m || !entry) throw new StudioError('FILE_NOT_FOUND', `${file} is not a file of this dataset: refresh the file list.`);
  if (!entry.cache) throw new StudioError('FILE_NOT_FOUND', `${path.basename(file)} has no cached features: refresh the dataset.`);
  const cached = await readCacheFile(path.join(datasetDir(projectDir, id), entry.cache));
  const pooled = cached.features ? poolFrames(cached.features, MAX_DETAIL_FRAMES) : null;
  return {
    path: file,
    sampleRate: cached.header.sampleRate,
    seconds: cached.header.seconds,
    peaks: waveformPeaks(mulawDecode(cached.samples), PEAK_COLUMNS),
    features: pooled && { frames: pooled.features.frames, bins: pooled.features.bins, data: Array.from(pooled.features.data), hop: cached.header.hop * pooled.factor },
    notes: await notesBeside(file),
  };
}

/** Min and max of each of `columns` equal slices (fewer when the file has fewer samples). */
export function waveformPeaks(x: Float32Array, columns: number): { min: number[]; max: number[] } {
  const n = Math.min(columns, x.length);
  const min = new Array<number>(n);
  const max = new Array<number>(n);
  for (let c = 0; c < n; c++) {
    const a = Math.floor((c * x.length) / n);
    const b = Math.max(a + 1, Math.floor(((c + 1) * x.length) / n));
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = a; i < b; i++) {
      if (x[i]! < lo) lo = x[i]!;
      if (x[i]! > hi) hi = x[i]!;
    }
    min[c] = Math.round(lo * 1e4) / 1e4;
    max[c] = Math.round(hi * 1e4) / 1e4;
  }
  return { min, max };
}

function poolFrames(f: FrameFeatures, maxFrames: number): { features: FrameFeatures; factor: number } {
  if (f.frames <= maxFrames) return { features: f, factor: 1 };
  const factor = Math.ceil(f.frames / maxFrames);
  const frames = Math.ceil(f.frames / factor);
  const data = new Float32Array(frames * f.bins);
  for (let g = 0; g < frames; g++) {
    const a = g * factor;
    const b = Math.min(f.frames, a + factor);
    for (let k = 0; k < f.bins; k++) {
      let s = 0;
      for (let j = a; j < b; j++) s += f.data[j * f.bins + k]!;
      data[g * f.bins + k] = s / (b - a);
    }
  }
  return { features: { frames, bins: f.bins, data }, factor };
}

async function notesBeside(file: string): Promise<DatasetFileDetail['notes']> {
  const midi = await midiBeside(file).catch(() => null);
  if (!midi) return null;
  try {
    return notesFromMidi(await fs.readFile(midi), path.basename(midi));
  } catch {
    return null;
  }
}
