import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { receptiveField, dilations } from '../../engine/model/config';
import { openModel } from '../../engine/model/model-file';
import { paramCount, paramSpecs } from '../../engine/model/params';
import { availableDevices } from '../../engine/runtime/session';

/** What a model or run is: shape, size, training progress. */
export async function infoCommand(target: string, f: { json?: boolean }): Promise<void> {
  const model = await openModel(path.resolve(target));
  const cfg = model.cfg;
  const info: Record<string, unknown> = {
    file: model.file,
    step: Number(model.metadata['wavenet_studio.step'] ?? NaN),
    parameters: paramCount(paramSpecs(cfg)),
    sampleRate: cfg.sampleRate,
    layers: dilations(cfg).length,
    receptiveField: { samples: receptiveField(cfg), ms: (1000 * receptiveField(cfg)) / cfg.sampleRate },
    condition: cfg.condition,
    config: cfg,
    devices: availableDevices(),
  };
  const runDir = (await fs.stat(target)).isDirectory() ? target : null;
  if (runDir) {
    try {
      const lines = (await fs.readFile(path.join(runDir, 'metrics.jsonl'), 'utf8')).trim().split('\n');
      const records = lines.map((l) => JSON.parse(l) as { step: number; train_loss: number; val_loss?: number });
      const lastVal = [...records].reverse().find((r) => r.val_loss !== undefined);
      info.lastLogged = records[records.length - 1];
      info.lastValidation = lastVal ?? null;
    } catch {
      info.lastLogged = null;
    }
  }
  if (f.json) {
    process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
    return;
  }
  const rf = info.receptiveField as { samples: number; ms: number };
  process.stdout.write(
    [
      `model      ${model.file}`,
      `step       ${Number.isFinite(info.step) ? info.step : '–'}`,
      `shape      ${cfg.stacks}×${cfg.layersPerStack} layers, residual ${cfg.residual}, gate ${cfg.gate}, skip ${cfg.skip}, head ${cfg.head}, ${cfg.quantization} classes`,
      `parameters ${(info.parameters as number).toLocaleString('en')}`,
      `audio      ${cfg.sampleRate} Hz, receptive field ${rf.samples} samples (${rf.ms.toFixed(1)} ms)`,
      `condition  ${cfg.condition}${cfg.condition !== 'none' ? ` (${cfg.conditionBins} bins, hop ${cfg.hop})` : ''}${cfg.globalClasses ? `, ${cfg.globalClasses} global classes (${(cfg.classNames ?? []).join(', ') || 'unnamed'})` : ''}`,
      ...(info.lastValidation ? [`validation ${(info.lastValidation as { val_loss: number }).val_loss.toFixed(3)} nats/sample at step ${(info.lastValidation as { step: number }).step}`] : []),
      `devices    ${(info.devices as string[]).join(', ')}`,
    ].join('\n') + '\n',
  );
}
