import { createReadStream, promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { protocol, type Session } from 'electron';
import { mediaAnswer, type MediaLibrary } from '../services/media';
import { APP_HOST, APP_SCHEME, contentTypeFor, resolveAppPath } from './app-url';
import { withSecurityHeaders } from '../server/csp';

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

/**
 * Serves the built renderer (out/renderer) on app://studio, with the CSP on every response, and
 * the open projects' audio on app://studio/media?path=… (the same checks as browser mode's /media).
 */
export function serveRenderer(session: Session, rendererDir: string, media?: MediaLibrary): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed');
    const url = new URL(request.url);
    if (url.host === APP_HOST && url.pathname === '/media') return mediaResponse(request, url, media);
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

/** The same resolver and Range answer as browser mode's /media, the file range as a web stream. */
async function mediaResponse(request: Request, url: URL, media: MediaLibrary | undefined): Promise<Response> {
  const resolution = media
    ? await media.resolve(url.searchParams.get('path') ?? '').catch(() => ({ ok: false as const, status: 404 as const, message: 'That file cannot be read.' }))
    : { ok: false as const, status: 404 as const, message: 'No project media in this studio.' };
  const answer = mediaAnswer(resolution, request.headers.get('range'));
  const headers = toHeaders(withSecurityHeaders(answer.headers));
  if (request.method === 'HEAD') return new Response(null, { status: answer.status, headers });
  if (!answer.body) return new Response(answer.text ?? null, { status: answer.status, headers });
  const file = createReadStream(answer.body.path, { start: answer.body.start, end: answer.body.end });
  const body = Readable.toWeb(file) as WebReadableStream<Uint8Array> as unknown as ReadableStream<Uint8Array>;
  return new Response(body, { status: answer.status, headers });
}

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: toHeaders(withSecurityHeaders({ 'Content-Type': 'text/plain; charset=utf-8' })) });
}

function toHeaders(record: Record<string, string[]>): Headers {
  const headers = new Headers();
  for (const [name, values] of Object.entries(record)) for (const v of values) headers.append(name, v);
  return headers;
}
