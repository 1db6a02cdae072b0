import * as path from 'node:path';
import { preset as presetConfig, ConditionKindSchema, withCondition } from '../../engine/model/config';
import { classNamesForFolders } from '../../engine/model/global-class';
import { paramCount, paramSpecs } from '../../engine/model/params';
import { parseDevice } from '../../engine/runtime/session';
import { scanAudioFolder } from '../../engine/dataset/index';
import { StudioError } from '../../engine/errors';
import { defaultTrainOptions, type RunConfig } from '../../engine/train/options';
import { NATS_PER_BIT, train } from '../../engine/train/trainer';
import { numberOption } from '../options';
import { ProgressBar } from '../progress';
import { newId } from '../../engine/project/ids';
import { projectTrainingData } from './dataset';

export interface TrainFlags {
  /** Required unless --project is given (then runs/<new id> of the project). */
  run?: string;
  /** Train on an imported dataset of this project (its cache and split), named by --dataset. */
  project?: string;
  dataset?: string;
  preset: string;
  steps?: string;
  condition: string;
  device: string;
  seed?: string;
  resume?: boolean;
  batch?: string;
  length?: string;
  lr?: string;
  threads?: string;
  checkpointEvery?: string;
  sampleEvery?: string;
  sampleSeconds?: string;
  classPerFolder?: boolean;
}

const fmt = (nats: number | null | undefined): string =>
  nats === null || nats === undefined ? '–' : `${nats.toFixed(3)} nats (${(nats / NATS_PER_BIT).toFixed(3)} bits)/sample`;

export async function trainCommand(folders: string[], f: TrainFlags): Promise<void> {
  if (!f.run && !(f.project && !f.resume)) throw new StudioError('BAD_OPTION', 'Give the run folder with --run <dir> (or train on a project dataset with --project <dir> --dataset <name>).');
  if (f.project && folders.length > 0) throw new StudioError('BAD_OPTION', 'Give audio folders or --project, not both: a project dataset already names its folders.');
  const fromProject = f.project && !f.resume ? await projectTrainingData(f.project, f.dataset) : null;
  const runDir = path.resolve(f.run ?? path.join(fromProject!.projectDir, 'runs', newId()));
  const steps = numberOption('steps', f.steps, { integer: true, min: 1 });
  let config: RunConfig | undefined;
  if (!f.resume) {
    if (folders.length === 0 && !fromProject) throw new StudioError('BAD_OPTION', 'Give at least one audio folder to train on.');
    const condition = ConditionKindSchema.safeParse(f.condition);
    if (!condition.success) throw new StudioError('BAD_OPTION', `--condition must be mel, pianoroll or none, got "${f.condition}".`);
    let model = withCondition(presetConfig(f.preset), condition.data);
    if (fromProject) {
      // The dataset decides what the model is conditioned on, at which rate, and its classes.
      const classes = fromProject.classNames;
      model = { ...withCondition(model, fromProject.condition, fromProject.hop), sampleRate: fromProject.sampleRate, globalClasses: classes.length };
      if (classes.length > 0) model.classNames = classes;
    } else if (f.classPerFolder) {
      if (folders.length < 2) throw new StudioError('BAD_OPTION', '--class-per-folder needs two or more folders, one per class (e.g. one per speaker).');
      model = { ...model, globalClasses: folders.length, classNames: classNamesForFolders(folders) };
    }
    const training = defaultTrainOptions(f.preset);
    training.steps = steps ?? training.steps;
    training.seed = numberOption('seed', f.seed, { integer: true }) ?? training.seed;
    training.batch = numberOption('batch', f.batch, { integer: true, min: 1 }) ?? training.batch;
    training.length = numberOption('length', f.length, { integer: true, min: model.hop }) ?? training.length;
    training.learningRate = numberOption('lr', f.lr, { min: 0 }) ?? training.learningRate;
    training.threads = numberOption('threads', f.threads, { integer: true, min: 0 }) ?? training.threads;
    training.checkpointEvery = numberOption('checkpoint-every', f.checkpointEvery, { integer: true, min: 1 }) ?? training.checkpointEvery;
    training.sampleEvery = numberOption('sample-every', f.sampleEvery, { integer: true, min: 0 }) ?? training.sampleEvery;
    training.sampleSeconds = numberOption('sample-seconds', f.sampleSeconds, { min: 0.05 }) ?? training.sampleSeconds;
    training.device = parseDevice(f.device);
    // A dataset's hop follows its project's rate (551 at 44.1 kHz): keep the default length a whole number of frames.
    if (fromProject && f.length === undefined) training.length = Math.max(1, Math.round(training.length / model.hop)) * model.hop;
    if (training.length % model.hop !== 0) throw new StudioError('BAD_OPTION', `--length must be a multiple of the hop (${model.hop}).`);
    // Fail on a missing or empty folder before anything is printed or created.
    for (const folder of folders) await scanAudioFolder(folder);
    config = {
      schemaVersion: 1, model, training, preset: f.preset, createdAt: new Date().toISOString(),
      data: fromProject
        ? { folders: fromProject.folders, project: fromProject.projectDir, dataset: fromProject.datasetId }
        : { folders: folders.map((d) => path.resolve(d)) },
    };
    process.stderr.write(`${f.preset} WaveNet, ${paramCount(paramSpecs(model)).toLocaleString('en')} parameters, ${model.condition} conditioning → ${runDir}\n`);
  }

  const bar = new ProgressBar('train');
  const controller = new AbortController();
  const stop = (): void => {
    process.stderr.write('\nstopping: saving a checkpoint (press Ctrl+C again to quit now)\n');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', stop);
  const summary = await train({
    runDir, config, resume: Boolean(f.resume), steps, signal: controller.signal,
    onLog: (line) => {
      bar.stop();
      process.stderr.write(`${line}\n`);
    },
    onProgress: (p) => {
      // The file count is known once the folders are scanned; no bar before that.
      if (p.phase === 'loading') {
        if (p.total) bar.update(p.done ?? 0, p.total, 'loading audio');
      } else if (p.phase === 'training') {
        const figs = `loss ${p.trainLoss?.toFixed(3)}${p.valLoss !== undefined ? ` val ${p.valLoss.toFixed(3)}` : ''} | ${Math.round(p.samplesPerSec ?? 0)} samples/s`;
        bar.update(p.step, p.steps, 'training', figs, p.etaSeconds);
      }
    },
  });
  process.removeListener('SIGINT', stop);
  bar.stop();
  const lines = [
    `${summary.cancelled ? 'stopped' : 'finished'} at step ${summary.step} (from ${summary.startStep}) in ${summary.seconds.toFixed(1)} s on ${summary.device}`,
    `train loss ${fmt(summary.trainLoss)}`,
    `validation loss ${fmt(summary.valLoss)}  (8-bit uniform baseline: ${Math.log(256).toFixed(2)} nats/sample)`,
    `checkpoint ${summary.lastCheckpoint ?? '–'}`,
  ];
  if (summary.skipped.length) lines.push(`skipped ${summary.skipped.length} file(s): ${summary.skipped.map((s) => `${path.basename(s.path)} (${s.reason})`).join('; ')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
