// A dataset at a glance (the Datasets view's card, `dataset info`), its file table, and the
// person's exclusions — all read from the manifest, never from the recordings.
import type { DatasetInfo, DatasetManifest, ManifestFile } from '../../../contract/domain/index';
import { StudioError } from '../../errors';
import { datasetSettings, getDataset } from '../../project/datasets';
import { readManifest, readManifestIfAny, saveManifest } from '../../project/manifest';
import { DC_OFFSET_LIMIT, SILENT_DB } from './levels';

/** The dataset's summary; before its first import every count is zero and `complete` is false. */
export async function datasetInfo(projectDir: string, id: string): Promise<DatasetInfo> {
  const ds = await getDataset(projectDir, id);
  const m = await readManifestIfAny(projectDir, id);
  const used = (m?.files ?? []).filter((f) => !f.excluded);
  const sum = (files: ManifestFile[]) => files.reduce((s, f) => s + f.seconds, 0);
  const train = used.filter((f) => f.split === 'train');
  const val = used.filter((f) => f.split === 'val');
  const count = (key: (f: ManifestFile) => string | undefined, weigh: (f: ManifestFile) => number = () => 1) => {
    const out: Record<string, number> = {};
    for (const f of used) {
      const k = key(f);
      if (k !== undefined) out[k] = (out[k] ?? 0) + weigh(f);
    }
    return out;
  };
  return {
    id: ds.id,
    name: ds.name,
    folders: ds.folders,
    condition: ds.condition,
    settings: datasetSettings(ds),
    files_used: used.length,
    files_skipped: (m?.skipped ?? []).map((s) => ({ path: s.path, reason: s.reason })),
    files_excluded: (m?.files ?? []).length - used.length,
    seconds: sum(used),
    classes: count((f) => f.className ?? '', (f) => f.seconds),
    train_files: train.length,
    val_files: val.length,
    train_seconds: sum(train),
    val_seconds: sum(val),
    warnings: used.flatMap((f) => (f.warnings ?? []).map((warning) => ({ path: f.path, warning }))),
    sample_rates: count((f) => (f.sampleRate !== undefined ? String(f.sampleRate) : undefined)),
    channels: count((f) => (f.channels !== undefined ? String(f.channels) : undefined)),
    problems: {
      clipped: used.filter((f) => (f.clipped ?? 0) > 0).length,
      silent: used.filter((f) => f.loudnessDb !== undefined && f.loudnessDb < SILENT_DB).length,
      dc_offset: used.filter((f) => Math.abs(f.dcOffset ?? 0) > DC_OFFSET_LIMIT).length,
      truncated: used.filter((f) => (f.warnings ?? []).length > 0).length,
      missing_midi: (m?.skipped ?? []).filter((s) => s.code === 'MIDI_MISSING').length,
    },
    imported_at: m ? m.createdAt : null,
    complete: m?.complete !== false && m !== null,
  };
}

/** Every used file of the last import, excluded ones included (flagged), for the file table. */
export async function datasetFiles(projectDir: string, id: string): Promise<ManifestFile[]> {
  await getDataset(projectDir, id);
  return (await readManifestIfAny(projectDir, id))?.files ?? [];
}

/** Leaves files out of training (or takes them back); saved in the manifest, kept by refreshes. */
export async function setExcluded(projectDir: string, id: string, paths: string[], excluded: boolean): Promise<DatasetManifest> {
  await getDataset(projectDir, id);
  const m = await readManifest(projectDir, id).catch((e: unknown) => {
    if (e instanceof StudioError && e.code === 'FILE_NOT_FOUND') throw new StudioError('FILE_NOT_FOUND', 'The dataset has not been imported yet: import it first.');
    throw e;
  });
  const known = new Set(m.files.map((f) => f.path));
  const unknown = paths.filter((p) => !known.has(p));
  if (unknown.length > 0) {
    throw new StudioError('FILE_NOT_FOUND', `${unknown[0]}${unknown.length > 1 ? ` (and ${unknown.length - 1} more)` : ''} is not a file of this dataset: refresh the file list.`);
  }
  const chosen = new Set(paths);
  const files = m.files.map((f) => {
    if (!chosen.has(f.path)) return f;
    const { excluded: _was, ...rest } = f;
    return excluded ? { ...rest, excluded: true } : rest;
  });
  const next = { ...m, files };
  await saveManifest(projectDir, next);
  return next;
}
