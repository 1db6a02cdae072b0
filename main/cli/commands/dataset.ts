import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ConditionKindSchema, type DatasetInfo, type DatasetSettings } from '../../contract/domain/index';
import { datasetClassNames, datasetInfo, importDataset, type ImportSummary } from '../../engine/dataset/import/index';
import { StudioError } from '../../engine/errors';
import { addDataset, datasetFolders, findDataset } from '../../engine/project/datasets';
import { readManifestIfAny } from '../../engine/project/manifest';
import { openProject } from '../../engine/project/project-file';
import { numberOption } from '../options';
import { ProgressBar } from '../progress';

export interface DatasetAddFlags {
  name?: string;
  condition: string;
  classPerFolder?: boolean;
  classes?: string;
  val?: string;
  seed?: string;
}

const CLASS_MODES = ['none', 'per-folder', 'per-subfolder'] as const;

/** "1 h 02 min", "2 min 18 s", "12.4 s". */
function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min ${String(s % 60).padStart(2, '0')} s`;
}

/** Adds a dataset to the project and imports it (progress bar; Ctrl+C keeps what was imported). */
export async function datasetAddCommand(projectDir: string, folders: string[], f: DatasetAddFlags): Promise<void> {
  const dir = path.resolve(projectDir);
  await openProject(dir);
  const condition = ConditionKindSchema.safeParse(f.condition);
  if (!condition.success) throw new StudioError('BAD_OPTION', `--condition must be mel, pianoroll or none, got "${f.condition}".`);
  const valFraction = numberOption('val', f.val, { min: 0 });
  if (valFraction !== undefined && valFraction > 0.9) throw new StudioError('BAD_OPTION', `--val must be between 0 and 0.9, got "${f.val}".`);
  let classes: DatasetSettings['classes'] = 'none';
  if (f.classes !== undefined) {
    if (!(CLASS_MODES as readonly string[]).includes(f.classes)) throw new StudioError('BAD_OPTION', `--classes must be ${CLASS_MODES.join(', ')}, got "${f.classes}".`);
    classes = f.classes as DatasetSettings['classes'];
  } else if (f.classPerFolder) {
    // Several folders: one class each. One folder: one class per subfolder (speakers/alice, speakers/bob).
    classes = folders.length > 1 ? 'per-folder' : 'per-subfolder';
  }
  const abs = folders.map((d) => path.resolve(d));
  // Refuse a mistyped folder before the project is changed.
  for (const [i, d] of abs.entries()) {
    const stat = await fs.stat(d).catch(() => null);
    if (!stat) throw new StudioError('FILE_NOT_FOUND', `The folder ${folders[i]} does not exist: check the path.`);
    if (!stat.isDirectory()) throw new StudioError('BAD_OPTION', `${folders[i]} is not a folder: give the folder that holds the recordings.`);
  }
  const settings: Partial<DatasetSettings> = {
    condition: condition.data, classes,
    ...(valFraction !== undefined ? { valFraction } : {}),
    ...(f.seed !== undefined ? { seed: numberOption('seed', f.seed, { integer: true })! } : {}),
  };
  const ds = await addDataset(dir, { name: f.name ?? path.basename(abs[0]!), folders: abs, settings });
  process.stderr.write(`dataset "${ds.name}" (${ds.id}): ${ds.condition} conditioning, classes ${classes}, importing ${abs.join(', ')}\n`);
  const summary = await importWithProgress(dir, ds.id);
  await printSummary(dir, ds.id, summary);
}

/** Imports the dataset again: new and changed files are imported, removed ones dropped, the rest reused. */
export async function datasetRefreshCommand(projectDir: string, f: { name?: string }): Promise<void> {
  const dir = path.resolve(projectDir);
  const ds = await findDataset(dir, f.name);
  const summary = await importWithProgress(dir, ds.id);
  await printSummary(dir, ds.id, summary);
}

export async function datasetInfoCommand(projectDir: string, f: { name?: string; json?: boolean }): Promise<void> {
  const dir = path.resolve(projectDir);
  const ds = await findDataset(dir, f.name);
  const info = await datasetInfo(dir, ds.id);
  process.stdout.write(f.json ? `${JSON.stringify(info, null, 2)}\n` : formatInfo(info));
}

async function importWithProgress(dir: string, id: string): Promise<ImportSummary> {
  const bar = new ProgressBar('import');
  const controller = new AbortController();
  const stop = (): void => {
    process.stderr.write('\nstopping: keeping the files imported so far (press Ctrl+C again to quit now)\n');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', stop);
  try {
    return await importDataset(dir, id, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase !== 'importing') return;
        const skipped = p.filesSkipped > 0 ? ` · ${p.filesSkipped} skipped` : '';
        bar.update(p.filesDone, p.filesTotal, 'importing', `${duration(p.audioSeconds)} of audio${skipped}`, p.etaSeconds ?? undefined);
      },
    });
  } finally {
    process.removeListener('SIGINT', stop);
    bar.stop();
  }
}

async function printSummary(dir: string, id: string, s: ImportSummary): Promise<void> {
  const info = await datasetInfo(dir, id);
  const lines = [
    `${s.cancelled ? 'stopped' : 'imported'} "${info.name}": ${s.filesUsed} files, ${duration(s.seconds)} of audio (${info.train_files} train / ${info.val_files} validation), ${s.filesSkipped} skipped`,
    `${s.added} new, ${s.changed} changed, ${s.removed} removed, ${s.unchanged} unchanged`,
    ...info.files_skipped.map((k) => `skipped ${k.path}: ${k.reason}`),
    ...info.warnings.map((w) => `warning ${w.path}: ${w.warning}`),
  ];
  if (s.cancelled) lines.push('the import was stopped: run "dataset refresh" to finish it (the files done are kept)');
  process.stdout.write(`${lines.join('\n')}\n`);
  if (s.cancelled) process.exitCode = 130;
}

function formatInfo(i: DatasetInfo): string {
  const map = (r: Record<string, number>, unit = '') => Object.entries(r).map(([k, v]) => `${k}${unit}: ${v}`).join(', ') || '–';
  const classes = Object.entries(i.classes).map(([k, v]) => `${k || '(none)'} ${duration(v)}`).join(', ');
  const p = i.problems;
  const lines = [
    `${i.name} (${i.id}) · ${i.condition} conditioning · ${i.complete ? `imported ${i.imported_at}` : i.imported_at ? 'import not finished: run "dataset refresh"' : 'not imported yet'}`,
    `folders: ${i.folders.join(', ')}`,
    `files: ${i.files_used} used, ${i.files_skipped.length} skipped, ${i.files_excluded} excluded · ${duration(i.seconds)} of audio`,
    `split: ${i.train_files} train (${duration(i.train_seconds)}), ${i.val_files} validation (${duration(i.val_seconds)})`,
    `classes: ${classes || '–'}`,
    `sample rates: ${map(i.sample_rates, ' Hz')} · channels: ${map(i.channels)}`,
    `problems: ${p.clipped} clipped, ${p.silent} silent, ${p.dc_offset} with DC offset, ${p.truncated} cut off, ${p.missing_midi} without MIDI`,
    ...i.files_skipped.map((k) => `skipped ${k.path}: ${k.reason}`),
    ...i.warnings.map((w) => `warning ${w.path}: ${w.warning}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** What `train --project --dataset` needs: the imported dataset's rate, hop, conditioning and classes. */
export async function projectTrainingData(projectDir: string, name: string | undefined) {
  const dir = path.resolve(projectDir);
  const ds = await findDataset(dir, name);
  const manifest = await readManifestIfAny(dir, ds.id);
  if (!manifest) throw new StudioError('DATASET_EMPTY', `The dataset "${ds.name}" has not been imported yet: run "wavenet-studio dataset refresh ${projectDir} --name ${JSON.stringify(ds.name)}".`);
  if (manifest.complete === false) process.stderr.write(`the import of "${ds.name}" is not finished: training on the ${manifest.files.length} files imported so far\n`);
  return {
    projectDir: dir, datasetId: ds.id, name: ds.name, folders: datasetFolders(dir, ds),
    sampleRate: manifest.sampleRate, hop: manifest.hop, condition: manifest.condition, classNames: datasetClassNames(manifest),
  };
}
