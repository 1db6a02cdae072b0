// Import (or refresh) one dataset of a project, file by file: only one recording is in memory at
// a time, whatever the size of the folders. The manifest is written as the import goes (every few
// seconds, atomically) and at the end; a cancelled or crashed import keeps what it did, and the
// next one reuses it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { DatasetManifest, ManifestFile, SkippedFile } from '../../../contract/domain/index';
import { StudioError } from '../../errors';
import { datasetDir, datasetFolders, datasetSettings } from '../../project/datasets';
import { readManifestIfAny, saveManifest } from '../../project/manifest';
import { openProject } from '../../project/project-file';
import { melSettingsFor } from '../../../contract/domain/mel';
import { assignSplit, classNameFor } from './assign';
import { importFile, settingsDigest, type FileStatus, type ImportedFile } from './import-file';
import type { PrepareSettings } from './prepare';
import { scanSources, type SourceFile } from './sources';

export interface ImportProgress {
  phase: 'scanning' | 'importing' | 'saving' | 'done';
  filesDone: number;
  filesTotal: number;
  filesSkipped: number;
  /** Used audio so far, seconds (at the project rate, after trimming). */
  audioSeconds: number;
  etaSeconds: number | null;
  /** The file just finished. */
  file: string | null;
}

export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** The manifest is saved at least this often during a long import (default 5 s). */
  saveEverySeconds?: number;
}

export interface ImportSummary {
  dataset: string;
  filesUsed: number;
  filesSkipped: number;
  seconds: number;
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  cancelled: boolean;
}

/** Files being imported at once (see the worker loop). */
const IN_FLIGHT = 3;

/** Conditioning frames per second when the dataset does not set a hop: 12.5 ms frames (hop 200 at 16 kHz). */
export const FRAMES_PER_SECOND = 80;

export function defaultHop(sampleRate: number): number {
  return Math.max(1, Math.round(sampleRate / FRAMES_PER_SECOND));
}

