import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { ProjectSummary } from '../contract/index';
import { createProject, openProject } from '../engine/project/index';
import { readJsonFile, writeJsonFile } from '../engine/project/json-file';
import { StudioError } from '../engine/errors';

async function isNonEmptyFolder(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length > 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return true;
    throw e;
  }
}

/** The location a project is created in must exist: a mistyped path must not become a tree of new folders. */
async function mustBeFolder(dir: string): Promise<void> {
  const stat = await fs.stat(dir).catch(() => null);
  if (!stat) throw new StudioError('FILE_NOT_FOUND', `The folder ${dir} does not exist; choose an existing location for the project.`);
  if (!stat.isDirectory()) throw new StudioError('BAD_OPTION', `${dir} is a file, not a folder; choose a folder for the project.`);
}

const recentSchema = z.object({ projects: z.array(z.object({ name: z.string(), path: z.string(), openedAt: z.string() })) });
const MAX_RECENT = 20;

/**
 * The list of recently opened projects, kept in the studio's home folder (recent-projects.json).
 * A missing or unreadable list starts empty rather than stopping the app.
 */
export class ProjectRegistry {
  /** `onOpened` hears the folder of each project opened or created (the media it may serve). */
  constructor(private readonly homeDir: string, private readonly onOpened?: (dir: string) => void) {}

  private get file(): string {
    return path.join(this.homeDir, 'recent-projects.json');
  }

  list(): Promise<ProjectSummary[]> {
    return this.read();
  }

  private async read(): Promise<z.output<typeof recentSchema>['projects']> {
    try {
      return (await readJsonFile(this.file, recentSchema, 'recent projects list')).projects;
    } catch (e) {
      if (e instanceof StudioError) return [];
      throw e;
    }
  }

  /** A new folder named after the project inside `parent`, so a project never spills into a folder of other files. */
  async create(parent: string, name: string): Promise<ProjectSummary> {
    const folderName = name.trim().replace(/[/\\:*?"<>|]/g, '-').replace(/^\.+/, '');
    if (!folderName) throw new StudioError('BAD_OPTION', `"${name}" cannot be a folder name: choose another project name.`);
    const location = path.resolve(parent);
    await mustBeFolder(location);
    const dir = path.join(location, folderName);
    if (await isNonEmptyFolder(dir)) throw new StudioError('BAD_OPTION', `${dir} already exists and is not empty: choose another name or location.`);
    const project = await createProject(dir, name);
    return this.remember(dir, project.name);
  }

  async open(dir: string): Promise<ProjectSummary> {
    const project = await openProject(path.resolve(dir));
    return this.remember(path.resolve(dir), project.name);
  }

  private async remember(dir: string, name: string): Promise<ProjectSummary> {
    this.onOpened?.(dir);
    const entry = { name, path: dir, openedAt: new Date().toISOString() };
    const rest = (await this.read()).filter((p) => p.path !== dir);
    await writeJsonFile(this.file, recentSchema, { projects: [entry, ...rest].slice(0, MAX_RECENT) }, 'recent projects list');
    return entry;
  }
}
