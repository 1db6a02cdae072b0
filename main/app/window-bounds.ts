import { promises as fs } from 'node:fs';
import { writeFileAtomic } from '../engine/util/atomic';

/** A rectangle in screen coordinates (Electron's Rectangle, without importing Electron). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Position and size; no position means "let the OS centre it". */
  bounds: { width: number; height: number; x?: number; y?: number };
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { bounds: { width: 1280, height: 800 }, maximized: false };
const MIN_WIDTH = 640;
const MIN_HEIGHT = 420;
/** How much of the title bar must lie on a display for the window to be reachable there. */
const MIN_VISIBLE = 48;

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Parses the stored JSON; anything malformed yields null (the caller falls back to defaults). */
export function parseWindowState(text: string): WindowState | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const { bounds, maximized } = raw as { bounds?: unknown; maximized?: unknown };
  if (typeof bounds !== 'object' || bounds === null) return null;
  const { x, y, width, height } = bounds as Record<string, unknown>;
  if (!isFiniteNumber(width) || !isFiniteNumber(height) || width < MIN_WIDTH || height < MIN_HEIGHT) return null;
  const state: WindowState = { bounds: { width: Math.round(width), height: Math.round(height) }, maximized: maximized === true };
  if (isFiniteNumber(x) && isFiniteNumber(y)) {
    state.bounds.x = Math.round(x);
    state.bounds.y = Math.round(y);
  }
  return state;
}

/** True when a strip of the window's top edge (where the title bar is) lies on some display. */
export function isOnSomeDisplay(bounds: Rect, displays: Rect[]): boolean {
  const strip = { x: bounds.x, y: bounds.y, width: bounds.width, height: Math.min(bounds.height, MIN_VISIBLE) };
  return displays.some((d) => {
    const w = Math.min(strip.x + strip.width, d.x + d.width) - Math.max(strip.x, d.x);
    const h = Math.min(strip.y + strip.height, d.y + d.height) - Math.max(strip.y, d.y);
    return w >= MIN_VISIBLE && h >= Math.min(MIN_VISIBLE, strip.height);
  });
}

/**
 * The state to open the window with: the stored one when its position is on a display that is
 * connected now; otherwise its size (shrunk to fit the largest display) without a position, so a
 * window last seen on an unplugged monitor opens centred on one that exists.
 */
export function restoreWindowState(stored: WindowState | null, displays: Rect[]): WindowState {
  if (!stored) return { ...DEFAULT_WINDOW_STATE, bounds: { ...DEFAULT_WINDOW_STATE.bounds } };
  const { x, y, width, height } = stored.bounds;
  if (x !== undefined && y !== undefined && isOnSomeDisplay({ x, y, width, height }, displays)) {
    return { bounds: { x, y, width, height }, maximized: stored.maximized };
  }
  const largest = displays.reduce<Rect | null>((best, d) => (!best || d.width * d.height > best.width * best.height ? d : best), null);
  return {
    bounds: {
      width: largest ? Math.max(MIN_WIDTH, Math.min(width, largest.width)) : width,
      height: largest ? Math.max(MIN_HEIGHT, Math.min(height, largest.height)) : height,
    },
    maximized: stored.maximized,
  };
}

/** Reads the stored state; a missing or corrupt file reads as null. */
export async function readWindowState(file: string): Promise<WindowState | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return null;
  }
  return parseWindowState(text);
}

/** Replaces the stored state atomically, so a crash while saving never leaves a torn file. */
export async function writeWindowState(file: string, state: WindowState): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}
