import * as os from 'node:os';
import * as ort from 'onnxruntime-node';
import type { Device } from '../../contract/domain/model';
import { GraphBuilder } from '../graph/builder';
import * as op from '../graph/ops/index';
import { toOnnx } from '../graph/serialize';
import { webgpuAdapter, webgpuBlocker } from './adapter';
import { availableDevices, sessionOptions } from './session';

export interface WorkingDevice {
  device: Device;
  /** What a person sees in a device list, e.g. "CPU · 2 cores", "WebGPU · NVIDIA". */
  label: string;
  /** A GPU emulated on the CPU (SwiftShader, lavapipe): it works and gives the GPU's numbers, slowly. */
  software?: boolean;
}

const LABELS: Record<Device, string> = { cpu: 'CPU', cuda: 'CUDA', webgpu: 'WebGPU', dml: 'DirectML', coreml: 'CoreML' };

/**
 * A graph of the ops the studio's graphs are made of (int64 gather, MatMul, Add, Tanh, Split,
 * Mul, Concat), with the answer computed here, so that a device counts only if it computes.
 */
function tinyGraph(): { model: Uint8Array; feeds: () => Record<string, ort.Tensor>; expected: Float64Array } {
  const K = 8;
  const table = Float32Array.from({ length: 4 * K }, (_, i) => Math.sin(i + 1));
  const w = Float32Array.from({ length: K * K }, (_, i) => Math.cos(0.7 * i) / K);
  const ids = [3, 0, 2];
  const g = new GraphBuilder('float32');
  const idIn = g.input('ids', 'int64', [ids.length]);
  const x = op.gather(g, g.initializer('table', 'float32', [4, K], table), idIn);
  const h = op.tanh(g, op.matmul(g, x, g.initializer('w', 'float32', [K, K], w)));
  const [a, b] = op.split(g, h, 1, [K / 2, K / 2]);
  g.output(op.concat(g, [op.mul(g, a!, b!), a!], 1), 'y');
  const expected = new Float64Array(ids.length * K);
  ids.forEach((id, r) => {
    const hr = Array.from({ length: K }, (_, j) => Math.tanh(Array.from({ length: K }, (_, k) => table[id * K + k]! * w[k * K + j]!).reduce((s, v) => s + v, 0)));
    for (let j = 0; j < K / 2; j++) {
      expected[r * K + j] = hr[j]! * hr[j + K / 2]!;
      expected[r * K + K / 2 + j] = hr[j]!;
    }
  });
  return { model: toOnnx(g), feeds: () => ({ ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [ids.length]) }), expected };
}

/**
 * True only if `device` starts here and itself computes the tiny graph right: the session may not
 * hand any node to the CPU (session.disable_cpu_ep_fallback), and the numbers must match.
 */
export async function runsTinyGraph(device: Device): Promise<boolean> {
  if (device === 'webgpu' && webgpuBlocker()) return false;
  const { model, feeds, expected } = tinyGraph();
  ort.env.logLevel = 'fatal';
  let session: ort.InferenceSession | null = null;
  try {
    const opts = sessionOptions(device, 1);
    session = await ort.InferenceSession.create(model, device === 'cpu' ? opts : { ...opts, extra: { 'session.disable_cpu_ep_fallback': '1' } });
    const y = (await session.run(feeds())).y!.data as Float32Array;
    return y.length === expected.length && y.every((v, i) => Math.abs(v - expected[i]!) < 1e-4);
  } catch {
    return false;
  } finally {
    await session?.release().catch(() => undefined);
  }
}

function label(device: Device): { label: string; software?: boolean } {
  if (device === 'cpu') return { label: `CPU · ${os.availableParallelism()} cores` };
  if (device === 'webgpu') {
    const adapter = webgpuAdapter();
    if (!adapter) return { label: LABELS.webgpu };
    return adapter.software ? { label: `WebGPU · ${adapter.name} (software)`, software: true } : { label: `WebGPU · ${adapter.name}` };
  }
  return { label: LABELS[device] };
}

/**
 * The execution providers that actually start here and compute: a provider listed by the
 * install but failing on this machine (no driver, no adapter) is left out. The CPU comes first.
 */
export async function workingDevices(): Promise<WorkingDevice[]> {
  const found: WorkingDevice[] = [];
  for (const device of availableDevices()) {
    if (!(await runsTinyGraph(device))) continue;
    found.push({ device, ...label(device) });
  }
  return found;
}

let probed: Promise<WorkingDevice[]> | null = null;

/** workingDevices(), probed once per process. */
export function workingDevicesOnce(): Promise<WorkingDevice[]> {
  probed ??= workingDevices();
  return probed;
}
