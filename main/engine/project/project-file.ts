import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { StudioError } from '../errors';
import { ConditionKindSchema, ProjectDatasetSchema } from '../../contract/domain/index';
import { readJsonFile, writeJsonFile } from './json-file';
import { makeFolder } from '../util/folders';

export const PROJECT_FILE = 'project.json';
export const PROJECT_SCHEMA_VERSION = 1;
export const DEFAULT_PROJECT_SAMPLE_RATE = 16000;

export const conditionSchema = ConditionKindSchema;
export const projectDatasetSchema = ProjectDatasetSchema;

export const projectSchema = z.object({
  name: z.string().min(1),
  schemaVersion: z.literal(PROJECT_SCHEMA_VERSION),
  sampleRate: z.number().int().min(1000).max(384000),
  datasets: z.array(projectDatasetSchema),
});

export type ProjectDataset = z.infer<typeof projectDatasetSchema>;
export type Project = z.infer<typeof projectSchema>;

/** Start a project in `dir` (created if needed); refuses a folder that already holds one. */
export async function createProject(dir: string, name: string, opts: { sampleRate?: number } = {}): Promise<Project> {
  const file = path.join(dir, PROJECT_FILE);
  if (await exists(file)) throw new StudioError('BAD_OPTION', `There is already a project in ${dir}: open it instead.`);
  const project: Project = { name: name.trim(), schemaVersion: PROJECT_SCHEMA_VERSION, sampleRate: opts.sampleRate ?? DEFAULT_PROJECT_SAMPLE_RATE, datasets: [] };
  if (!project.name) throw new StudioError('BAD_OPTION', 'A project needs a name.');
  await writeJsonFile(file, projectSchema, project, 'project file');
  // The folders a person sees in the project from the start (DESIGN.md "On-disk formats").
  for (const sub of ['datasets', 'runs', 'documents', 'renders']) await makeFolder(path.join(dir, sub));
  return project;
}

export async function openProject(dir: string): Promise<Project> {
  const file = path.join(dir, PROJECT_FILE);
  if (!(await exists(file))) throw new StudioError('FILE_NOT_FOUND', `${dir} is not a project (no ${PROJECT_FILE}): pick the project folder or create a project.`);
  const raw = await readJsonFile(file, z.object({ schemaVersion: z.number() }).loose(), 'project file');
  if (raw.schemaVersion > PROJECT_SCHEMA_VERSION) {
    throw new StudioError('PROJECT_INVALID', `The project in ${dir} was saved by a newer WaveNet Studio (schema ${raw.schemaVersion}): update the app to open it.`);
  }
  return readJsonFile(file, projectSchema, 'project file');
}

export async function saveProject(dir: string, project: Project): Promise<void> {
  await writeJsonFile(path.join(dir, PROJECT_FILE), projectSchema, project, 'project file');
}

/** The project with `entry` added, or replacing the dataset of the same id. */
export function withDataset(project: Project, entry: ProjectDataset): Project {
  const others = project.datasets.filter((d) => d.id !== entry.id);
  return { ...project, datasets: [...others, entry] };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
