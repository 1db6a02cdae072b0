import { StudioError } from '../engine/errors';

/** Parse a numeric option with a one-line error naming the option. */
export function numberOption(name: string, raw: string | undefined, opts: { integer?: boolean; min?: number } = {}): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!Number.isFinite(v) || (opts.integer && !Number.isInteger(v)) || (opts.min !== undefined && v < opts.min)) {
    const kind = opts.integer ? 'an integer' : 'a number';
    throw new StudioError('BAD_OPTION', `--${name} must be ${kind}${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}, got "${raw}".`);
  }
  return v;
}
