import * as path from 'node:path';
import { describeError, isStudioError, StudioError } from '../errors';
import { loadMonoWithWarnings } from '../audio/load';
import { mulawEncode } from '../dsp/mulaw';
import { featureBinsFor, featuresFor, silenceFrame } from './features';
import { scanAudioFolder } from './scan';
import { chooseValidation } from './split';
import type { ConditionKind, Dataset, DatasetItem, SkippedFile } from './types';

export interface LoadDatasetOptions {
  sampleRate: number;
  hop: number;
  condition: ConditionKind;
  /** Share of files held out for validation; default 0.1. */
  valFraction?: number;
  onProgress?: (done: number, total: number, file: string) => void;
  signal?: AbortSignal;
}

/** Files shorter than this teach nothing and cannot fill a frame of context. */
export const MIN_SECONDS = 0.1;
/** Decodes in flight at once: the target machines have as few as two cores. */
const CONCURRENCY = 2;

interface Candidate {
  path: string;
  /** Path relative to the folder it was found in: the key of the train/val split. */
  relative: string;
  /** Index of that folder in the list imported. */
  folderIndex: number;
}

type Loaded =
  | { ok: true; item: Omit<DatasetItem, 'split'>; relative: string; warnings: string[] }
  | { ok: false; skipped: SkippedFile };

/**
 * Import audio folders for training: decode every file to mono at sampleRate, mu-law encode it,
 * compute its conditioning features, and hold some files out for validation. A bad file is
 * skipped with its reason; only an import where nothing loads fails.
 */
export async function loadDataset(folders: string[], opts: LoadDatasetOptions): Promise<Dataset> {
  const { sampleRate, hop, condition } = opts;
  checkOptions(folders, opts);
  const candidates = await listCandidates(folders);
  throwIfCancelled(opts.signal);

  const results = new Array<Loaded>(candidates.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < candidates.length) {
      throwIfCancelled(opts.signal);
      const i = next++;
      const c = candidates[i]!;
      results[i] = await loadOne(c, sampleRate, hop, condition);
      throwIfCancelled(opts.signal);
      done++;
      opts.onProgress?.(done, candidates.length, c.path);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, candidates.length) }, worker));

  const loaded = results.filter((r): r is Extract<Loaded, { ok: true }> => r.ok);
  const skipped = results.filter((r): r is Extract<Loaded, { ok: false }> => !r.ok).map((r) => r.skipped);
  const warnings = loaded.flatMap((r) => r.warnings.map((warning) => ({ path: r.item.path, warning })));
  if (loaded.length === 0) {
    const first = skipped.slice(0, 3).map((s) => `${path.basename(s.path)}: ${s.reason}`).join('; ');
    const more = skipped.length > 3 ? ` (and ${skipped.length - 3} more)` : '';
    throw new StudioError('DATASET_EMPTY', `No file could be loaded from ${folders.join(', ')}: ${first}${more}`);
  }
  const val = chooseValidation(loaded.map((r) => r.relative), opts.valFraction ?? 0.1);
  const items: DatasetItem[] = loaded.map((r, i) => ({ ...r.item, split: val[i] ? 'val' : 'train' }));
  return {
    folders: [...folders], sampleRate, hop, condition, featureBins: featureBinsFor(condition),
    silence: silenceFrame(condition, sampleRate, hop), items, skipped, warnings,
  };
}

async function loadOne(c: Candidate, sampleRate: number, hop: number, condition: ConditionKind): Promise<Loaded> {
  try {
    const { samples, warnings } = await loadMonoWithWarnings(c.path, sampleRate);
    const seconds = samples.length / sampleRate;
    if (seconds < MIN_SECONDS) {
      const why = warnings.map((w) => `; ${w}`).join('');
      return { ok: false, skipped: { path: c.path, reason: `Too short (${seconds.toFixed(3)} s; at least ${MIN_SECONDS} s is needed)${why}.` } };
    }
    const features = await featuresFor(c.path, samples, condition, sampleRate, hop);
    return { ok: true, relative: c.relative, warnings, item: { path: c.path, samples: mulawEncode(samples), features, seconds, classId: c.folderIndex } };
  } catch (e) {
    if (isStudioError(e) && e.code === 'CANCELLED') throw e;
    // Any failure of one file (typed or not) skips that file; the message is already one line.
    return { ok: false, skipped: { path: c.path, reason: describeError(e) } };
  }
}

async function listCandidates(folders: string[]): Promise<Candidate[]> {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const [folderIndex, folder] of folders.entries()) {
    const root = path.resolve(folder);
    for (const p of await scanAudioFolder(folder)) {
      if (seen.has(p)) continue; // a file reached through two overlapping folders loads once
      seen.add(p);
      out.push({ path: p, relative: path.relative(root, p), folderIndex });
    }
  }
  return out;
}

function checkOptions(folders: string[], opts: LoadDatasetOptions): void {
  if (folders.length === 0) throw new StudioError('BAD_OPTION', 'Give at least one folder of audio files to import.');
  if (!Number.isInteger(opts.sampleRate) || opts.sampleRate < 1000) {
    throw new StudioError('BAD_OPTION', `The sample rate must be a whole number of Hz, at least 1000 (got ${opts.sampleRate}).`);
  }
  if (!Number.isInteger(opts.hop) || opts.hop < 1) throw new StudioError('BAD_OPTION', `The hop must be a positive whole number of samples (got ${opts.hop}).`);
  if (!['mel', 'pianoroll', 'none'].includes(opts.condition)) {
    throw new StudioError('BAD_OPTION', `Unknown conditioning "${String(opts.condition)}": use mel, pianoroll or none.`);
  }
  const v = opts.valFraction;
  if (v !== undefined && !(v >= 0 && v < 1)) throw new StudioError('BAD_OPTION', `The validation fraction must be at least 0 and below 1 (got ${v}).`);
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new StudioError('CANCELLED', 'The dataset import was cancelled.');
}
