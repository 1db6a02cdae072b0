import { describeError, isStudioError } from '../engine/errors';

/** A person sees one line and a non-zero exit, never a stack (set WAVENET_DEBUG=1 for one). */
export function failAndExit(e: unknown): never {
  process.stderr.write(`error: ${describeError(e)}\n`);
  if (process.env.WAVENET_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exit(isStudioError(e) && e.code === 'CANCELLED' ? 130 : 1);
}
