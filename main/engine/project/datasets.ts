// A project's datasets as project.json lists them: add, update, remove, find. The recordings
// themselves are never touched; a dataset's own folder (datasets/<id>/) holds only derived files.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DatasetSettingsPatchSchema, DatasetSettingsSchema, slugOf, type DatasetSettings } from '../../contract/domain/index';
import { StudioError } from '../errors';
import { checkId, ID_PATTERN, newId } from './ids';
import { openProject, saveProject, type Project, type ProjectDataset } from './project-file';

export interface DatasetChanges {
  name?: string;
  folders?: string[];
  settings?: Partial<DatasetSettings>;
}

export type NewDataset = DatasetChanges & { name: string; folders: string[] };

/** datasets/<id>/: the manifest and the feature cache of one dataset. */
export function datasetDir(projectDir: string, id: string): string {
  return path.join(projectDir, 'datasets', checkId(id, 'dataset'));
}

/** The full settings of a dataset: what project.json says, defaults for the rest. */
export function datasetSettings(ds: ProjectDataset): DatasetSettings {
  return DatasetSettingsSchema.parse({ ...ds.settings, condition: ds.condition });
}

/** A dataset's source folders as absolute paths (project.json may hold them relative to the project). */
export function datasetFolders(projectDir: string, ds: ProjectDataset): string[] {
  return ds.folders.map((f) => path.resolve(projectDir, f));
}

export async function listDatasets(projectDir: string): Promise<ProjectDataset[]> {
  return (await openProject(projectDir)).datasets;
}

/**
 * The dataset named (by name or id) — or the only one when no name is given. Errors say which
 * datasets there are, so a person can pick one.
 */
export async function findDataset(projectDir: string, nameOrId?: string): Promise<ProjectDataset> {
  const all = await listDatasets(projectDir);
  const names = all.map((d) => `"${d.name}"`).join(', ');
  if (nameOrId === undefined) {
    if (all.length === 1) return all[0]!;
    if (all.length === 0) throw new StudioError('FILE_NOT_FOUND', `The project in ${projectDir} has no dataset yet: add one with "dataset add".`);
    throw new StudioError('BAD_OPTION', `The project has ${all.length} datasets (${names}): choose one with --name.`);
  }
  const found = all.find((d) => d.name === nameOrId) ?? all.find((d) => d.id === nameOrId);
  if (!found) {
    throw new StudioError('FILE_NOT_FOUND', `The project has no dataset "${nameOrId}"${all.length > 0 ? ` (it has ${names})` : ''}: check the name.`);
  }
  return found;
}

export async function getDataset(projectDir: string, id: string): Promise<ProjectDataset> {
  const found = (await listDatasets(projectDir)).find((d) => d.id === id);
  if (!found) throw new StudioError('FILE_NOT_FOUND', `The project in ${projectDir} has no dataset with id "${id}": it may have been removed.`);
  return found;
}

/** Adds a dataset; its id is a slug of the name (or a new id when the slug is taken or empty). */
export async function addDataset(projectDir: string, spec: NewDataset): Promise<ProjectDataset> {
  const project = await openProject(projectDir);
  const name = checkName(project, spec.name, null);
  const folders = checkFolders(spec.folders);
  const settings = givenSettings(spec.settings);
  const condition = settings.condition ?? 'mel';
  const entry: ProjectDataset = { id: idFor(project, name), name, folders, condition, settings: { ...settings, condition } };
  await saveProject(projectDir, { ...project, datasets: [...project.datasets, entry] });
  return entry;
}

/** Renames a dataset or changes its folders or settings; the next import applies them. */
export async function updateDataset(projectDir: string, id: string, changes: DatasetChanges): Promise<ProjectDataset> {
  const project = await openProject(projectDir);
  const current = project.datasets.find((d) => d.id === id);
  if (!current) throw new StudioError('FILE_NOT_FOUND', `The project has no dataset with id "${id}": it may have been removed.`);
  const settings = { ...current.settings, ...givenSettings(changes.settings) };
  const condition = changes.settings?.condition ?? current.condition;
  const next: ProjectDataset = {
    ...current,
    name: changes.name !== undefined ? checkName(project, changes.name, id) : current.name,
    folders: changes.folders !== undefined ? checkFolders(changes.folders) : current.folders,
    condition,
    settings: { ...settings, condition },
  };
  await saveProject(projectDir, { ...project, datasets: project.datasets.map((d) => (d.id === id ? next : d)) });
  return next;
}

/** Takes the dataset out of project.json and deletes datasets/<id>/ (manifest and cache) — never the recordings. */
export async function removeDataset(projectDir: string, id: string): Promise<void> {
  const project = await openProject(projectDir);
  if (!project.datasets.some((d) => d.id === id)) throw new StudioError('FILE_NOT_FOUND', `The project has no dataset with id "${id}": it may have been removed.`);
  await saveProject(projectDir, { ...project, datasets: project.datasets.filter((d) => d.id !== id) });
  await fs.rm(datasetDir(projectDir, id), { recursive: true, force: true });
}

/**
 * The settings given, checked, without defaults for those left out: a partial update keeps the
 * dataset's other settings (zod's partial() would fill every default in).
 */
function givenSettings(raw: Partial<DatasetSettings> | undefined): Partial<DatasetSettings> {
  if (!raw) return {};
  const parsed = DatasetSettingsPatchSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StudioError('BAD_OPTION', `Bad dataset setting ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'wrong value'}.`);
  }
  const given = Object.keys(raw).filter((k) => (raw as Record<string, unknown>)[k] !== undefined);
  return Object.fromEntries(given.filter((k) => k in parsed.data).map((k) => [k, (parsed.data as Record<string, unknown>)[k]])) as Partial<DatasetSettings>;
}

function checkName(project: Project, raw: string, selfId: string | null): string {
  const name = raw.trim();
  if (!name) throw new StudioError('BAD_OPTION', 'A dataset needs a name.');
  if (project.datasets.some((d) => d.id !== selfId && d.name.toLowerCase() === name.toLowerCase())) {
    throw new StudioError('BAD_OPTION', `The project already has a dataset named "${name}": choose another name.`);
  }
  return name;
}

function checkFolders(folders: string[]): string[] {
  const clean = folders.map((f) => f.trim()).filter((f) => f !== '');
  if (clean.length === 0) throw new StudioError('BAD_OPTION', 'Add at least one folder of recordings.');
  if (clean.some((f) => f.includes('\0'))) throw new StudioError('BAD_OPTION', 'A folder path cannot contain a NUL character.');
  return [...new Set(clean)];
}

/** "My Voice (2024)" → "my-voice-2024": readable folder names under datasets/. */
function idFor(project: Project, name: string): string {
  const slug = slugOf(name);
  const taken = (id: string) => project.datasets.some((d) => d.id.toLowerCase() === id.toLowerCase());
  return slug && ID_PATTERN.test(slug) && !taken(slug) ? slug : newId();
}
