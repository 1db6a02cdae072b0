import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../errors';
import { decodeModelFile, type ModelFile } from '../model/model-file';
import { latestCheckpoint } from './checkpoints';
import { CHECKPOINT_FILES } from './paths';

/** Open a model from a model.onnx file or from a run folder (its latest checkpoint's model.onnx). */
export async function openModel(target: string): Promise<ModelFile & { file: string }> {
  let file = target;
  let stat;
  try {
    stat = await fs.stat(target);
  } catch {
    throw new StudioError('FILE_NOT_FOUND', `No model at ${target}: give a run folder or a model.onnx file.`);
  }
  if (stat.isDirectory()) {
    const latest = await latestCheckpoint(target);
    if (!latest) throw new StudioError('RUN_INVALID', `${target} has no checkpoint yet: train it first (wavenet-studio train … --run ${target}).`);
    file = path.join(latest.path, CHECKPOINT_FILES.model);
  }
  const bytes = await fs.readFile(file);
  return { ...decodeModelFile(bytes, path.basename(file)), file };
}
