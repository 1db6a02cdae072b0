// Finding a dataset's audio: a recursive walk of its folders that a person's real disk cannot
// trip up — links that loop back, folders or links it may not read, hidden files, two folders that
// overlap. What it cannot use it reports (path and one-line reason) and walks on.
import type { Dirent } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { SkippedFile } from '../../../contract/domain/index';
import { StudioError } from '../../errors';
import { isAudioFile } from '../scan';

export interface SourceFile {
  /** Absolute path as found (through any links), the file's identity in the manifest. */
  path: string;
  /** Path inside the folder it was found in, '/'-separated: the key of the split and of classes. */
  relative: string;
  /** Index of that folder in the dataset's list. */
  folderIndex: number;
  size: number;
  mtimeMs: number;
  /** The .mid / .midi beside it with the same base name, if any. */
  midi: string | null;
}

export interface SourceScan {
  files: SourceFile[];
  /** Folders and links that could not be walked (a loop, no permission, a broken link). */
  problems: SkippedFile[];
}

/**
 * Every audio file under the folders, in a reproducible order (folder by folder, then by path in
 * code-unit order). A folder that is missing altogether fails the whole scan, so a drive that is
 * not mounted never looks like every recording was deleted.
 */
export async function scanSources(folders: string[]): Promise<SourceScan> {
  const roots = folders.map((f) => path.resolve(f));
  for (const [i, root] of roots.entries()) {
    const stat = await fs.stat(root).catch(() => null);
    if (!stat) throw new StudioError('FILE_NOT_FOUND', `The folder ${folders[i]} does not exist (or is not mounted): check the dataset's folders.`);
    if (!stat.isDirectory()) throw new StudioError('FILE_NOT_FOUND', `${folders[i]} is not a folder: give the folder that holds the recordings.`);
  }
  const state: WalkState = { visitedDirs: new Map(), seenFiles: new Set(), files: [], problems: [] };
  for (const [folderIndex, root] of roots.entries()) await walk(state, root, root, folderIndex);
  return { files: state.files, problems: state.problems };
}

interface WalkState {
  /** Real path of every folder walked → the path it was first walked as: a link back is seen. */
  visitedDirs: Map<string, string>;
  /** Real paths of the files taken: one recording reached two ways is imported once. */
  seenFiles: Set<string>;
  files: SourceFile[];
  problems: SkippedFile[];
}

async function walk(state: WalkState, dir: string, root: string, folderIndex: number): Promise<void> {
  let real: string;
  let entries: Dirent[];
  try {
    real = await fs.realpath(dir);
    const earlier = state.visitedDirs.get(real);
    if (earlier !== undefined) {
      state.problems.push({ path: dir, code: 'LINK_LOOP', reason: `A link back to a folder already scanned (${earlier}): skipped, so the scan does not go round in circles.` });
      return;
    }
    state.visitedDirs.set(real, dir);
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    state.problems.push({ path: dir, code: 'READ_FAILED', reason: `The folder could not be read (${errnoText(e)}): its files were skipped; check its permissions.` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const midiByBase = new Map<string, string>();
  for (const e of entries) {
    const ext = path.extname(e.name).toLowerCase();
    const base = path.basename(e.name, path.extname(e.name));
    if ((ext === '.mid' || ext === '.midi') && !midiByBase.has(base)) midiByBase.set(base, path.join(dir, e.name));
  }
  for (const e of entries) {
    // Hidden files and folders: .DS_Store, AppleDouble "._x.wav", .git, editor backups.
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    let stat: { size: number; mtimeMs: number } | null = null;
    if (e.isSymbolicLink()) {
      try {
        const target = await fs.stat(p);
        isDir = target.isDirectory();
        isFile = target.isFile();
        stat = target;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const reason = code === 'ELOOP' ? 'A link that points back to itself: skipped.'
          : code === 'ENOENT' ? 'A link to something that no longer exists: skipped.'
            : `A link that could not be followed (${errnoText(err)}): skipped.`;
        state.problems.push({ path: p, code: 'LINK_BROKEN', reason });
        continue;
      }
    }
    if (isDir) {
      await walk(state, p, root, folderIndex);
      continue;
    }
    if (!isFile || !isAudioFile(e.name)) continue;
    const realFile = e.isSymbolicLink() ? await fs.realpath(p).catch(() => p) : path.join(real, e.name);
    if (state.seenFiles.has(realFile)) continue;
    state.seenFiles.add(realFile);
    try {
      stat ??= await fs.stat(p);
    } catch (err) {
      state.problems.push({ path: p, code: 'READ_FAILED', reason: `The file could not be read (${errnoText(err)}): check its permissions.` });
      continue;
    }
    const base = path.basename(e.name, path.extname(e.name));
    state.files.push({
      path: p, relative: path.relative(root, p).split(path.sep).join('/'), folderIndex,
      size: stat.size, mtimeMs: stat.mtimeMs, midi: midiByBase.get(base) ?? null,
    });
  }
}

export function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'it no longer exists';
  if (code === 'EIO') return 'a disk read error';
  return code ?? (e instanceof Error ? e.message.split('\n')[0]! : String(e));
}