export async function importDataset(projectDir: string, datasetId: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  const project = await openProject(projectDir);
  const ds = project.datasets.find((d) => d.id === datasetId);
  if (!ds) throw new StudioError('FILE_NOT_FOUND', `The project in ${projectDir} has no dataset with id "${datasetId}": it may have been removed.`);
  const settings = datasetSettings(ds);
  const folders = datasetFolders(projectDir, ds);
  const dir = datasetDir(projectDir, ds.id);
  const prepare: PrepareSettings = {
    sampleRate: project.sampleRate, hop: settings.hop ?? defaultHop(project.sampleRate), condition: ds.condition,
    normalizeDb: settings.normalizeDb, trimSilenceDb: settings.trimSilenceDb,
  };
  const settingsKey = settingsDigest(prepare, prepare.condition === 'mel' ? melSettingsFor(prepare.sampleRate, prepare.hop) : null);
  const prev = await readPrevious(projectDir, ds.id);
  const sameSettings = prev?.settingsKey === settingsKey;
  const prevFiles = new Map((prev?.files ?? []).map((f) => [f.path, f]));
  const prevSkipped = new Map((prev?.skipped ?? []).filter((s) => s.size !== undefined).map((s) => [s.path, s]));

  const report = (p: Omit<ImportProgress, 'filesTotal'> & { filesTotal?: number }) => opts.onProgress?.({ filesTotal: 0, ...p });
  report({ phase: 'scanning', filesDone: 0, filesSkipped: 0, audioSeconds: 0, etaSeconds: null, file: null });
  const scan = await scanSources(folders);
  const total = scan.files.length;
  const scanned = new Set(scan.files.map((f) => f.path));

  const done = new Map<string, ImportedFile>();
  const skipped = new Map<string, SkippedFile>();
  const counts: Record<FileStatus, number> = { added: 0, changed: 0, unchanged: 0 };
  const removed = [...prevFiles.keys(), ...prevSkipped.keys()].filter((p) => !scanned.has(p)).length;
  let audioSeconds = 0;
  const finished = () => done.size + skipped.size;

  /** The manifest as it stands: files done, and (until the end) those of the last import not reached yet. */
  const snapshot = async (complete: boolean): Promise<DatasetManifest> => {
    const current = await readPrevious(projectDir, ds.id);
    // Exclusions are the person's: whatever the manifest on disk says now wins (set during the import too).
    const excluded = new Set((current ?? prev)?.files.filter((f) => f.excluded).map((f) => f.path) ?? []);
    const listed: (ImportedFile & { className?: string; excluded?: boolean })[] = [];
    for (const src of scan.files) {
      const f = done.get(src.path) ?? (skipped.has(src.path) ? undefined : reusable(prevFiles.get(src.path)));
      if (!f) continue;
      const className = classNameFor(settings.classes, folders, src.folderIndex, src.relative);
      listed.push({ ...f, ...(className !== undefined ? { className } : {}), ...(excluded.has(src.path) ? { excluded: true } : {}) });
    }
    const files = assignSplit(listed, settings);
    return {
      id: ds.id, folders: ds.folders, condition: ds.condition, sampleRate: prepare.sampleRate, hop: prepare.hop,
      files, skipped: [...scan.problems, ...scan.files.flatMap((f) => skipped.get(f.path) ?? [])], createdAt: new Date().toISOString(), complete, settingsKey,
    };
  };
  const reusable = (f: ManifestFile | undefined): ImportedFile | undefined => {
    if (!f || !sameSettings) return undefined;
    const { split: _split, className: _className, excluded: _excluded, ...rest } = f;
    return rest;
  };

  await saveManifest(projectDir, await snapshot(false));
  const started = performance.now();
  let lastSave = started;
  const bytesTotal = scan.files.reduce((s, f) => s + f.size, 0);
  let bytesDone = 0;
  let cancelled = false;
  let failure: unknown = null;
  let saving = false;
  let next = 0;
  // A few files in flight: reads, cache writes and fsyncs of one overlap the decoding of another.
  // Still a handful of recordings in memory at most, whatever the folder holds.
  const worker = async (): Promise<void> => {
    while (next < total && failure === null) {
      if (opts.signal?.aborted) {
        cancelled = true;
        return;
      }
      const src = scan.files[next++]!;
      const outcome = await importFile(src, {
        datasetDir: dir, settings: prepare, settingsKey, sameSettings, before: prevFiles.get(src.path), beforeSkip: prevSkipped.get(src.path),
      });
      bytesDone += src.size;
      counts[outcome.status]++;
      if (outcome.ok) {
        done.set(src.path, outcome.file);
        audioSeconds += outcome.file.seconds;
      } else skipped.set(src.path, outcome.skipped);
      const elapsed = (performance.now() - started) / 1000;
      const etaSeconds = bytesDone > 0 && elapsed > 0.2 ? (elapsed * (bytesTotal - bytesDone)) / bytesDone : null;
      report({ phase: 'importing', filesDone: finished(), filesTotal: total, filesSkipped: skipped.size, audioSeconds, etaSeconds, file: src.path });
      if (!saving && (performance.now() - lastSave) / 1000 >= (opts.saveEverySeconds ?? 5)) {
        saving = true;
        try {
          await saveManifest(projectDir, await snapshot(false));
        } finally {
          saving = false;
          lastSave = performance.now();
        }
      }
    }
  };
  const workers = Array.from({ length: Math.min(IN_FLIGHT, total) }, () => worker().catch((e: unknown) => {
    failure ??= e;
  }));
  await Promise.all(workers);
  // Whatever stopped the import (the end, a cancel, a full disk), what was done is saved.
  report({ phase: 'saving', filesDone: finished(), filesTotal: total, filesSkipped: skipped.size, audioSeconds, etaSeconds: 0, file: null });
  const complete = finished() === total;
  const manifest = await snapshot(complete);
  await saveManifest(projectDir, manifest);
  if (failure !== null) throw failure;
  if (complete) await dropUnusedCache(dir, manifest);
  const finalManifest = manifest;
  report({ phase: 'done', filesDone: finished(), filesTotal: total, filesSkipped: skipped.size, audioSeconds, etaSeconds: 0, file: null });
  return {
    dataset: ds.id, filesUsed: finalManifest.files.length, filesSkipped: finalManifest.skipped.length,
    seconds: finalManifest.files.reduce((s, f) => s + f.seconds, 0),
    ...counts, removed, cancelled,
  };
}

/** The last manifest, or null (none yet, or one too damaged to read: then everything is imported afresh). */
async function readPrevious(projectDir: string, id: string): Promise<DatasetManifest | null> {
  try {
    return await readManifestIfAny(projectDir, id);
  } catch (e) {
    if (e instanceof StudioError) return null;
    throw e;
  }
}

/** Cache files no file of the finished manifest uses: removed recordings, old versions, old settings. */
async function dropUnusedCache(dir: string, manifest: DatasetManifest): Promise<void> {
  const used = new Set(manifest.files.map((f) => f.cache && path.basename(f.cache)));
  const cacheDir = path.join(dir, 'cache');
  let names: string[];
  try {
    names = await fs.readdir(cacheDir);
  } catch {
    return;
  }
  for (const name of names) if (!used.has(name)) await fs.rm(path.join(cacheDir, name), { force: true });
}

export type { SourceFile };
