// Small display formatters shared by the status bar, notifications and views, so that the same number
// is shown the same way everywhere (counts with thousands separators, lengths of audio, rates in kHz).
// Section-only formatters live beside their section (components/datasets/format.ts,
// components/renders/format.ts, components/training/format.ts).

const counter = new Intl.NumberFormat('en-US');

/** 1204 → "1,204". */
export function formatCount(n: number): string {
  return counter.format(n);
}

/** "1 file", "2 renders". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** "1:05" or "1:02:03"; "—" when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Whole percent of done/total, or null while the total is unknown. */
export function percentOf(done: number, total: number | null | undefined): number | null {
  if (!total || total <= 0) return null;
  return Math.max(0, Math.min(100, Math.floor((done / total) * 100)));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function formatTime(date: Date): string {
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** A length of audio: "2 h 14 min", "3 min 05 s", "12.4 s", "0.35 s"; "—" when unknown. */
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

/** A sample rate: "44.1 kHz"; "—" when unknown. */
export function formatRate(hz: number | undefined): string {
  return hz === undefined ? '—' : `${kiloHertz(hz)} kHz`;
}

/** The last part of a path, for either separator. */
export function baseName(p: string): string {
  const parts = p.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}
