import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import renderer from './renderer/vite.config';

// `electron-vite build` writes out/main (app entry + engine worker), out/preload and out/renderer.
// The renderer settings are renderer/vite.config.ts's, so `npm run build:renderer` (browser mode,
// end-to-end tests) and this build produce the same out/renderer.
const at = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: at('./out/main'),
      // Packages in `dependencies` stay external (electron-vite's default), so onnxruntime-node's
      // native binding and the wasm decoders load from node_modules, unpacked from asar as needed.
      externalizeDeps: true,
      rolldownOptions: {
        // The worker is its own entry so utilityProcess.fork has a JavaScript file to start, and
        // so are the engine's worker threads (startEngineWorker starts ./<name>.js beside itself:
        // shared chunks stay in out/main, not a subfolder, for that relative path to hold).
        input: {
          index: at('./main/app/index.ts'),
          worker: at('./main/worker/index.ts'),
          'render-worker': at('./main/engine/generate/render-worker.ts'),
          'piece-worker': at('./main/engine/train/piece-worker.ts'),
        },
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: at('./out/preload'),
      // A sandboxed preload cannot require anything but electron: bundle everything it imports.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: at('./preload/index.ts') },
        // Sandboxed preloads run as classic scripts, never as ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...renderer,
    build: {
      ...renderer.build,
      rolldownOptions: { input: at('./renderer/index.html') },
    },
  },
});
