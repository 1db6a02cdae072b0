import { createHash } from 'node:crypto';

/**
 * Which files are held out for validation. Files are ranked by a hash of their path relative to
 * the imported folder (so the split survives moving the folder) and the lowest-ranked
 * round(valFraction · n) go to validation; at least one when there are two or more files and the
 * fraction is above zero, and never all of them. Adding a file moves at most one other file across the boundary.
 */
export function chooseValidation(relativePaths: string[], valFraction: number): boolean[] {
  const n = relativePaths.length;
  const fraction = Math.min(1, Math.max(0, valFraction));
  // A zero fraction means "no validation"; otherwise keep both sides non-empty.
  const count = n < 2 || fraction === 0 ? 0 : Math.min(n - 1, Math.max(1, Math.round(fraction * n)));
  const ranked = relativePaths
    .map((p, i) => ({ i, key: pathHash(p), p }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.p < b.p ? -1 : a.p > b.p ? 1 : a.i - b.i));
  const val = new Array<boolean>(n).fill(false);
  for (let k = 0; k < count; k++) val[ranked[k]!.i] = true;
  return val;
}

function pathHash(relativePath: string): string {
  // Separators normalised so Windows and POSIX imports of one folder split alike.
  return createHash('sha256').update(relativePath.split('\\').join('/')).digest('hex');
}
