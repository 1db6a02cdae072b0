import { StudioError } from '../errors';
import { mulawEncode } from '../dsp/mulaw';
import type { Random } from '../util/random';
import type { Dataset, DatasetItem, TrainBatch } from './types';

/** Validation stays quick: at most this many segments, spread over the validation files. */
export const MAX_VALIDATION_SEGMENTS = 64;

/**
 * Random training segments. A file is picked with probability proportional to its length (so
 * every sample is about equally likely), then a hop-aligned start uniformly among those whose
 * length + 1 samples fit in the file. A file shorter than a segment starts at 0 and is padded
 * with mu-law silence (class 128) and the dataset's silence frame (log floor for mel, zeros for a
 * piano roll): the model sees the file end in quiet rather than wrap around or repeat.
 */
export function sampleBatch(ds: Dataset, rng: Random, batch: number, length: number): TrainBatch {
  checkShape(ds, batch, length);
  const train = ds.items.filter((it) => it.split === 'train');
  if (train.length === 0) throw new StudioError('DATASET_EMPTY', 'The dataset has no training files: import more audio.');
  const cumulative = new Float64Array(train.length);
  let total = 0;
  for (let i = 0; i < train.length; i++) cumulative[i] = total += train[i]!.samples.length;

  const out = emptyBatch(ds, batch, length);
  for (let row = 0; row < batch; row++) {
    const item = train[pickIndex(cumulative, rng.next() * total)]!;
    const starts = Math.max(0, Math.floor((item.samples.length - length - 1) / ds.hop)) + 1;
    fillRow(ds, out, row, item, rng.int(starts) * ds.hop);
  }
  return out;
}

/**
 * A fixed list of validation segments: back-to-back, hop-aligned windows of each validation file
 * (a window needs length + 1 samples; the partial one at a file's end is dropped). Past
 * MAX_VALIDATION_SEGMENTS, an evenly spaced subset is kept. Batches hold `batch` rows, the last
 * one possibly fewer; an empty list when no validation file is long enough.
 */
export function validationBatches(ds: Dataset, batch: number, length: number): TrainBatch[] {
  checkShape(ds, batch, length);
  const segments: { item: DatasetItem; start: number }[] = [];
  for (const item of ds.items) {
    if (item.split !== 'val') continue;
    for (let start = 0; start + length + 1 <= item.samples.length; start += length) segments.push({ item, start });
  }
  const chosen = segments.length <= MAX_VALIDATION_SEGMENTS
    ? segments
    : Array.from({ length: MAX_VALIDATION_SEGMENTS }, (_, k) => segments[Math.floor((k * segments.length) / MAX_VALIDATION_SEGMENTS)]!);
  const batches: TrainBatch[] = [];
  for (let i = 0; i < chosen.length; i += batch) {
    const rows = chosen.slice(i, i + batch);
    const out = emptyBatch(ds, rows.length, length);
    rows.forEach((s, row) => fillRow(ds, out, row, s.item, s.start));
    batches.push(out);
  }
  return batches;
}

function checkShape(ds: Dataset, batch: number, length: number): void {
  if (!Number.isInteger(batch) || batch < 1) throw new StudioError('BAD_OPTION', `The batch size must be a positive whole number (got ${batch}).`);
  if (!Number.isInteger(length) || length < ds.hop || length % ds.hop !== 0) {
    throw new StudioError('BAD_OPTION', `The segment length must be a positive multiple of the hop (${ds.hop} samples); got ${length}.`);
  }
}

function emptyBatch(ds: Dataset, batch: number, length: number): TrainBatch {
  const frames = length / ds.hop;
  return {
    batch, length, frames,
    inputs: new Int32Array(batch * (length + 1)),
    features: ds.condition === 'none' ? null : new Float32Array(batch * frames * ds.featureBins),
    classIds: new Int32Array(batch),
  };
}

/** Row `row` = samples [start, start + length] of the file, frames from start / hop on. */
function fillRow(ds: Dataset, out: TrainBatch, row: number, item: DatasetItem, start: number): void {
  const silenceClass = mulawSilence();
  const width = out.length + 1;
  const n = Math.max(0, Math.min(width, item.samples.length - start));
  const inputs = out.inputs.subarray(row * width, (row + 1) * width);
  for (let t = 0; t < n; t++) inputs[t] = item.samples[start + t]!;
  inputs.fill(silenceClass, n);
  out.classIds[row] = item.classId;

  if (!out.features || !item.features) return;
  const bins = ds.featureBins;
  const feats = item.features;
  if (feats.bins !== bins) throw new StudioError('BAD_OPTION', `${item.path} has ${feats.bins} feature bins, the dataset ${bins}.`);
  const first = start / ds.hop;
  for (let j = 0; j < out.frames; j++) {
    const dst = (row * out.frames + j) * bins;
    const f = first + j;
    if (f < feats.frames) out.features.set(feats.data.subarray(f * bins, (f + 1) * bins), dst);
    else if (ds.silence) out.features.set(ds.silence, dst);
  }
}

/** The mu-law class of a zero sample (128 for mu = 255). */
function mulawSilence(): number {
  return mulawEncode(new Float32Array(1))[0]!;
}

/** The index i with cumulative[i-1] <= x < cumulative[i]. */
function pickIndex(cumulative: Float64Array, x: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < cumulative[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
