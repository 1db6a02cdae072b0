// Drawing the mel editor's canvases: the sheet (from the heatmap tiles, only the visible part,
// scaled by drawImage) with the selection, playhead and brush outline over it; the source's
// waveform; the time ruler; the frequency axis in Hz; the dB legend; the render segment strip.
// Every function draws a whole canvas in device pixels from a view description; none keeps state.
import { frequencyTicks, timeTicks, type WaveformPeaks } from '../../mel/axes';
import type { MelSettings } from '../../../../main/contract/domain/mel';
import { mapColour, type HeatScale, type HeatTile, type TileSurface } from '../../mel/heatmap';

/** A tile as the browser draws it: pixels in an ImageData, published to a canvas. */
export interface CanvasSurface extends TileSurface {
  readonly canvas: HTMLCanvasElement | OffscreenCanvas;
}

/** A tile surface on a canvas of its own (OffscreenCanvas where there is one). */
export function canvasSurface(width: number, height: number): CanvasSurface {
  const canvas: HTMLCanvasElement | OffscreenCanvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(width, height) : Object.assign(document.createElement('canvas'), { width, height });
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx) throw new Error('This browser gives no 2D canvas: the mel sheet cannot be drawn.');
  const image = ctx.createImageData(width, height);
  const pixels = new Uint32Array(image.data.buffer);
  return {
    canvas,
    width,
    height,
    pixels,
    commit(x, y, w, h) {
      ctx.putImageData(image, 0, 0, x, y, w, h);
    },
  };
}

/** Where the sheet is on screen (CSS pixels). */
export interface SheetView {
  frames: number;
  bins: number;
  /** Width and height of the sheet's viewport. */
  width: number;
  height: number;
  pxPerFrame: number;
  pxPerBin: number;
  /** Horizontal scroll (CSS px from frame 0's left edge). */
  scrollLeft: number;
  /** The lowest band position shown at the bottom edge. */
  band0: number;
  /** Seconds per frame (hop / sample rate). */
  secondsPerFrame: number;
}

export function frameX(view: SheetView, frame: number): number {
  return frame * view.pxPerFrame - view.scrollLeft;
}

/** x of time t: frame f is centred on t = f·hop/rate, drawn in the middle of its column. */
export function timeX(view: SheetView, seconds: number): number {
  return (seconds / view.secondsPerFrame + 0.5) * view.pxPerFrame - view.scrollLeft;
}

export function xTime(view: SheetView, x: number): number {
  return ((x + view.scrollLeft) / view.pxPerFrame - 0.5) * view.secondsPerFrame;
}

/** y of the bottom edge of band position b (band b's cell spans [y(b + 1), y(b)]). */
export function bandY(view: SheetView, band: number): number {
  return view.height - (band - view.band0) * view.pxPerBin;
}

export interface Theme {
  bg: string;
  sunken: string;
  border: string;
  text: string;
  muted: string;
  faint: string;
  accent: string;
  ok: string;
  warn: string;
  danger: string;
  font: string;
}

export function readTheme(): Theme {
  const style = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    bg: v('--bg-raised', '#ffffff'),
    sunken: v('--bg-sunken', '#e9ebef'),
    border: v('--border', '#d3d7de'),
    text: v('--text', '#1d2027'),
    muted: v('--text-muted', '#5b6270'),
    faint: v('--text-faint', '#8a909c'),
    accent: v('--accent', '#2f63c9'),
    ok: v('--ok', '#23804a'),
    warn: v('--warn', '#9a6400'),
    danger: v('--danger', '#c0392b'),
    font: v('--font-ui', 'system-ui, sans-serif'),
  };
}

/** Sizes a canvas to its CSS box × devicePixelRatio; returns the 2D context scaled to CSS pixels. */
export function fitCanvas(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(width * dpr));
  const h = Math.max(1, Math.round(height * dpr));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

export interface SheetOverlay {
  selection: { frame0: number; frame1: number; bin0: number; bin1: number } | null;
  playhead: number;
  /** The brush outline at the pointer: centre (frame, band position) and radii in cells. */
  brush: { frame: number; bin: number; radiusFrames: number; radiusBins: number } | null;
}

