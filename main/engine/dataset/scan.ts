import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../errors';

export const AUDIO_EXTENSIONS: readonly string[] = ['.wav', '.flac', '.ogg', '.oga', '.mp3'];

export function isAudioFile(name: string): boolean {
  return AUDIO_EXTENSIONS.includes(path.extname(name).toLowerCase());
}

/**
 * Every audio file under a folder, recursively, sorted by path so imports are reproducible.
 * Hidden files and folders (".DS_Store", "._x.wav", ".git") are skipped.
 */
export async function scanAudioFolder(folder: string): Promise<string[]> {
  const root = path.resolve(folder);
  let stat;
  try {
    stat = await fs.stat(root);
  } catch {
    throw new StudioError('FILE_NOT_FOUND', `The folder ${folder} does not exist: check the path.`);
  }
  if (!stat.isDirectory()) throw new StudioError('FILE_NOT_FOUND', `${folder} is not a folder: give the folder that holds the audio files.`);
  const found: string[] = [];
  await walk(root, found);
  if (found.length === 0) {
    throw new StudioError('FOLDER_EMPTY', `The folder ${folder} holds no audio files (${AUDIO_EXTENSIONS.join(', ')}): add some or pick another folder.`);
  }
  return found.sort(comparePaths);
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if ((e.isFile() || e.isSymbolicLink()) && isAudioFile(e.name)) out.push(p);
  }
}

/** Plain code-unit order, not locale order, so every machine sorts the same way. */
function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
