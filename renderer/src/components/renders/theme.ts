// The theme's colours for canvas drawing, read once and again when the OS switches between light
// and dark: thumbnails redraw on `themeVersion`, never per frame.
import { ref } from 'vue';

export const themeVersion = ref(0);
let cache: Record<string, string> = {};

if (typeof window !== 'undefined' && typeof window.matchMedia === 'function') {
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    cache = {};
    themeVersion.value++;
  });
}

/** A CSS variable of the theme (e.g. '--accent') as the browser resolves it. */
export function themeColor(name: string, fallback: string): string {
  const known = cache[name];
  if (known !== undefined) return known;
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
  cache[name] = value;
  return value;
}
