// Display formatters for the Datasets section: the same number shown the same way everywhere
// (durations in h/min/s, rates in kHz, levels in dBFS, counts with thousands separators).

const counter = new Intl.NumberFormat('en-US');

/** 1204 → "1,204". */
export function formatCount(n: number): string {
  return counter.format(n);
}

/** "1 file", "2 files". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A length of audio: "2 h 14 min", "3 min 05 s", "12.4 s", "0.35 s". */
export function formatAudioLength(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${m} min`;
  return `${m} min ${String(s).padStart(2, '0')} s`;
}

/** A playback clock: "0:03.2", "12:04.0". */
export function formatClock(seconds: number): string {
  const safe = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  const m = Math.floor(safe / 60);
  const s = safe - m * 60;
  return `${m}:${s.toFixed(1).padStart(4, '0')}`;
}

/** 44100 → "44.1", 48000 → "48", 22050 → "22.05" (kHz without the unit). */
export function kiloHertz(hz: number): string {
  return String(Math.round(hz / 10) / 100);
}

export function formatRate(hz: number | undefined): string {
  return hz === undefined ? '—' : `${kiloHertz(hz)} kHz`;
}

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

/** The last part of a path, for either separator. */
export function baseName(p: string): string {
  const parts = p.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
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