/** The visible part of the sheet from its tiles, then the selection, playhead and brush outline. */
export function drawSheet(ctx: CanvasRenderingContext2D, view: SheetView, tiles: readonly HeatTile<CanvasSurface>[], overlay: SheetOverlay, theme: Theme): void {
  const { width, height, pxPerFrame, pxPerBin, bins } = view;
  ctx.fillStyle = '#000004';
  ctx.fillRect(0, 0, width, height);
  const visF0 = view.scrollLeft / pxPerFrame;
  const visF1 = visF0 + width / pxPerFrame;
  const ba = Math.max(0, Math.floor(view.band0));
  const bb = Math.min(bins, Math.ceil(view.band0 + height / pxPerBin));
  // Cells are crisp when they are bigger than a pixel; a zoomed-out sheet is smoothed instead of aliased.
  ctx.imageSmoothingEnabled = pxPerFrame < 1;
  ctx.imageSmoothingQuality = 'medium';
  for (const tile of tiles) {
    const fa = Math.max(tile.frame0, Math.floor(visF0));
    const fb = Math.min(tile.frame0 + tile.frames, Math.ceil(visF1));
    if (fb <= fa || bb <= ba) continue;
    ctx.drawImage(tile.surface.canvas, fa - tile.frame0, bins - bb, fb - fa, bb - ba, frameX(view, fa), bandY(view, bb), (fb - fa) * pxPerFrame, (bb - ba) * pxPerBin);
  }

  const sel = overlay.selection;
  if (sel) {
    const x0 = frameX(view, sel.frame0);
    const x1 = frameX(view, sel.frame1);
    const y0 = bandY(view, sel.bin1);
    const y1 = bandY(view, sel.bin0);
    ctx.fillStyle = 'rgb(255 255 255 / 7%)';
    ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 3]);
    ctx.strokeStyle = '#ffffff';
    ctx.strokeRect(Math.round(x0) + 0.5, Math.round(y0) + 0.5, Math.max(0, Math.round(x1 - x0) - 1), Math.max(0, Math.round(y1 - y0) - 1));
    ctx.setLineDash([]);
  }

  const px = timeX(view, overlay.playhead);
  if (px >= -1 && px <= width + 1) {
    ctx.fillStyle = theme.accent;
    ctx.fillRect(Math.round(px) - 1, 0, 2, height);
  }

  const brush = overlay.brush;
  if (brush) {
    const cx = frameX(view, brush.frame + 0.5);
    const cy = bandY(view, brush.bin + 0.5);
    ctx.beginPath();
    ctx.ellipse(cx, cy, Math.max(1, brush.radiusFrames * pxPerFrame), Math.max(1, brush.radiusBins * pxPerBin), 0, 0, 2 * Math.PI);
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = 'rgb(0 0 0 / 55%)';
    ctx.stroke();
    ctx.lineWidth = 1.2;
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
  }
}

/** The source's waveform as min/max columns, the selection's time span and the playhead. */
export function drawWaveform(
  ctx: CanvasRenderingContext2D, view: SheetView, height: number, peaks: WaveformPeaks | null, sampleRate: number,
  overlay: { playhead: number; selection: { frame0: number; frame1: number } | null }, theme: Theme,
): void {
  const width = view.width;
  ctx.fillStyle = theme.sunken;
  ctx.fillRect(0, 0, width, height);
  const sel = overlay.selection;
  if (sel) {
    ctx.fillStyle = theme.accent;
    ctx.globalAlpha = 0.15;
    ctx.fillRect(frameX(view, sel.frame0), 0, (sel.frame1 - sel.frame0) * view.pxPerFrame, height);
    ctx.globalAlpha = 1;
  }
  const mid = height / 2;
  ctx.fillStyle = theme.border;
  ctx.fillRect(0, Math.round(mid), width, 1);
  if (peaks) {
    const dpr = window.devicePixelRatio || 1;
    const columns = Math.max(1, Math.round(width * dpr));
    // Sample s sounds at time s / rate; x of time t is timeX.
    const samplesPerPx = (view.secondsPerFrame * sampleRate) / view.pxPerFrame;
    const start = xTime(view, 0) * sampleRate;
    const cols = peaks.columns(start, samplesPerPx / dpr, columns);
    let peak = 0;
    for (let i = 0; i < cols.length; i++) peak = Math.max(peak, Math.abs(cols[i]!));
    const gain = (mid - 2) / Math.max(0.05, Math.min(1, peak || 1));
    ctx.fillStyle = theme.muted;
    for (let c = 0; c < columns; c++) {
      const lo = cols[2 * c]!;
      const hi = cols[2 * c + 1]!;
      if (lo === 0 && hi === 0) continue;
      const y0 = mid - hi * gain;
      const y1 = mid - lo * gain;
      ctx.fillRect(c / dpr, y0, 1 / dpr, Math.max(1 / dpr, y1 - y0));
    }
  }
  const px = timeX(view, overlay.playhead);
  ctx.fillStyle = theme.accent;
  ctx.fillRect(Math.round(px) - 1, 0, 2, height);
}

