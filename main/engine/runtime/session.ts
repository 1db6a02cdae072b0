import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { DEVICES, type Device } from '../../contract/domain/model';
import { StudioError } from '../errors';

const require = createRequire(import.meta.url);

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
  const dir = path.join(path.dirname(require.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);
  return existsSync(path.join(dir, process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so'));
}

/** 'auto' picks CUDA when installed, else the CPU: WebGPU, DirectML and CoreML are opt-in. */
function autoDevices(): Device[] {
  return availableDevices().includes('cuda') ? ['cuda', 'cpu'] : ['cpu'];
}

export function parseDevice(name: string): Device | 'auto' {
  if (name === 'auto' || (DEVICES as readonly string[]).includes(name)) return name as Device | 'auto';
  throw new StudioError('BAD_OPTION', `Unknown device "${name}": use auto, ${DEVICES.join(', ')}.`);
}

function options(device: Device, threads: number | undefined): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [device],
    graphOptimizationLevel: 'all',
    // The default memory pattern re-faults gigabytes of pages on every training run.
    enableMemPattern: false,
    enableCpuMemArena: true,
    intraOpNumThreads: threads ?? 0,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    logSeverityLevel: 3,
  };
}

/** The useful part of an execution provider's start-up failure, without source paths. */
function shortReason(e: unknown): string {
  const first = String((e as Error)?.message ?? e).split('\n')[0]!;
  const afterAssert = first.includes(' was false. ') ? first.slice(first.lastIndexOf(' was false. ') + 12) : first;
  const clean = afterAssert.replace(/\/onnxruntime_src\/\S+\s*/g, '').trim();
  return clean.length > 160 ? `${clean.slice(0, 157)}…` : clean;
}

/**
 * Open a model on the chosen device. 'auto' tries GPU providers first. A provider that fails to
 * start falls back to CPU with one clear line, never an exception the person cannot act on.
 */
export async function openSession(model: Uint8Array, settings: SessionSettings): Promise<Session> {
  // Provider start-up failures are reported once, by us, in one line; ORT's own log would repeat them.
  ort.env.logLevel = 'fatal';
  const wanted: Device[] = settings.device === 'auto' ? autoDevices() : [settings.device];
  if (!wanted.includes('cpu')) wanted.push('cpu');
  let firstFailure: string | null = null;
  for (const device of wanted) {
    try {
      const session = await ort.InferenceSession.create(model, options(device, settings.threads));
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
