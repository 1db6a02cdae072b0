// Training from a project dataset: the cache files the import wrote, as the engine's Dataset,
// with the split the manifest (and the Datasets view) shows. No recording is opened.
import * as path from 'node:path';
import { StudioError } from '../../errors';
import { datasetDir, getDataset } from '../../project/datasets';
import { readManifestIfAny } from '../../project/manifest';
import { readCacheFile } from '../cache';
import { featureBinsFor, silenceFrame } from '../features';
import { datasetClassNames } from './assign';
import type { ConditionKind, Dataset, DatasetItem } from '../types';

export interface LoadProjectDatasetOptions {
  /** What the model expects: a dataset imported otherwise is refused with what to change. */
  expect?: { sampleRate: number; hop: number; condition: ConditionKind };
  /** The model's class names (a run's config): each file's class id is its class's index here. */
  classNames?: string[];
  onProgress?: (done: number, total: number, file: string) => void;
  signal?: AbortSignal;
}

export async function loadProjectDataset(projectDir: string, id: string, opts: LoadProjectDatasetOptions = {}): Promise<Dataset> {
  const ds = await getDataset(projectDir, id);
  const m = await readManifestIfAny(projectDir, id);
  if (!m) throw new StudioError('DATASET_EMPTY', `The dataset "${ds.name}" has not been imported yet: import it first (wavenet-studio dataset refresh).`);
  const e = opts.expect;
  if (e && (e.sampleRate !== m.sampleRate || e.hop !== m.hop || e.condition !== m.condition)) {
    throw new StudioError('BAD_OPTION', `The dataset "${ds.name}" was imported at ${m.sampleRate} Hz, hop ${m.hop}, ${m.condition} conditioning but the model uses ${e.sampleRate} Hz, hop ${e.hop}, ${e.condition}: train with the dataset's settings or import it again.`);
  }
  const files = m.files.filter((f) => !f.excluded);
  const names = opts.classNames ?? datasetClassNames(m);
  const classIndex = new Map(names.map((name, i) => [name, i]));
  const dir = datasetDir(projectDir, id);
  const items: DatasetItem[] = [];
  for (const [i, f] of files.entries()) {
    if (opts.signal?.aborted) throw new StudioError('CANCELLED', 'Loading the dataset was cancelled.');
    if (!f.cache) throw new StudioError('PROJECT_INVALID', `${path.basename(f.path)} has no cached features: refresh the dataset "${ds.name}".`);
    const classId = names.length > 0 ? classIndex.get(f.className ?? '') : 0;
    if (classId === undefined) {
      throw new StudioError('BAD_OPTION', `${path.basename(f.path)} is of class "${f.className ?? ''}", which the model does not have (${names.join(', ')}): start a new run for the dataset's classes.`);
    }
    const cached = await readCacheFile(path.join(dir, f.cache));
    items.push({ path: f.path, samples: cached.samples, features: cached.features, split: f.split, seconds: f.seconds, classId });
    opts.onProgress?.(i + 1, files.length, f.path);
  }
  if (!items.some((it) => it.split === 'train')) {
    throw new StudioError('DATASET_EMPTY', `The dataset "${ds.name}" has no training files${m.files.length > 0 ? ' left (all are excluded or held out)' : ''}: add recordings or include files again.`);
  }
  const warnings = files.flatMap((f) => (f.warnings ?? []).map((warning) => ({ path: f.path, warning })));
  return {
    folders: m.folders, sampleRate: m.sampleRate, hop: m.hop, condition: m.condition, featureBins: featureBinsFor(m.condition),
    silence: silenceFrame(m.condition, m.sampleRate, m.hop), items, skipped: m.skipped, warnings,
  };
}
