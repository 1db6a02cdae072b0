import { RunConfigSchema, type RunConfig } from '../../contract/domain/train';
import { StudioError, isStudioError } from '../errors';
import { readJsonFile, writeJsonFile } from '../project/json-file';
import { runPaths } from './paths';

/**
 * The run's config.json, validated. Every failure is RUN_INVALID with one line: no config.json,
 * not JSON, or the first invalid field by name.
 */
export async function readRunConfig(runDir: string): Promise<RunConfig> {
  try {
    return await readJsonFile(runPaths(runDir).config, RunConfigSchema, 'run config');
  } catch (e) {
    if (isStudioError(e) && e.code === 'FILE_NOT_FOUND') {
      throw new StudioError('RUN_INVALID', `${runDir} has no config.json: it is not a run folder (to start a new run there, leave out --resume).`);
    }
    if (isStudioError(e)) throw new StudioError('RUN_INVALID', e.message);
    throw e;
  }
}

/** Validate and replace config.json atomically (BAD_OPTION for an invalid config). */
export async function writeRunConfig(runDir: string, config: RunConfig): Promise<void> {
  await writeJsonFile(runPaths(runDir).config, RunConfigSchema, config, 'run config');
}
