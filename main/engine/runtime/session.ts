import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { DEVICES, type Device } from '../../contract/domain/model';
import { StudioError } from '../errors';
import { webgpuBlocker } from './adapter';

// Not `require`: the Electron build declares its own at the top of each chunk.
const requireCjs = createRequire(import.meta.url);

/** The execution providers onnxruntime-node can have, by the names a person types. */
export { DEVICES, type Device };

export interface SessionSettings {
  device: Device | 'auto';
  /** Intra-op threads; 0 lets ONNX Runtime choose. */
  threads?: number;
  /** Called once with a line to show a person when the requested device could not start. */
  onFallback?: (message: string) => void;
}

export interface Session {
  readonly session: ort.InferenceSession;
  readonly device: Device;
}

/**
 * Devices this install of onnxruntime-node can use here: the bundled providers plus CUDA once its
 * libraries have been fetched (`npm run fetch:cuda`).
 */
export function availableDevices(): Device[] {
  const usable = new Set(
    ort.listSupportedBackends()
      .filter((b) => b.bundled || (b.name === 'cuda' && cudaInstalled()))
      .map((b) => b.name),
  );
  return DEVICES.filter((d) => usable.has(d));
}

function cudaInstalled(): boolean {
  const dir = path.join(path.dirname(requireCjs.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);
  return existsSync(path.join(dir, process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so'));
}

/** GPU providers 'auto' may choose, best first; DirectML and CoreML stay opt-in (not verified for training). */
const AUTO_ORDER: readonly Device[] = ['cuda', 'webgpu'];

/**
 * 'auto': the GPUs that start and compute here (the same probe as the device list), best first,
 * then the CPU. A GPU emulated in software (SwiftShader, lavapipe) is never picked over the CPU.
 */
export async function autoDevices(): Promise<Device[]> {
  const usable = availableDevices();
  if (!AUTO_ORDER.some((d) => usable.includes(d))) return ['cpu'];
  const { workingDevicesOnce } = await import('./probe');
  const working = (await workingDevicesOnce()).filter((d) => !d.software).map((d) => d.device);
  return [...AUTO_ORDER.filter((d) => working.includes(d)), 'cpu'];
}

export function parseDevice(name: string): Device | 'auto' {
  if (name === 'auto' || (DEVICES as readonly string[]).includes(name)) return name as Device | 'auto';
  throw new StudioError('BAD_OPTION', `Unknown device "${name}": use auto, ${DEVICES.join(', ')}.`);
}

export function sessionOptions(device: Device, threads: number | undefined): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [device],
    graphOptimizationLevel: 'all',
    // The default memory pattern re-faults gigabytes of pages on every training run.
    enableMemPattern: false,
    enableCpuMemArena: true,
    intraOpNumThreads: threads ?? 0,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    // Failures reach the person as one typed line (openSession, the trainer's DEVICE_FAILED); ORT's
    // own error log would print them again, with source paths.
    logSeverityLevel: 4,
  };
}

/** The useful part of an execution provider's failure (start-up or run), one line without source paths. */
export function shortReason(e: unknown): string {
  const first = String((e as Error)?.message ?? e).split('\n')[0]!;
  const afterAssert = first.includes(' was false. ') ? first.slice(first.lastIndexOf(' was false. ') + 12) : first;
  const clean = afterAssert.replace(/\/onnxruntime_src\/\S+\s*/g, '').replace(/^\[[A-Za-z]+\]\s*/, '').trim();
  return clean.length > 160 ? `${clean.slice(0, 157)}…` : clean;
}

/**
 * Open a model on the chosen device. 'auto' tries GPU providers first. A provider that fails to
 * start falls back to CPU with one clear line, never an exception the person cannot act on.
 */
export async function openSession(model: Uint8Array, settings: SessionSettings): Promise<Session> {
  // Provider start-up failures are reported once, by us, in one line; ORT's own log would repeat them.
  ort.env.logLevel = 'fatal';
  const wanted: Device[] = settings.device === 'auto' ? await autoDevices() : [settings.device];
  if (!wanted.includes('cpu')) wanted.push('cpu');
  let firstFailure: string | null = null;
  for (const device of wanted) {
    try {
      const blocked = device === 'webgpu' ? webgpuBlocker() : null;
      if (blocked) throw new Error(blocked);
      const session = await ort.InferenceSession.create(model, sessionOptions(device, settings.threads));
      if (firstFailure && settings.device !== 'auto') settings.onFallback?.(firstFailure);
      return { session, device };
    } catch (e) {
      if (device === 'cpu') {
        throw new StudioError('MODEL_INVALID', `ONNX Runtime could not load the model on the CPU: ${(e as Error).message.split('\n')[0]}`);
      }
      firstFailure ??= `The ${device} execution provider could not start (${shortReason(e)}); running on the CPU instead.`;
    }
  }
  throw new StudioError('DEVICE_UNAVAILABLE', 'No execution provider could start.');
}
