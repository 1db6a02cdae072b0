import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { MetricsRecord, RunSummary } from '../../contract/domain/train';
import { describeError } from '../../engine/errors';
import { receptiveField, dilations, type WaveNetConfig } from '../../engine/model/config';
import { paramCount, paramSpecs } from '../../engine/model/params';
import { readMetrics } from '../../engine/run/metrics';
import { openModel } from '../../engine/run/model';
import { summarizeRun } from '../../engine/run/status';
import { workingDevices, type WorkingDevice } from '../../engine/runtime/probe';

interface Info {
  file: string;
  step: number;
  parameters: number;
  sampleRate: number;
  layers: number;
  receptiveField: { samples: number; ms: number };
  condition: WaveNetConfig['condition'];
  config: WaveNetConfig;
  /** Execution providers that start and compute here (the probe `--device auto` uses). */
  devices: WorkingDevice[];
  /** For a run folder: its last metrics record, its last one with a validation loss, its summary. */
  lastLogged?: MetricsRecord | null;
  lastValidation?: MetricsRecord | null;
  run?: RunSummary | null;
  /** Why the run's own files could not be summarized (the model itself opened). */
  runProblem?: string;
}

/** What a model or run is: shape, size, training progress. */
export async function infoCommand(target: string, f: { json?: boolean }): Promise<void> {
  const resolved = path.resolve(target);
  const model = await openModel(resolved);
  const cfg = model.cfg;
  const info: Info = {
    file: model.file,
    step: Number(model.metadata['wavenet_studio.step'] ?? NaN),
    parameters: paramCount(paramSpecs(cfg)),
    sampleRate: cfg.sampleRate,
    layers: dilations(cfg).length,
    receptiveField: { samples: receptiveField(cfg), ms: (1000 * receptiveField(cfg)) / cfg.sampleRate },
    condition: cfg.condition,
    config: cfg,
    devices: await workingDevices(),
  };
  if ((await fs.stat(resolved)).isDirectory()) {
    const { records } = await readMetrics(resolved);
    info.lastLogged = records[records.length - 1] ?? null;
    info.lastValidation = records.findLast((r) => r.val_loss !== undefined) ?? null;
    try {
      info.run = await summarizeRun(resolved);
    } catch (e) {
      info.run = null;
      info.runProblem = describeError(e);
    }
  }
  if (f.json) {
    process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
    return;
  }
  const rf = info.receptiveField;
  const run = info.run ? `${info.run.status}, step ${info.run.step} of ${info.run.steps}` : info.runProblem;
  const val = info.lastValidation;
  process.stdout.write(
    [
      `model      ${model.file}`,
      `step       ${Number.isFinite(info.step) ? info.step : '–'}`,
      `shape      ${cfg.stacks}×${cfg.layersPerStack} layers, residual ${cfg.residual}, gate ${cfg.gate}, skip ${cfg.skip}, head ${cfg.head}, ${cfg.quantization} classes`,
      `parameters ${info.parameters.toLocaleString('en')}`,
      `audio      ${cfg.sampleRate} Hz, receptive field ${rf.samples} samples (${rf.ms.toFixed(1)} ms)`,
      `condition  ${cfg.condition}${cfg.condition !== 'none' ? ` (${cfg.conditionBins} bins, hop ${cfg.hop})` : ''}${cfg.globalClasses ? `, ${cfg.globalClasses} global classes (${(cfg.classNames ?? []).join(', ') || 'unnamed'})` : ''}`,
      ...(run ? [`run        ${run}`] : []),
      ...(val?.val_loss !== undefined ? [`validation ${val.val_loss.toFixed(3)} nats/sample at step ${val.step}`] : []),
      `devices    ${info.devices.map((d) => d.label).join(', ')}`,
    ].join('\n') + '\n',
  );
}
