import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { StudioError } from '../../engine/errors';
import { generationDevice, IncrementalGenerator } from '../../engine/generate/incremental';
import type { StepEngine } from '../../engine/generate/stream-state';
import { nativeUnavailable } from '../../engine/generate/native-step';
import { renderAudio } from '../../engine/generate/render';
import { autoStreams } from '../../engine/generate/chunks';
import { dilations, preset, type WaveNetConfig } from '../../engine/model/config';
import { initialParams, paramCount, paramSpecs } from '../../engine/model/params';
import { parseDevice, type Device } from '../../engine/runtime/session';
import { TrainStep, type StepState } from '../../engine/train/step';
import { Random } from '../../engine/util/random';
import { numberOption } from '../options';

/** Training samples/s: warm-up steps first (ONNX Runtime's first run allocates), then the mean. */
async function benchTrain(cfg: WaveNetConfig, batch: number, length: number, threads: number, device: Device | 'auto', steps: number): Promise<number> {
  const trainStep = await TrainStep.open(cfg, { batch, length }, { beta1: 0.9, beta2: 0.999, clip: 1 }, { device, threads });
  const P = paramCount(paramSpecs(cfg));
  const rng = new Random(1);
  let state: StepState = { theta: initialParams(paramSpecs(cfg), 1), m: new Float32Array(P), v: new Float32Array(P) };
  const seq = BigInt64Array.from({ length: batch * length }, () => BigInt(rng.int(cfg.quantization)));
  const F = length / cfg.hop;
  const feeds: Record<string, ort.Tensor> = {
    samples: new ort.Tensor('int64', seq, [batch, length]),
    targets: new ort.Tensor('int64', seq, [batch * length]),
  };
  if (cfg.condition !== 'none') feeds.frames = new ort.Tensor('float32', Float32Array.from({ length: batch * F * cfg.conditionBins }, () => rng.normal()), [batch, F, cfg.conditionBins]);
  const step = async (): Promise<void> => {
    state = await trainStep.run(feeds, state, 1e-4, 1e-8);
  };
  try {
    for (let i = 0; i < 2; i++) await step();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await step();
    const seconds = (performance.now() - t0) / 1000;
    return (batch * length * steps) / seconds;
  } finally {
    // Its worker thread would otherwise keep the process alive after a failure.
    await trainStep.release();
  }
}

/** What stepped each generation figure, as the generators said (by stream count). */
const generationEngines = new Map<number, StepEngine>();

/** Generation samples/s (aggregate over streams), sampling included, as a render does it. */
async function benchGenerate(cfg: WaveNetConfig, streams: number, samples: number, device: Device | 'auto'): Promise<number> {
  const flat = initialParams(paramSpecs(cfg), 1);
  const gen = await IncrementalGenerator.create(cfg, flat, { streams, device, threads: 1 });
  generationEngines.set(streams, gen.engine);
  const rng = new Random(2);
  const row = Float32Array.from({ length: dilations(cfg).length * cfg.gate }, () => 0.1 * rng.normal());
  const rngs = Array.from({ length: streams }, (_, n) => new Random(3 + n));
  let t = 0;
  const step = async (): Promise<void> => {
    // A new conditioning row every frame, as a render sets them.
    if (t++ % cfg.hop === 0) for (let n = 0; n < streams; n++) gen.setRow(n, row);
    await gen.draw(1, rngs);
  };
  for (let i = 0; i < 200; i++) await step();
  const t0 = performance.now();
  for (let i = 0; i < samples; i++) await step();
  const seconds = (performance.now() - t0) / 1000;
  await gen.release();
  return (samples * streams) / seconds;
}

/** A figure measured twice (rounded), and the better of the two. */
async function betterOfTwo(measure: () => Promise<number>): Promise<{ best: number; runs: number[] }> {
  const runs = [Math.round(await measure()), Math.round(await measure())];
  return { best: Math.max(...runs), runs };
}

/**
 * Real-time factor of a folded render (all cores, as renders run by default) of `seconds` of
 * conditioning for a preset with untrained weights: speed does not depend on the values.
 */
async function benchFoldedRender(name: string, seconds: number, device: Device | 'auto'): Promise<{ rtf: number; streams: number }> {
  const cfg = preset(name);
  const flat = initialParams(paramSpecs(cfg), 1);
  const rng = new Random(3);
  const count = Math.ceil((seconds * cfg.sampleRate) / cfg.hop);
  const frames = { frames: count, bins: cfg.conditionBins, data: Float32Array.from({ length: count * cfg.conditionBins }, () => rng.normal() - 4) };
  const t0 = performance.now();
  const streams = autoStreams(cfg, count * cfg.hop);
  const r = await renderAudio(cfg, flat, frames, { temperature: 1, seed: 1, streams, device });
  return { rtf: r.audio.length / cfg.sampleRate / ((performance.now() - t0) / 1000), streams };
}

/**
 * The PyTorch anchor script (a WaveNet of the `small` shape timed in PyTorch): `--anchor <file>`,
 * else WAVENET_TORCH_ANCHOR, else none. It is not part of this repository.
 */
export function anchorScript(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = flag || env.WAVENET_TORCH_ANCHOR || undefined;
  if (given === undefined) return undefined;
  const script = path.resolve(given);
  if (!existsSync(script)) {
    const from = flag ? '--anchor' : 'WAVENET_TORCH_ANCHOR';
    throw new StudioError('BAD_OPTION', `${from}: there is no anchor script at ${script}.`);
  }
  return script;
}

