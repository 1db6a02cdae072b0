// The piano roll's coordinates: seconds ↔ x and pitch ↔ y for a scrolled, zoomed view, what lies
// under the pointer (a note's body or one of its edges), and names of pitches. Plain functions on
// numbers, so that drawing and hit testing agree to the pixel.
import type { EditorNote } from '../../editor/score-model';

/** Width of the piano keys on the left and height of the time ruler on top (CSS px). */
export const GUTTER = 60;
export const RULER = 24;
export const PITCHES = 128;

export const MIN_PX_PER_SECOND = 8;
export const MAX_PX_PER_SECOND = 2400;
export const MIN_ROW_HEIGHT = 5;
export const MAX_ROW_HEIGHT = 40;

/** What the roll canvas shows: its size and the content's zoom and scroll offset (CSS px). */
export interface Viewport {
  width: number;
  height: number;
  pxPerSecond: number;
  rowHeight: number;
  scrollX: number;
  scrollY: number;
}

export function timeToX(vp: Viewport, seconds: number): number {
  return GUTTER + seconds * vp.pxPerSecond - vp.scrollX;
}

export function xToTime(vp: Viewport, x: number): number {
  return (x - GUTTER + vp.scrollX) / vp.pxPerSecond;
}

/** The top of the pitch's row. */
export function pitchToY(vp: Viewport, pitch: number): number {
  return RULER + (PITCHES - 1 - pitch) * vp.rowHeight - vp.scrollY;
}

/** The pitch whose row holds y (may be outside 0..127 beyond the ends). */
export function yToPitch(vp: Viewport, y: number): number {
  return PITCHES - 1 - Math.floor((y - RULER + vp.scrollY) / vp.rowHeight);
}

export function clampPitch(pitch: number): number {
  return Math.min(PITCHES - 1, Math.max(0, pitch));
}

/** The seconds shown between the keys and the right edge. */
export function visibleTimes(vp: Viewport): { start: number; end: number } {
  return { start: xToTime(vp, GUTTER), end: xToTime(vp, vp.width) };
}

/** The pitches with a row at least partly visible, low to high. */
export function visiblePitches(vp: Viewport): { low: number; high: number } {
  return { low: clampPitch(yToPitch(vp, vp.height - 1)), high: clampPitch(yToPitch(vp, RULER)) };
}

export type NotePart = 'body' | 'start' | 'end';

/** The piano roll's tools: 1 select, 2 draw, 3 erase. */
export type Tool = 'select' | 'draw' | 'erase';

export interface NoteHit {
  note: EditorNote;
  part: NotePart;
}

/** The edge zone in px: 6, or a third of a short note so that its body stays grabbable. */
function edgeZone(widthPx: number): number {
  return Math.min(6, widthPx / 3);
}

/**
 * The note under (x, y), the top-most (drawn last) first; its start or end edge when the pointer is
 * within a few pixels of it. Selected notes win over others in the same place, since they are what
 * a person means to drag.
 */
export function hitNote(notes: readonly EditorNote[], vp: Viewport, x: number, y: number, selected?: ReadonlySet<string>): NoteHit | null {
  if (x < GUTTER || y < RULER) return null;
  const pitch = yToPitch(vp, y);
  let found: NoteHit | null = null;
  for (let i = notes.length - 1; i >= 0; i--) {
    const n = notes[i]!;
    if (n.pitch !== pitch) continue;
    const x0 = timeToX(vp, n.start);
    const w = Math.max(3, n.duration * vp.pxPerSecond);
    if (x < x0 - 1 || x > x0 + w + 1) continue;
    const zone = edgeZone(w);
    const part: NotePart = x >= x0 + w - zone ? 'end' : x <= x0 + zone && w > 12 ? 'start' : 'body';
    const hit = { note: n, part };
    if (!selected || selected.has(n.id)) return hit;
    found ??= hit;
  }
  return found;
}

const NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'];

/** MIDI pitch → scientific name: 60 → "C4", 61 → "C♯4". */
export function noteName(pitch: number): string {
  return `${NAMES[((pitch % 12) + 12) % 12]}${Math.floor(pitch / 12) - 1}`;
}

export function isBlackKey(pitch: number): boolean {
  const k = ((pitch % 12) + 12) % 12;
  return k === 1 || k === 3 || k === 6 || k === 8 || k === 10;
}

/** The scroll offset (px) that puts pitches low..high in the middle of a view `height` px high. */
export function centerPitchScroll(low: number, high: number, rowHeight: number, height: number): number {
  const mid = (low + high) / 2;
  const y = (PITCHES - 1 - mid + 0.5) * rowHeight;
  const visible = height - RULER;
  return Math.max(0, Math.min(PITCHES * rowHeight - visible, y - visible / 2));
}

/** A time as the editor's clock shows it: "0:12.400". */
export function formatPosition(seconds: number): string {
  const safe = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  const m = Math.floor(safe / 60);
  const s = safe - m * 60;
  return `${m}:${s.toFixed(3).padStart(6, '0')}`;
}
