import { promises as fs } from 'node:fs';
import { protocol, type Session } from 'electron';
import { APP_SCHEME, contentTypeFor, resolveAppPath } from './app-url';
import { withSecurityHeaders } from './csp';

/**
 * app:// is a standard, secure scheme: the renderer gets a real origin (app://studio) for
 * 'self' in the CSP, fetch, and storage, without file:// and its access to the whole disk.
 * Must run before the app is ready.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
  ]);
}

/** Serves the built renderer (out/renderer) on app://studio, with the CSP on every response. */
export function serveRenderer(session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed');
    const file = resolveAppPath(rendererDir, request.url);
    if (!file) return textResponse(404, 'Not found');
    let body: Buffer;
    try {
      body = await fs.readFile(file);
    } catch {
      return textResponse(404, 'Not found');
    }
    const headers = withSecurityHeaders({ 'Content-Type': contentTypeFor(file), 'Cache-Control': 'no-cache' });
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers: toHeaders(headers) });
  });
}

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: toHeaders(withSecurityHeaders({ 'Content-Type': 'text/plain; charset=utf-8' })) });
}

function toHeaders(record: Record<string, string[]>): Headers {
  const headers = new Headers();
  for (const [name, values] of Object.entries(record)) for (const v of values) headers.append(name, v);
  return headers;
}