/** The PyTorch anchor's figures, when Debian's python3 has torch. */
function torchFigures(script: string): { train: number[]; generate: number[] } | { unavailable: string } {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { unavailable: 'torch is not installed for /usr/bin/python3 (apt-get install -y python3-torch)' };
  const run = (args: string[]): number => {
    const r = spawnSync('/usr/bin/python3', [script, ...args], { encoding: 'utf8', timeout: 600_000 });
    const m = /([\d.]+) samples\/s/.exec(r.stdout ?? '');
    if (!m) throw new Error(`the torch anchor printed no figure: ${(r.stderr ?? '').trim().split('\n').pop()}`);
    return Number(m[1]);
  };
  // Twice each (the caller keeps the better figure): this machine is shared and noisy.
  return { train: [run(['train', '2']), run(['train', '2'])], generate: [run(['gen', '1']), run(['gen', '1'])] };
}

export async function benchCommand(f: { json?: boolean; preset: string; device: string; torch: boolean; anchor?: string; steps?: string; samples?: string }): Promise<void> {
  const cfg = preset(f.preset);
  const device = parseDevice(f.device);
  const steps = numberOption('steps', f.steps, { integer: true, min: 1 }) ?? 5;
  const samples = numberOption('samples', f.samples, { integer: true, min: 1 }) ?? 3000;
  // Checked before minutes of timing, so a mistyped path fails at once.
  const anchor = f.torch ? anchorScript(f.anchor) : undefined;
  if (f.torch && !anchor) {
    // Even with --json: stdout stays the JSON report, and this says why it has no anchor figures.
    process.stderr.write('bench: running without the PyTorch anchor (give --anchor <file> or set WAVENET_TORCH_ANCHOR to compare)\n');
  }
  const say = (s: string): void => {
    if (!f.json) process.stderr.write(`${s}\n`);
  };
  say(`benchmarking ${f.preset} (${paramCount(paramSpecs(cfg)).toLocaleString('en')} parameters) on ${device}…`);
  // The figures compared with the anchor are the better of two runs, as the anchor's are: the same
  // allowance for this noisy machine on both sides. Both runs are reported.
  const train = await betterOfTwo(() => benchTrain(cfg, 4, 8000, 2, device, steps));
  say(`train: ${train.runs.join(' / ')} samples/s`);
  const gen1Runs = await betterOfTwo(() => benchGenerate(cfg, 1, samples, device));
  say(`generate, 1 stream: ${gen1Runs.runs.join(' / ')} samples/s`);
  const gen16Runs = await betterOfTwo(() => benchGenerate(cfg, 16, Math.ceil(samples / 4), device));
  say(`generate, 16 streams: ${gen16Runs.runs.join(' / ')} samples/s`);
  const [trainRate, gen1, gen16] = [train.best, gen1Runs.best, gen16Runs.best];
  const rtfTiny = await benchFoldedRender('tiny', 10, device);
  say(`folded render of 10 s, tiny: ${rtfTiny.rtf.toFixed(2)}× real time`);
  const rtfSmall = await benchFoldedRender('small', 10, device);
  say(`folded render of 10 s, small: ${rtfSmall.rtf.toFixed(2)}× real time`);
  // What stepped the generation figures (on the CPU: the native step where it is built).
  const engines = { one_stream: generationEngines.get(1), streams_16: generationEngines.get(16) };
  const ours = {
    generation_engine: engines,
    ...(generationDevice(device) === 'cpu' && engines.streams_16 !== 'native' ? { native_step_unavailable: nativeUnavailable() } : {}),
    train_samples_per_sec: Math.round(trainRate),
    generate_1_stream_samples_per_sec: Math.round(gen1),
    generate_16_streams_samples_per_sec: Math.round(gen16),
    folded_render_10s_real_time_factor: {
      tiny: Math.round(rtfTiny.rtf * 100) / 100, small: Math.round(rtfSmall.rtf * 100) / 100,
      streams: { tiny: rtfTiny.streams, small: rtfSmall.streams }, workers: os.availableParallelism(),
    },
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    runs: {
      measured: 'the three figures above are the better of these two runs each, as the anchor\'s are the better of its two',
      train_samples_per_sec: train.runs,
      generate_1_stream_samples_per_sec: gen1Runs.runs,
      generate_16_streams_samples_per_sec: gen16Runs.runs,
    },
  };
  let torch: Record<string, unknown> = {
    skipped: f.torch ? 'no anchor script: give --anchor <file> or set WAVENET_TORCH_ANCHOR' : 'run without --no-torch to compare',
  };
  let ratios: Record<string, number> | null = null;
  if (anchor) {
    say('running the PyTorch anchor…');
    const t = torchFigures(anchor);
    if ('unavailable' in t) torch = { unavailable: t.unavailable };
    else {
      const [torchTrain, torchGenerate] = [Math.max(...t.train), Math.max(...t.generate)];
      torch = {
        train_samples_per_sec: torchTrain, generate_1_stream_samples_per_sec: torchGenerate,
        runs: { train_samples_per_sec: t.train, generate_1_stream_samples_per_sec: t.generate },
      };
      const r2 = (x: number): number => Math.round(x * 100) / 100;
      ratios = {
        train: r2(trainRate / torchTrain),
        generate_1_stream: r2(gen1 / torchGenerate),
        generate_16_streams_vs_torch_1_stream: r2(gen16 / torchGenerate),
      };
    }
  }
  const report = {
    preset: f.preset, device, batch: 4, length: 8000, train_threads: 2, generate_threads: 1,
    cpus: os.cpus().length, onnxruntime: ort.env.versions.common,
    wavenet_studio: ours, torch, ratios,
    goals: { train: 1.5, generate_1_stream: 5, generate_16_streams_vs_torch_1_stream: 40, peak_rss_mb: 1000 },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
