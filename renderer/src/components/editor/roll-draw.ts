// Drawing the piano roll and its velocity lane on a 2D canvas: only what the viewport shows (rows,
// grid lines and notes outside it cost a comparison each), grid lines batched into one path per
// kind, colours read from the theme once and refreshed when the theme changes.
import type { EditorNote } from '../../editor/score-model';
import { barBeats, secondsPerBeat, type TimeSignature } from '../../editor/snap';
import {
  GUTTER,
  RULER,
  isBlackKey,
  noteName,
  pitchToY,
  timeToX,
  visiblePitches,
  visibleTimes,
  type Viewport,
} from './roll-geometry';

export interface Palette {
  bg: string;
  rowBlack: string;
  rowLine: string;
  octaveLine: string;
  sub: string;
  beat: string;
  bar: string;
  note: string;
  noteBorder: string;
  selected: string;
  selectedBorder: string;
  noteText: string;
  ruler: string;
  rulerText: string;
  keyWhite: string;
  keyBlack: string;
  keyText: string;
  keyPressed: string;
  playhead: string;
  loop: string;
  loopBand: string;
  box: string;
  boxFill: string;
  border: string;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

/** The roll's colours from the theme's CSS variables (light or dark, as the system says). */
export function readPalette(): Palette {
  const style = getComputedStyle(document.documentElement);
  const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
  const accent = cssVar(style, '--accent', '#2f63c9');
  return {
    bg: cssVar(style, '--bg-raised', '#ffffff'),
    rowBlack: dark ? 'rgba(0,0,0,0.22)' : 'rgba(30,40,60,0.06)',
    rowLine: dark ? 'rgba(255,255,255,0.04)' : 'rgba(30,40,60,0.05)',
    octaveLine: dark ? 'rgba(255,255,255,0.12)' : 'rgba(30,40,60,0.16)',
    sub: dark ? 'rgba(255,255,255,0.035)' : 'rgba(30,40,60,0.05)',
    beat: dark ? 'rgba(255,255,255,0.08)' : 'rgba(30,40,60,0.11)',
    bar: dark ? 'rgba(255,255,255,0.22)' : 'rgba(30,40,60,0.30)',
    note: accent,
    noteBorder: dark ? 'rgba(0,0,0,0.55)' : 'rgba(10,30,80,0.55)',
    selected: dark ? '#f2b24c' : '#e8912a',
    selectedBorder: dark ? '#fff3d6' : '#6b3a00',
    noteText: dark ? '#0f1420' : '#ffffff',
    ruler: cssVar(style, '--bg-sunken', '#e9ebef'),
    rulerText: cssVar(style, '--text-muted', '#5b6270'),
    keyWhite: dark ? '#d9dce2' : '#fbfbfc',
    keyBlack: dark ? '#15171b' : '#2a2d33',
    keyText: '#5b6270',
    keyPressed: accent,
    playhead: cssVar(style, '--danger', '#c0392b'),
    loop: dark ? 'rgba(108,156,240,0.10)' : 'rgba(47,99,201,0.08)',
    loopBand: dark ? 'rgba(108,156,240,0.55)' : 'rgba(47,99,201,0.45)',
    box: accent,
    boxFill: dark ? 'rgba(108,156,240,0.14)' : 'rgba(47,99,201,0.10)',
    border: cssVar(style, '--border', '#d3d7de'),
  };
}

/** Opacity steps that show velocity (a path each). */
const VELOCITY_STEPS = 8;

export interface RollScene {
  notes: readonly EditorNote[];
  selection: ReadonlySet<string>;
  tempo: number;
  timeSignature: TimeSignature;
  /** The snap grid in seconds (null: snap off — the grid then shows sixteenths). */
  gridSeconds: number | null;
  playhead: number;
  loop: { start: number; end: number } | null;
  loopOn: boolean;
  /** Rubber band in canvas px. */
  box: { x0: number; y0: number; x1: number; y1: number } | null;
  pressedKey: number | null;
  hoverPitch: number | null;
}

/** Grid lines at multiples of `step` seconds within [t0, t1], as one path. */
function gridPath(ctx: CanvasRenderingContext2D, vp: Viewport, step: number, t0: number, t1: number, top: number, bottom: number, skip?: number): void {
  ctx.beginPath();
  const first = Math.max(0, Math.floor(t0 / step));
  const last = Math.ceil(t1 / step);
  for (let k = first; k <= last; k++) {
    const t = k * step;
    if (skip !== undefined && Math.abs(t / skip - Math.round(t / skip)) < 1e-6) continue;
    const x = Math.round(timeToX(vp, t)) + 0.5;
    ctx.moveTo(x, top);
    ctx.lineTo(x, bottom);
  }
}

/** The multiple of `bar` seconds between bar numbers so that labels keep ~48 px apart. */
function barLabelEvery(barPx: number): number {
  let every = 1;
  while (every * barPx < 48) every *= 2;
  return every;
}

export function drawRoll(ctx: CanvasRenderingContext2D, vp: Viewport, scene: RollScene, p: Palette): void {
  const { width, height } = vp;
  const { start: t0, end: t1 } = visibleTimes(vp);
  const { low, high } = visiblePitches(vp);
  const rowH = vp.rowHeight;

  ctx.fillStyle = p.bg;
  ctx.fillRect(0, 0, width, height);

  // Rows: black keys shaded, a line under every row, a stronger one under each C.
  ctx.save();
  ctx.beginPath();
  ctx.rect(GUTTER, RULER, width - GUTTER, height - RULER);
  ctx.clip();
  ctx.fillStyle = p.rowBlack;
  for (let pitch = low; pitch <= high; pitch++) {
    if (isBlackKey(pitch)) ctx.fillRect(GUTTER, pitchToY(vp, pitch), width - GUTTER, rowH);
  }
  if (rowH >= 8) {
    ctx.strokeStyle = p.rowLine;
    ctx.beginPath();
    for (let pitch = low; pitch <= high; pitch++) {
      const y = Math.round(pitchToY(vp, pitch) + rowH) - 0.5;
      ctx.moveTo(GUTTER, y);
      ctx.lineTo(width, y);
    }
    ctx.stroke();
  }
  ctx.strokeStyle = p.octaveLine;
  ctx.beginPath();
  for (let pitch = low; pitch <= high; pitch++) {
    if (pitch % 12 !== 0) continue;
    const y = Math.round(pitchToY(vp, pitch) + rowH) - 0.5;
    ctx.moveTo(GUTTER, y);
    ctx.lineTo(width, y);
  }
  ctx.stroke();

  // Time grid: snap steps, beats, bars — each drawn only when its lines stand far enough apart.
  const beat = secondsPerBeat(scene.tempo);
  const bar = beat * barBeats(scene.timeSignature);
  const sub = scene.gridSeconds ?? beat / 4;
  ctx.lineWidth = 1;
  if (sub * vp.pxPerSecond >= 6 && Math.abs(sub - beat) > 1e-9) {
    ctx.strokeStyle = p.sub;
    gridPath(ctx, vp, sub, t0, t1, RULER, height, beat);
    ctx.stroke();
  }
  if (beat * vp.pxPerSecond >= 5) {
    ctx.strokeStyle = p.beat;
    gridPath(ctx, vp, beat, t0, t1, RULER, height, bar);
    ctx.stroke();
  }
  const barEvery = bar * vp.pxPerSecond >= 4 ? 1 : barLabelEvery(bar * vp.pxPerSecond);
  ctx.strokeStyle = p.bar;
  gridPath(ctx, vp, bar * barEvery, t0, t1, RULER, height);
  ctx.stroke();

  if (scene.loop && scene.loopOn) {
    const x0 = timeToX(vp, scene.loop.start);
    const x1 = timeToX(vp, scene.loop.end);
    ctx.fillStyle = p.loop;
    ctx.fillRect(x0, RULER, x1 - x0, height - RULER);
  }

  // Notes, culled by time and pitch; unselected first so that selected ones sit on top. One path
  // per pass and velocity step (opacity shows velocity) and one for the borders: a few dozen draw
  // calls for thousands of notes.
  const pps = vp.pxPerSecond;
  const labels = rowH >= 11;
  const h = Math.max(2, rowH - 2);
  ctx.font = `${Math.min(11, rowH - 3)}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  for (let pass = 0; pass < 2; pass++) {
    const wantSelected = pass === 1;
    const fills: (Path2D | null)[] = new Array(VELOCITY_STEPS).fill(null);
    const borders = new Path2D();
    const named: EditorNote[] = [];
    for (const n of scene.notes) {
      if (n.pitch < low || n.pitch > high) continue;
      if (n.start + n.duration < t0 || n.start > t1) continue;
      if (scene.selection.has(n.id) !== wantSelected) continue;
      const x = timeToX(vp, n.start);
      const w = Math.max(3, n.duration * pps);
      const y = pitchToY(vp, n.pitch) + 1;
      const step = Math.min(VELOCITY_STEPS - 1, Math.floor(n.velocity * VELOCITY_STEPS));
      (fills[step] ??= new Path2D()).rect(x, y, w, h);
      if (h >= 5) borders.rect(Math.round(x) + 0.5, Math.round(y) + 0.5, Math.max(1, Math.round(w) - 1), Math.max(1, Math.round(h) - 1));
      if (labels && w > 30) named.push(n);
    }
    ctx.fillStyle = wantSelected ? p.selected : p.note;
    fills.forEach((path, step) => {
      if (!path) return;
      ctx.globalAlpha = 0.5 + (0.5 * (step + 0.5)) / VELOCITY_STEPS;
      ctx.fill(path);
    });
    ctx.globalAlpha = 1;
    if (h >= 5) {
      ctx.strokeStyle = wantSelected ? p.selectedBorder : p.noteBorder;
      ctx.stroke(borders);
    }
    ctx.fillStyle = p.noteText;
    for (const n of named) {
      const x = timeToX(vp, n.start);
      ctx.fillText(noteName(n.pitch), Math.max(x, GUTTER) + 4, pitchToY(vp, n.pitch) + 1 + h / 2 + 0.5, n.duration * pps - 6);
    }
  }

  if (scene.box) {
    const { x0, y0, x1, y1 } = scene.box;
    ctx.fillStyle = p.boxFill;
    ctx.strokeStyle = p.box;
    ctx.setLineDash([4, 3]);
    ctx.fillRect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
    ctx.strokeRect(Math.min(x0, x1) + 0.5, Math.min(y0, y1) + 0.5, Math.abs(x1 - x0), Math.abs(y1 - y0));
    ctx.setLineDash([]);
  }
  ctx.restore();

  drawRuler(ctx, vp, scene, p, bar, barEvery, beat);
  drawKeys(ctx, vp, scene, p, low, high);

  // The playhead, over the ruler and the grid.
  const px = timeToX(vp, scene.playhead);
  if (px >= GUTTER && px <= width) {
    ctx.fillStyle = p.playhead;
    ctx.fillRect(Math.round(px) - 0.5, RULER - 6, 1.5, height - RULER + 6);
    ctx.beginPath();
    ctx.moveTo(px - 5, RULER - 9);
    ctx.lineTo(px + 5, RULER - 9);
    ctx.lineTo(px, RULER - 2);
    ctx.closePath();
    ctx.fill();
  }
}

function drawRuler(ctx: CanvasRenderingContext2D, vp: Viewport, scene: RollScene, p: Palette, bar: number, barEvery: number, beat: number): void {
  const { width } = vp;
  const { start: t0, end: t1 } = visibleTimes(vp);
  ctx.fillStyle = p.ruler;
  ctx.fillRect(GUTTER, 0, width - GUTTER, RULER);
  ctx.save();
  ctx.beginPath();
  ctx.rect(GUTTER, 0, width - GUTTER, RULER);
  ctx.clip();
  if (scene.loop) {
    const x0 = timeToX(vp, scene.loop.start);
    const x1 = timeToX(vp, scene.loop.end);
    ctx.globalAlpha = scene.loopOn ? 1 : 0.35;
    ctx.fillStyle = p.loopBand;
    ctx.fillRect(x0, 2, x1 - x0, 6);
    ctx.globalAlpha = 1;
  }
  ctx.strokeStyle = p.bar;
  const every = barLabelEvery(bar * vp.pxPerSecond);
  gridPath(ctx, vp, bar * Math.max(every, barEvery), t0, t1, RULER - 10, RULER);
  ctx.stroke();
  if (beat * vp.pxPerSecond >= 10) {
    ctx.strokeStyle = p.beat;
    gridPath(ctx, vp, beat, t0, t1, RULER - 4, RULER, bar);
    ctx.stroke();
  }
  ctx.fillStyle = p.rulerText;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'alphabetic';
  const step = bar * every;
  for (let k = Math.max(0, Math.floor(t0 / step)); k * step <= t1; k++) {
    const x = timeToX(vp, k * step);
    ctx.fillText(String(k * every + 1), x + 3, RULER - 6);
  }
  ctx.restore();
  ctx.fillStyle = p.border;
  ctx.fillRect(0, RULER - 1, width, 1);
}

function drawKeys(ctx: CanvasRenderingContext2D, vp: Viewport, scene: RollScene, p: Palette, low: number, high: number): void {
  const rowH = vp.rowHeight;
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, RULER, GUTTER, vp.height - RULER);
  ctx.clip();
  ctx.fillStyle = p.keyWhite;
  ctx.fillRect(0, RULER, GUTTER, vp.height - RULER);
  ctx.font = `${Math.min(10, Math.max(8, rowH - 3))}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  for (let pitch = low; pitch <= high; pitch++) {
    const y = pitchToY(vp, pitch);
    const black = isBlackKey(pitch);
    if (pitch === scene.pressedKey) {
      ctx.fillStyle = p.keyPressed;
      ctx.fillRect(0, y, GUTTER, rowH);
    } else if (black) {
      ctx.fillStyle = p.keyBlack;
      ctx.fillRect(0, y, GUTTER * 0.62, rowH);
    } else if (pitch === scene.hoverPitch) {
      ctx.fillStyle = p.loop;
      ctx.fillRect(0, y, GUTTER, rowH);
    }
    // A line between white keys (under each white key whose neighbour below is white too, and at C/F).
    const k = pitch % 12;
    if (k === 0 || k === 5) {
      ctx.fillStyle = p.octaveLine;
      ctx.fillRect(0, Math.round(y + rowH) - 1, GUTTER, 1);
    }
    const label = k === 0 ? rowH >= 6 : rowH >= 15 && !black;
    if (label) {
      ctx.fillStyle = pitch === scene.pressedKey ? '#ffffff' : p.keyText;
      ctx.fillText(noteName(pitch), GUTTER - 30, y + rowH / 2 + 0.5);
    }
  }
  ctx.restore();
  ctx.fillStyle = p.border;
  ctx.fillRect(GUTTER - 1, RULER, 1, vp.height - RULER);
  ctx.fillStyle = p.ruler;
  ctx.fillRect(0, 0, GUTTER - 1, RULER - 1);
}

export interface LaneScene {
  notes: readonly EditorNote[];
  selection: ReadonlySet<string>;
  playhead: number;
}

/** The velocity lane: one stem per note at its start, as tall as its velocity. */
export function drawLane(ctx: CanvasRenderingContext2D, vp: Viewport, height: number, scene: LaneScene, p: Palette): void {
  const width = vp.width;
  ctx.fillStyle = p.bg;
  ctx.fillRect(0, 0, width, height);
  const { start: t0, end: t1 } = visibleTimes(vp);
  const top = 6;
  const span = height - top - 2;
  ctx.strokeStyle = p.rowLine;
  ctx.beginPath();
  for (const f of [0.25, 0.5, 0.75]) {
    const y = Math.round(top + span * (1 - f)) + 0.5;
    ctx.moveTo(GUTTER, y);
    ctx.lineTo(width, y);
  }
  ctx.stroke();
  ctx.save();
  ctx.beginPath();
  ctx.rect(GUTTER, 0, width - GUTTER, height);
  ctx.clip();
  for (let pass = 0; pass < 2; pass++) {
    const stems = new Path2D();
    for (const n of scene.notes) {
      if (n.start < t0 - 0.01 || n.start > t1) continue;
      if (scene.selection.has(n.id) !== (pass === 1)) continue;
      const x = Math.round(timeToX(vp, n.start));
      const y = top + span * (1 - n.velocity);
      stems.rect(x, y, 2, height - y);
      stems.rect(x - 2, y - 1, 6, 3);
    }
    ctx.fillStyle = pass === 1 ? p.selected : p.note;
    ctx.fill(stems);
  }
  const px = timeToX(vp, scene.playhead);
  if (px >= GUTTER) {
    ctx.fillStyle = p.playhead;
    ctx.fillRect(Math.round(px) - 0.5, 0, 1.5, height);
  }
  ctx.restore();
  ctx.fillStyle = p.ruler;
  ctx.fillRect(0, 0, GUTTER - 1, height);
  ctx.fillStyle = p.rulerText;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  ctx.fillText('Velocity', 6, height / 2);
  ctx.fillStyle = p.border;
  ctx.fillRect(GUTTER - 1, 0, 1, height);
  ctx.fillRect(0, 0, width, 1);
}

/** The velocity a y position in the lane means (0..1). */
export function laneVelocity(y: number, height: number): number {
  const top = 6;
  const span = height - top - 2;
  return Math.min(1, Math.max(0, 1 - (y - top) / span));
}