/** Time ticks in seconds, with the playhead's marker. */
export function drawRuler(ctx: CanvasRenderingContext2D, view: SheetView, height: number, playhead: number, theme: Theme): void {
  const width = view.width;
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = theme.border;
  ctx.fillRect(0, height - 1, width, 1);
  const pxPerSecond = view.pxPerFrame / view.secondsPerFrame;
  const ticks = timeTicks(Math.max(0, xTime(view, 0)), xTime(view, width), pxPerSecond);
  ctx.font = `11px ${theme.font}`;
  ctx.textBaseline = 'top';
  for (const t of ticks) {
    const x = Math.round(timeX(view, t.at)) + 0.5;
    ctx.fillStyle = t.major ? theme.muted : theme.faint;
    ctx.fillRect(x - 0.5, t.major ? height - 8 : height - 4, 1, t.major ? 8 : 4);
    if (t.label) {
      ctx.fillStyle = theme.muted;
      ctx.fillText(t.label, x + 3, 3);
    }
  }
  const px = timeX(view, playhead);
  ctx.fillStyle = theme.accent;
  ctx.beginPath();
  ctx.moveTo(px - 5, height - 8);
  ctx.lineTo(px + 5, height - 8);
  ctx.lineTo(px, height);
  ctx.closePath();
  ctx.fill();
}

/** The frequency axis: round Hz at their place on the mel scale, right-aligned beside the sheet. */
export function drawFrequencyAxis(ctx: CanvasRenderingContext2D, view: SheetView, width: number, cfg: MelSettings, theme: Theme): void {
  const height = view.height;
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, width, height);
  const ticks = frequencyTicks(cfg, view.band0, view.band0 + height / view.pxPerBin, view.pxPerBin);
  ctx.font = `11px ${theme.font}`;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of ticks) {
    const y = bandY(view, t.at + 0.5);
    if (y < 4 || y > height - 4) continue;
    ctx.fillStyle = theme.muted;
    ctx.fillRect(width - 5, Math.round(y), 5, 1);
    ctx.fillText(t.label.replace(' ', '\u2009'), width - 8, y);
  }
  ctx.textAlign = 'left';
}

/** The colour scale: the map from the scale's bottom to its top, labelled in dB. */
export function drawLegend(ctx: CanvasRenderingContext2D, width: number, height: number, scale: HeatScale, theme: Theme): void {
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, width, height);
  const barX = 4;
  const barW = 10;
  const top = 8;
  const bottom = height - 8;
  for (let y = top; y < bottom; y++) {
    const [r, g, b] = mapColour(1 - (y - top) / Math.max(1, bottom - top - 1));
    ctx.fillStyle = `rgb(${r} ${g} ${b})`;
    ctx.fillRect(barX, y, barW, 1);
  }
  ctx.font = `11px ${theme.font}`;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = theme.muted;
  const step = scale.rangeDb > 80 ? 20 : 10;
  const lo = scale.topDb - scale.rangeDb;
  for (let db = Math.ceil(lo / step) * step; db <= scale.topDb; db += step) {
    const y = bottom - ((db - lo) / scale.rangeDb) * (bottom - top);
    if (y < top - 1 || y > bottom + 1) continue;
    ctx.fillRect(barX + barW, Math.round(y), 3, 1);
    if ((db - Math.ceil(lo / step) * step) % (step * 2) === 0 || step === 20) ctx.fillText(`${db}`, barX + barW + 5, y);
  }
}

export type SegmentState = 'cached' | 'rendering' | 'stale';

export interface SegmentMark {
  /** Seconds. */
  start: number;
  end: number;
  state: SegmentState;
}

/** The render segments as bars along the time axis: cached solid, rendering bright, stale hatched. */
export function drawSegments(ctx: CanvasRenderingContext2D, view: SheetView, height: number, segments: readonly SegmentMark[], theme: Theme): void {
  const width = view.width;
  ctx.fillStyle = theme.sunken;
  ctx.fillRect(0, 0, width, height);
  for (const s of segments) {
    // A segment's edges are sample times: the same x as the playhead at those times.
    const x0 = Math.max(-2, timeX(view, s.start) - view.pxPerFrame / 2);
    const x1 = Math.min(width + 2, timeX(view, s.end) - view.pxPerFrame / 2);
    if (x1 <= 0 || x0 >= width) continue;
    const w = Math.max(1, x1 - x0 - 1);
    if (s.state === 'cached') {
      ctx.fillStyle = theme.ok;
      ctx.fillRect(x0, 1, w, height - 2);
    } else if (s.state === 'rendering') {
      ctx.fillStyle = theme.accent;
      ctx.fillRect(x0, 1, w, height - 2);
    } else {
      ctx.strokeStyle = theme.warn;
      ctx.lineWidth = 1;
      ctx.strokeRect(x0 + 0.5, 1.5, Math.max(0, w - 1), height - 3);
      ctx.save();
      ctx.beginPath();
      ctx.rect(x0, 1, w, height - 2);
      ctx.clip();
      for (let x = x0 - height; x < x0 + w; x += 5) {
        ctx.beginPath();
        ctx.moveTo(x, height);
        ctx.lineTo(x + height, 0);
        ctx.stroke();
      }
      ctx.restore();
    }
  }
}
