import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import { StudioError } from '../errors';
import { writeFileAtomic } from '../util/atomic';

/**
 * Read a JSON file of the project and check it against its schema. A missing file is
 * FILE_NOT_FOUND; unreadable JSON or a wrong shape is PROJECT_INVALID naming the first bad field.
 */
export async function readJsonFile<S extends z.ZodType>(file: string, schema: S, what: string): Promise<z.output<S>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new StudioError('FILE_NOT_FOUND', `No ${what} at ${file}: check the path.`);
    throw new StudioError('PROJECT_INVALID', `Cannot read the ${what} ${file}: check its permissions.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StudioError('PROJECT_INVALID', `The ${what} ${file} is not valid JSON: restore it from a backup or recreate it.`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'the top level';
    throw new StudioError('PROJECT_INVALID', `The ${what} ${file} is invalid at ${where} (${issue?.message ?? 'wrong shape'}): restore it from a backup or recreate it.`);
  }
  return parsed.data;
}

/** Validate then replace the file atomically, pretty-printed so it diffs well under git. */
export async function writeJsonFile<S extends z.ZodType>(file: string, schema: S, value: z.input<S>, what: string): Promise<void> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StudioError('BAD_OPTION', `Refusing to write an invalid ${what} (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'wrong shape'}).`);
  }
  await writeFileAtomic(file, `${JSON.stringify(parsed.data, null, 2)}\n`);
}

/** The file names of a folder ending in `ext`, sorted; none when the folder does not exist. */
export async function listFiles(dir: string, ext: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).filter((n) => n.endsWith(ext) && !n.startsWith('.')).sort().map((n) => path.join(dir, n));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}
