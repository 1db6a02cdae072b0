// Canvas helpers for the file inspector: a canvas kept at its CSS size × devicePixelRatio and
// redrawn when it resizes, theme colours read from the CSS variables, and the perceptual colour map.
import { onBeforeUnmount, onMounted, watch, type Ref, type WatchSource } from 'vue';
import { mapColour } from '../../mel/heatmap';

export type Draw = (ctx: CanvasRenderingContext2D, width: number, height: number) => void;

/** Draws into `canvas` at device resolution now, on resize, and whenever a source changes. */
export function useCanvas(canvas: Ref<HTMLCanvasElement | null>, draw: Draw, sources: WatchSource[]): () => void {
  let observer: ResizeObserver | null = null;
  let pending = 0;

  function paint(): void {
    pending = 0;
    const el = canvas.value;
    if (!el) return;
    const dpr = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(el.clientWidth * dpr));
    const height = Math.max(1, Math.round(el.clientHeight * dpr));
    if (el.width !== width || el.height !== height) {
      el.width = width;
      el.height = height;
    }
    const ctx = el.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, width, height);
    draw(ctx, width, height);
  }

  function schedule(): void {
    if (!pending) pending = requestAnimationFrame(paint);
  }

  onMounted(() => {
    observer = new ResizeObserver(schedule);
    if (canvas.value) observer.observe(canvas.value);
    paint();
  });
  onBeforeUnmount(() => {
    observer?.disconnect();
    if (pending) cancelAnimationFrame(pending);
  });
  watch(sources, schedule);
  return schedule;
}

/** A CSS variable of the theme (e.g. '--accent'), as the browser resolves it now. */
export function themeColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/** 256 RGB triplets of the colour map, flat: the mel sheet's map, so a spectrogram looks the same everywhere. */
export const COLOR_MAP: Uint8ClampedArray = (() => {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) lut.set(mapColour(i / 255), i * 3);
  return lut;
})();

/** The seek position for a click on an element, as a fraction 0..1 of its width. */
export function fractionAt(event: MouseEvent): number {
  const el = event.currentTarget as HTMLElement;
  const rect = el.getBoundingClientRect();
  return rect.width > 0 ? Math.max(0, Math.min(1, (event.clientX - rect.left) / rect.width)) : 0;
}
