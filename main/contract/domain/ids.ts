import { z } from 'zod';

/** Ids of datasets, runs, documents and renders: safe as one path segment on every OS. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const idSchema = z.string().regex(ID_PATTERN, 'an id is letters, digits, "-" or "_", at most 64');

/** "My Voice (2024)" → "my-voice-2024": a name as a readable id part (may be empty; at most `max`). */
export function slugOf(name: string, max = 48): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/, '');
}
