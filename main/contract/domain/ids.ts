import { z } from 'zod';

/** Ids of datasets, runs, documents and renders: safe as one path segment on every OS. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const idSchema = z.string().regex(ID_PATTERN, 'an id is letters, digits, "-" or "_", at most 64');
