// "Show path": the path goes to the clipboard, and in the desktop app the file is also shown in
// the file manager (fs.reveal; browser mode has no file manager of its own to open).
import { api, hasNativeDialogs } from '../../api';

type Reveal = (args: { path: string }) => Promise<unknown>;

/** The desktop app's "show in folder"; null in browser mode. */
export function nativeReveal(): Reveal | null {
  return hasNativeDialogs() ? (args) => api.fs.reveal(args) : null;
}

/** Copies text to the clipboard; false when the browser refuses (no permission, no secure context). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Falls back to a selection copy below.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  focused?.focus();
  return ok;
}
