import { promises as fs } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { loadDataset, sampleBatch, validationBatches, type Dataset, type SkippedFile } from '../dataset/index';
import { loadProjectDataset } from '../dataset/import/index';
import type { DeviceChoice } from '../../contract/domain/model';
import type { MetricsRecord } from '../../contract/domain/train';
import { StudioError } from '../errors';
import type { WaveNetConfig } from '../model/config';
import { lossGraph } from '../model/graphs';
import { initialParams, paramCount, paramSpecs } from '../model/params';
import { openSession, shortReason, type Device } from '../runtime/session';
import { latestCheckpoint } from '../run/checkpoints';
import { readRunConfig, writeRunConfig } from '../run/config';
import { acquireLock, releaseLock } from '../run/lock';
import { appendMetrics, truncateMetrics } from '../run/metrics';
import { runPaths } from '../run/paths';
import { Random } from '../util/random';
import { loadCheckpoint, saveCheckpoint, type TrainingState } from './checkpoint';
import { batchFeeds } from './feeds';
import { renderTrainingSample, SAMPLE_DEVICE } from './samples';
import { TrainStep } from './step';
import type { RunConfig } from './options';
import { biasCorrected, learningRate } from './schedule';
import { makeFolder } from '../util/folders';

export const NATS_PER_BIT = Math.LN2;

export type TrainPhase = 'loading' | 'compiling' | 'training' | 'validating' | 'checkpoint' | 'sample' | 'done';

export interface TrainProgress {
  phase: TrainPhase;
  step: number;
  steps: number;
  /** Loading: files decoded so far / total. */
  done?: number;
  total?: number;
  trainLoss?: number;
  valLoss?: number;
  lr?: number;
  samplesPerSec?: number;
  etaSeconds?: number;
}

export interface TrainSettings {
  runDir: string;
  /** A new run's config; ignored on resume (the run folder's config.json is used). */
  config?: RunConfig;
  resume: boolean;
  /** On resume: train up to this many steps instead of the saved count. */
  steps?: number;
  /** On resume: run on this device instead of the saved one (e.g. after a GPU failed). */
  device?: DeviceChoice;
  onProgress?: (p: TrainProgress) => void;
  onLog?: (line: string) => void;
  signal?: AbortSignal;
  /** Called between steps: resolves when training may go on (the app's pause holds it here). */
  waitWhilePaused?: () => Promise<void>;
}

export interface TrainSummary {
  runDir: string;
  device: Device;
  startStep: number;
  step: number;
  trainLoss: number | null;
  valLoss: number | null;
  lastCheckpoint: string | null;
  skipped: SkippedFile[];
  seconds: number;
  cancelled: boolean;
}

export type { MetricsRecord };

/** Read (resume) or write (new run) the run's config, and take its train.lock for this process. */
async function prepareRun(s: TrainSettings): Promise<RunConfig> {
  if (s.resume) {
    const cfg = await readRunConfig(s.runDir);
    await acquireLock(s.runDir);
    // A longer (or shorter) run is the run's new goal: its status and any later resume go by it.
    if (s.steps && s.steps !== cfg.training.steps) {
      cfg.training.steps = s.steps;
      await writeRunConfig(s.runDir, cfg);
    }
    if (s.device) cfg.training.device = s.device;
    return cfg;
  }
  if (!s.config) throw new StudioError('BAD_OPTION', 'A new run needs a model and training configuration.');
  if (await latestCheckpoint(s.runDir)) {
    throw new StudioError('RUN_INVALID', `${s.runDir} already holds a run: add --resume to continue it, or choose another --run folder.`);
  }
  await makeFolder(s.runDir);
  await acquireLock(s.runDir);
  try {
    await writeRunConfig(s.runDir, s.config);
    await fs.rm(runPaths(s.runDir).metrics, { force: true });
  } catch (e) {
    await releaseLock(s.runDir);
    throw e;
  }
  return s.config;
}

/**
 * An execution provider failing mid-run (a GPU lost, out of memory, a driver error) as one line:
 * what failed, that the last checkpoint is safe, and the command that resumes on another device.
 */
function deviceFailed(device: Device, what: string, lastCheckpoint: string | null, runDir: string, e: unknown): StudioError {
  const dir = /\s/.test(runDir) ? `"${runDir}"` : runDir;
  const resume = `wavenet-studio train --run ${dir} --resume${device === 'cpu' ? '' : ' --device cpu'}`;
  const kept = lastCheckpoint ? `the last checkpoint (${lastCheckpoint}) is safe` : 'no checkpoint was written yet, the run\'s config is kept';
  return new StudioError('DEVICE_FAILED', `The ${device} device failed during ${what} (${shortReason(e)}); ${kept}: resume${device === 'cpu' ? '' : ' on another device'} with \`${resume}\`.`);
}

