import { z } from 'zod';

/** Ids of datasets, runs, documents and renders: safe as one path segment on every OS. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const idSchema = z.string().regex(ID_PATTERN, 'an id is letters, digits, "-" or "_", at most 64');

/**
 * A new id that sorts by creation time: zero-padded base-36 milliseconds and a random suffix. Here,
 * with the Web Crypto every runtime of the app has (node, Electron, the page), so the engine's ids
 * and the page's render ids are made by one function.
 */
export function newId(now: Date = new Date()): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(4));
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${now.getTime().toString(36).padStart(9, '0')}-${hex}`;
}

/** "My Voice (2024)" → "my-voice-2024": a name as a readable id part (may be empty; at most `max`). */
export function slugOf(name: string, max = 48): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/, '');
}
