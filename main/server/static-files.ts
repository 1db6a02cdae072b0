import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/** A file of the built renderer for a URL path, or null; never a path outside the folder. */
export async function rendererFile(root: string, urlPath: string): Promise<{ body: Buffer; type: string; immutable: boolean } | null> {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (relative === '/' || relative === '') relative = '/index.html';
  const file = path.resolve(root, `.${relative}`);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  try {
    const body = await fs.readFile(file);
    // Vite puts a content hash in every asset name: those can be cached for good.
    return { body, type: TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream', immutable: relative.startsWith('/assets/') };
  } catch {
    return null;
  }
}
