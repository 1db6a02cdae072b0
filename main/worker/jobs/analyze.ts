import * as path from 'node:path';
import { analyzeFile } from '../../engine/dsp/analyze';
import type { JobDefinition } from '../job-context';

/** Log-mel of one audio file, written beside it as <name>.mel.npy. */
export const analyzeJob: JobDefinition<'analyze'> = {
  kind: 'analyze',
  async run(request, ctx) {
    const parsed = path.parse(path.resolve(request.input));
    const output = path.join(parsed.dir, `${parsed.name}.mel.npy`);
    const result = await analyzeFile(request.input, output, {
      signal: ctx.signal,
      onProgress: (phase, done, total, figures) => ctx.progress({ phase, done, total, figures }),
    });
    return { outputPath: result.outputPath, frames: result.frames, seconds: result.seconds };
  },
};
