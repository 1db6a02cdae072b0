// "Show path": the path goes to the clipboard, and in the desktop app the file is shown in the
// file manager when the preload offers a way (a `fs.reveal({ path })` call; the contract has none
// yet, so until it does the path is shown and copied, as in browser mode).

type Reveal = (args: { path: string }) => Promise<unknown>;

/** The desktop app's "show in folder", when the preload exposes one. */
export function nativeReveal(): Reveal | null {
  const studio = window.studio as unknown as Record<string, Record<string, unknown> | undefined> | undefined;
  const fn = studio?.fs?.reveal;
  return typeof fn === 'function' ? (fn as Reveal) : null;
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
