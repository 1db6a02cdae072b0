import * as path from 'node:path';
import { createProject } from '../../engine/project/project-file';

/** Starts a project in <dir> (created if needed): project.json and its datasets/ runs/ documents/ renders/. */
export async function projectNewCommand(dir: string, f: { name?: string }): Promise<void> {
  const abs = path.resolve(dir);
  const project = await createProject(abs, f.name ?? path.basename(abs));
  process.stdout.write(`created project "${project.name}" in ${abs} (${project.sampleRate} Hz)\n`);
}
