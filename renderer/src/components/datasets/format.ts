// Display formatters for the Datasets section only (rate mixes, levels in dBFS, channels, shares,
// paths below a dataset's folders); counts, lengths, clocks and rates are renderer/src/format.ts's.
import { baseName, kiloHertz } from '../../format';

/** The rates found, fewest first dropped: "44.1 kHz", or "44.1/48 kHz mix". */
export function formatRateMix(rates: Record<string, number>): string {
  const hz = Object.keys(rates)
    .map(Number)
    .filter((r) => Number.isFinite(r) && r > 0)
    .sort((a, b) => a - b);
  if (hz.length === 0) return '';
  if (hz.length === 1) return `${kiloHertz(hz[0])} kHz`;
  return `${hz.map(kiloHertz).join('/')} kHz mix`;
}

/** A level: "-3.2 dBFS"; "—" when unknown; "-∞ dBFS" for digital silence. */
export function formatDb(db: number | undefined): string {
  if (db === undefined || Number.isNaN(db)) return '—';
  if (!Number.isFinite(db)) return db < 0 ? '-∞ dBFS' : '∞ dBFS';
  return `${db.toFixed(1)} dBFS`;
}

export function formatChannels(ch: number | undefined): string {
  if (ch === undefined) return '—';
  if (ch === 1) return 'mono';
  if (ch === 2) return 'stereo';
  return `${ch} ch`;
}

/** A fraction as a whole or one-decimal percentage: 0.1 → "10%". */
export function formatPercent(fraction: number): string {
  const p = fraction * 100;
  return `${Number.isInteger(p) ? p : p.toFixed(1)}%`;
}

/** A file's path below the dataset folder that holds it (the folder's own name first when there are several). */
export function relativeToFolders(p: string, folders: readonly string[]): string {
  for (const folder of folders) {
    const base = folder.replace(/[\\/]+$/, '');
    if (p.startsWith(base) && (p[base.length] === '/' || p[base.length] === '\\')) {
      const rest = p.slice(base.length + 1);
      return folders.length > 1 ? `${baseName(base)}/${rest}` : rest;
    }
  }
  return p;
}
