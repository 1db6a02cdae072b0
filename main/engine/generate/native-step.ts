// The native generation step (native/step.c, built by `npm run build:native`), when it is built
// and this CPU runs it (x86-64 with AVX2 and FMA). Generation falls back to ONNX Runtime or the
// WebAssembly kernel without it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NativeStep {
  /** The step of streams 0 … n − 1 at time t, over a StreamState's memory (see native/step.c). */
  steps(memory: ArrayBuffer, state: number, t: number, n: number): void;
  supported: boolean;
}

const requireCjs = createRequire(import.meta.url);
const BUILT = path.join('native', 'build', 'Release', 'wavenet_step.node');

/**
 * The built module's path: the project root is a few folders above this file, in the sources
 * (main/engine/generate) or in electron-vite's bundle (out/main); in a packaged app it lies
 * unpacked beside app.asar.
 */
function builtPath(): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++, dir = path.dirname(dir)) {
    for (const root of [dir.replace(/app\.asar(?=$|[\\/])/, 'app.asar.unpacked'), dir]) {
      const candidate = path.join(root, BUILT);
      if (existsSync(candidate)) return candidate;
    }
  }
  return null;
}

let loaded: NativeStep | null | undefined;
let why = '';

/**
 * The native step, or null: not built, turned off (WAVENET_STUDIO_NATIVE=0), or this CPU lacks
 * AVX2/FMA. nativeUnavailable() says which.
 */
export function nativeStep(): NativeStep | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (process.env.WAVENET_STUDIO_NATIVE === '0') {
    why = 'turned off by WAVENET_STUDIO_NATIVE=0';
    return null;
  }
  const file = builtPath();
  if (!file) {
    why = 'not built: run `npm run build:native` (needs a C compiler, make and python3)';
    return null;
  }
  try {
    const mod = requireCjs(file) as NativeStep;
    if (mod.supported) loaded = mod;
    else why = 'this CPU lacks AVX2 or FMA';
  } catch (e) {
    why = `${file} did not load (${(e as Error).message.split('\n')[0]}): rebuild it with \`npm run build:native\``;
  }
  return loaded;
}

/** Why nativeStep() is null ('' when it is not). */
export function nativeUnavailable(): string {
  nativeStep();
  return why;
}
