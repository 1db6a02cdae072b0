import * as path from 'node:path';
import { analyzeFile } from '../../engine/dsp/analyze';
import type { JobContext } from '../job-context';

/** Log-mel of one audio file, written beside it as <name>.mel.npy. */
export async function analyzeJob(input: string, ctx: JobContext): Promise<{ outputPath: string; frames: number; seconds: number }> {
  const parsed = path.parse(path.resolve(input));
  const output = path.join(parsed.dir, `${parsed.name}.mel.npy`);
  const result = await analyzeFile(input, output, { onProgress: ctx.progress, signal: ctx.signal });
  return { outputPath: result.outputPath, frames: result.frames, seconds: result.seconds };
}
