// Shared by every view's and editor's key handling.

/**
 * Whether a key event's target takes typed text (a text or number field, a text area, a select, an
 * editable element): single-key shortcuts then leave the key to it. Checkboxes, radios, buttons and
 * sliders do not.
 */
export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'range'].includes(target.type);
}
