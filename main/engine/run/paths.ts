import * as path from 'node:path';

/** Every path of a run folder (runs/<id>/), in one place. */
export interface RunPaths {
  dir: string;
  /** config.json: the model and training configuration (RunConfig). */
  config: string;
  /** metrics.jsonl: one MetricsRecord per logged step. */
  metrics: string;
  /** checkpoints/<step>/{model.onnx, optimizer.bin, state.json}. */
  checkpoints: string;
  /** samples/<step>.wav rendered during training, and samples/source.wav. */
  samples: string;
  /** samples/source.wav: the clip that conditions the training samples. */
  sourceSample: string;
  /** train.lock: {pid, hostname, startedAt} while a process trains the run. */
  lock: string;
}

export const CHECKPOINT_FILES = { model: 'model.onnx', optimizer: 'optimizer.bin', state: 'state.json' } as const;

export function runPaths(runDir: string): RunPaths {
  const samples = path.join(runDir, 'samples');
  return {
    dir: runDir,
    config: path.join(runDir, 'config.json'),
    metrics: path.join(runDir, 'metrics.jsonl'),
    checkpoints: path.join(runDir, 'checkpoints'),
    samples,
    sourceSample: path.join(samples, 'source.wav'),
    lock: path.join(runDir, 'train.lock'),
  };
}

/** checkpoints/<step>/ */
export function checkpointPath(runDir: string, step: number): string {
  return path.join(runPaths(runDir).checkpoints, String(step));
}

/** samples/<step>.wav */
export function samplePath(runDir: string, step: number): string {
  return path.join(runPaths(runDir).samples, `${step}.wav`);
}
