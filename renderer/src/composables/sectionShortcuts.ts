import { onBeforeUnmount, onMounted } from 'vue';
import type { Router } from 'vue-router';
import { sections } from '../views/sections';

/** True on macOS, where the section shortcuts use Cmd instead of Ctrl. */
export function isMac(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}

/** Ctrl/Cmd+1..5 switch sections, like tabs in a browser or windows in a DAW. */
export function useSectionShortcuts(router: Router): void {
  const mac = isMac();
  function onKeyDown(event: KeyboardEvent): void {
    const modifier = mac ? event.metaKey : event.ctrlKey;
    if (!modifier || event.altKey || event.shiftKey) return;
    const index = Number.parseInt(event.key, 10) - 1;
    const section = Number.isInteger(index) ? sections[index] : undefined;
    if (!section) return;
    event.preventDefault();
    void router.push(section.path);
  }
  onMounted(() => window.addEventListener('keydown', onKeyDown));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeyDown));
}
