import * as os from 'node:os';
import * as ort from 'onnxruntime-node';
import type { Device } from '../../contract/domain/model';
import { PRESETS } from '../model/config';
import { forwardModel } from '../model/graphs';
import { initialParams, paramSpecs } from '../model/params';
import { availableDevices, openSession } from './session';

export interface WorkingDevice {
  device: Device;
  /** What a person sees in a device list, e.g. "CPU · 2 cores". */
  label: string;
}

const LABELS: Record<Device, string> = { cpu: 'CPU', cuda: 'CUDA', webgpu: 'WebGPU', dml: 'DirectML', coreml: 'CoreML' };

/** Runs the `tiny` model's forward pass on one device: true only if the device itself ran it. */
async function runsTinyGraph(device: Device): Promise<boolean> {
  const cfg = { ...PRESETS.tiny, condition: 'none' as const, conditionBins: 0 };
  const model = forwardModel(cfg, initialParams(paramSpecs(cfg), 1), {});
  try {
    const s = await openSession(model, { device, threads: 1 });
    if (s.device !== device) return false;
    const T = cfg.hop * 4;
    const out = await s.session.run({ samples: new ort.Tensor('int64', new BigInt64Array(T), [1, T]) });
    await s.session.release();
    return Number.isFinite(Number((out.logits!.data as Float32Array)[0]));
  } catch {
    return false;
  }
}

/**
 * The execution providers that actually start here and compute: a provider listed by the
 * install but failing on this machine (no driver, no adapter) is left out.
 */
export async function workingDevices(): Promise<WorkingDevice[]> {
  const found: WorkingDevice[] = [];
  for (const device of availableDevices()) {
    if (!(await runsTinyGraph(device))) continue;
    const label = device === 'cpu' ? `CPU · ${os.availableParallelism()} cores` : LABELS[device];
    found.push({ device, label });
  }
  return found;
}
