// Which class and which split each used file gets. Both depend only on where a file sits inside
// its folder (never on the absolute path, the machine or the order files were imported in), so
// every import of the same recordings, anywhere, gives the same answer.
import * as path from 'node:path';
import type { DatasetManifest, DatasetSettings, ManifestFile } from '../../../contract/domain/index';
import { classNamesForFolders } from '../../model/global-class';
import { chooseValidation } from '../split';
import type { ImportedFile } from './import-file';

/** A file's class: none, its source folder's name, or its first-level subfolder's name. */
export function classNameFor(
  mode: DatasetSettings['classes'], folders: string[], folderIndex: number, relative: string,
): string | undefined {
  if (mode === 'none') return undefined;
  const folderName = classNamesForFolders(folders)[folderIndex] ?? path.basename(folders[folderIndex] ?? '');
  if (mode === 'per-folder') return folderName;
  const parts = relative.split('/');
  // Files directly in the folder (not in a subfolder) make a class of the folder's own name.
  return parts.length > 1 ? parts[0]! : folderName;
}

/**
 * The split, by a hash of each file's relative path mixed with the seed (see chooseValidation:
 * adding one file moves at most one other across).
 */
export function assignSplit(files: (ImportedFile & { className?: string; excluded?: boolean })[], settings: DatasetSettings): ManifestFile[] {
  const keys = files.map((f) => `${settings.seed}/${f.relative ?? f.path}`);
  const val = chooseValidation(keys, settings.valFraction);
  return files.map((f, i) => ({ ...f, split: val[i] ? 'val' : 'train' }));
}

/**
 * The global classes a model trained on the dataset has, in order (a file's class id is its
 * index): the class names of the files not excluded, in code-unit order; none without classes.
 */
export function datasetClassNames(manifest: DatasetManifest): string[] {
  const names = manifest.files.filter((f) => !f.excluded).map((f) => f.className ?? '').filter((n) => n !== '');
  return [...new Set(names)].sort();
}