function checkData(ds: Dataset, cfg: WaveNetConfig): void {
  if (ds.featureBins !== cfg.conditionBins) {
    throw new StudioError('BAD_OPTION', `The data has ${ds.featureBins} feature bins but the model expects ${cfg.conditionBins}: use the same --condition.`);
  }
}

/**
 * Train (or resume) a run: random hop-aligned segments, one graph per step, validation on held-out
 * files, metrics.jsonl per logged step, and atomic checkpoints often enough that a crash loses at
 * most `checkpointEvery` steps or `checkpointSeconds` of work.
 */
export async function train(s: TrainSettings): Promise<TrainSummary> {
  const started = performance.now();
  const run = await prepareRun(s);
  // Sessions (and the step's worker threads) close however training ends: a thread left open
  // would keep a CLI process alive after a failure, and hold its memory in the app's engine.
  const closers: (() => Promise<void>)[] = [];
  try {
    return await trainLocked(s, run, started, closers);
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await releaseLock(s.runDir);
  }
}

async function trainLocked(s: TrainSettings, run: RunConfig, started: number, closers: (() => Promise<void>)[]): Promise<TrainSummary> {
  const log = s.onLog ?? (() => undefined);
  const { model: cfg, training: opt } = run;
  const steps = opt.steps;
  const progress = (p: Omit<TrainProgress, 'steps'>): void => s.onProgress?.({ ...p, steps });

  progress({ phase: 'loading', step: 0 });
  const onLoad = (done: number, total: number): void => progress({ phase: 'loading', step: 0, done, total });
  // A project dataset trains from its import's cache, with the split its manifest (and the Datasets view) shows.
  const ds = run.data.project && run.data.dataset
    ? await loadProjectDataset(run.data.project, run.data.dataset, {
      expect: { sampleRate: cfg.sampleRate, hop: cfg.hop, condition: cfg.condition }, classNames: cfg.globalClasses > 0 ? cfg.classNames : [], signal: s.signal, onProgress: onLoad,
    })
    : await loadDataset(run.data.folders, {
      sampleRate: cfg.sampleRate, hop: cfg.hop, condition: cfg.condition, valFraction: opt.valFraction, signal: s.signal, onProgress: onLoad,
    });
  checkData(ds, cfg);
  for (const k of ds.skipped) log(`skipped ${k.path}: ${k.reason}`);

  progress({ phase: 'compiling', step: 0 });
  const shape = { batch: opt.batch, length: opt.length };
  const trainSession = await TrainStep.open(cfg, shape, opt, { device: opt.device, threads: opt.threads, onFallback: log });
  closers.push(() => trainSession.release());
  const lossSessions = new Map<number, ort.InferenceSession>();
  closers.push(async () => {
    for (const sess of lossSessions.values()) await sess.release();
  });
  const lossSession = async (batch: number): Promise<ort.InferenceSession> => {
    let sess = lossSessions.get(batch);
    if (!sess) {
      sess = (await openSession(lossGraph(cfg, { batch, length: opt.length }), { device: trainSession.device, threads: opt.threads })).session;
      lossSessions.set(batch, sess);
    }
    return sess;
  };

  const specs = paramSpecs(cfg);
  const P = paramCount(specs);
  let state: TrainingState;
  const resumeFrom = s.resume ? ((await latestCheckpoint(s.runDir))?.path ?? null) : null;
  if (resumeFrom) {
    state = await loadCheckpoint(resumeFrom);
    if (state.theta.length !== P) throw new StudioError('RUN_INVALID', `The checkpoint in ${resumeFrom} does not match the run's model config.`);
    await truncateMetrics(s.runDir, state.step);
    log(`resuming from step ${state.step} (${resumeFrom})`);
  } else {
    state = {
      step: 0, theta: initialParams(specs, opt.seed), m: new Float32Array(P), v: new Float32Array(P),
      rngState: new Random(opt.seed ^ 0x5eed).snapshot, samplesSeen: 0, trainLoss: null, valLoss: null,
    };
  }
  const startStep = state.step;
  const rng = Random.fromSnapshot(state.rngState);
  const valSet = validationBatches(ds, opt.batch, opt.length);

  /** Runs work on a device (the run's unless told); its failure ends the job with deviceFailed's line. */
  const onDevice = async <T>(what: string, work: () => Promise<T>, device: Device = trainSession.device): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      if (e instanceof StudioError) throw e;
      throw deviceFailed(device, what, lastCheckpoint, s.runDir, e);
    }
  };

  const validate = async (): Promise<number | null> => {
    if (valSet.length === 0) return null;
    progress({ phase: 'validating', step: state.step });
    let total = 0;
    let count = 0;
    for (const b of valSet) {
      const sess = await lossSession(b.batch);
      const out = await onDevice(`validation at step ${state.step}`, () => sess.run({ ...batchFeeds(b, cfg.conditionBins, cfg.globalClasses), theta: new ort.Tensor('float32', state.theta, [P]) }));
      total += Number(out.loss!.data[0]) * b.batch;
      count += b.batch;
    }
    return total / count;
  };

  let lastCheckpoint: string | null = resumeFrom;
  let lastSave = performance.now();
  const checkpoint = async (): Promise<void> => {
    progress({ phase: 'checkpoint', step: state.step });
    state.rngState = rng.snapshot;
    lastCheckpoint = await saveCheckpoint(s.runDir, cfg, state, { keep: opt.keepCheckpoints, keepBest: opt.keepBest ?? true });
    lastSave = performance.now();
  };
  const sample = async (): Promise<void> => {
    progress({ phase: 'sample', step: state.step });
    const t0 = performance.now();
    const made = await onDevice(`the sample at step ${state.step}`, () => renderTrainingSample(s.runDir, cfg, state.theta, ds, { step: state.step, seconds: opt.sampleSeconds }), SAMPLE_DEVICE);
    if (made) log(`sample at step ${state.step}: ${made.path} (${made.seconds.toFixed(1)} s of audio in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  };

  let window = { loss: 0, norm: 0, n: 0, seconds: 0 };
  let stepSeconds = 0;
  let cancelled = false;
  while (state.step < steps) {
    if (s.waitWhilePaused) await s.waitWhilePaused();
    if (s.signal?.aborted) {
      cancelled = true;
      break;
    }
    const t0 = performance.now();
    const batch = sampleBatch(ds, rng, opt.batch, opt.length);
    const { lr, eps } = biasCorrected(learningRate({ peak: opt.learningRate, warmupSteps: opt.warmupSteps, totalSteps: steps, floor: 0.05 }, state.step), opt.eps, opt.beta1, opt.beta2, state.step);
    const out = await onDevice(`training step ${state.step + 1}`, () => trainSession.run(batchFeeds(batch, cfg.conditionBins, cfg.globalClasses), state, lr, eps));
    const loss = out.loss;
    if (!Number.isFinite(loss)) {
      throw new StudioError('RUN_DIVERGED', `Training diverged at step ${state.step + 1} (loss is not finite): resume with a lower learning rate; the last checkpoint is intact.`);
    }
    state.theta = out.theta;
    state.m = out.m;
    state.v = out.v;
    state.step += 1;
    state.samplesSeen += opt.batch * opt.length;
    state.trainLoss = loss;
    const dt = (performance.now() - t0) / 1000;
    // The first step includes ONNX Runtime's one-time allocations; keep it out of the ETA.
    stepSeconds = state.step === startStep + 1 ? dt : stepSeconds === 0 ? dt : 0.9 * stepSeconds + 0.1 * dt;
    window = { loss: window.loss + loss, norm: window.norm + out.gradNorm, n: window.n + 1, seconds: window.seconds + dt };

    const validateNow = state.step % opt.validateEvery === 0 || state.step === steps;
    const val = validateNow ? await validate() : null;
    if (val !== null) state.valLoss = val;
    if (state.step % opt.logEvery === 0 || validateNow) {
      const rec: MetricsRecord = {
        step: state.step,
        train_loss: window.loss / window.n,
        train_bits: window.loss / window.n / NATS_PER_BIT,
        ...(val !== null ? { val_loss: val, val_bits: val / NATS_PER_BIT } : {}),
        lr: learningRate({ peak: opt.learningRate, warmupSteps: opt.warmupSteps, totalSteps: steps, floor: 0.05 }, state.step - 1),
        grad_norm: window.norm / window.n,
        samples_per_sec: (window.n * opt.batch * opt.length) / window.seconds,
        time: new Date().toISOString(),
      };
      await appendMetrics(s.runDir, rec);
      window = { loss: 0, norm: 0, n: 0, seconds: 0 };
    }
    progress({
      phase: 'training', step: state.step, trainLoss: loss, valLoss: state.valLoss ?? undefined, lr,
      samplesPerSec: (opt.batch * opt.length) / Math.max(1e-9, stepSeconds), etaSeconds: (steps - state.step) * stepSeconds,
    });
    if (state.step % opt.checkpointEvery === 0 || (performance.now() - lastSave) / 1000 > opt.checkpointSeconds) await checkpoint();
    if (opt.sampleEvery > 0 && state.step % opt.sampleEvery === 0) await sample();
  }
  if (state.step > startStep || !lastCheckpoint) await checkpoint();
  progress({ phase: 'done', step: state.step });
  return {
    runDir: s.runDir, device: trainSession.device, startStep, step: state.step, trainLoss: state.trainLoss, valLoss: state.valLoss,
    lastCheckpoint, skipped: ds.skipped, seconds: (performance.now() - started) / 1000, cancelled,
  };
}
