// Browser mode: the app and its API for a browser on this machine. The renderer's files over
// HTTP, the API over one WebSocket (/api), both behind a random token and bound to 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES } from '../contract/wire';
import { contentSecurityPolicy } from './csp';
import type { Dispatch } from '../services/dispatch';
import type { MediaLibrary } from '../services/media';
import { allowedHost, ownOrigin, requestToken, sameToken, tokenCookieName } from './access';
import { MEDIA_PATH, serveMedia } from './media-route';
import { rendererFile } from './static-files';

export interface ServerOptions {
  host: string;
  port: number;
  rendererDir: string;
  dispatch: Dispatch;
  /** The open projects' audio, served at /media?path=… (absent: every media request is 404). */
  media?: MediaLibrary;
  /** The largest message a page may send (default MAX_MESSAGE_BYTES; tests set a small one). */
  maxMessageBytes?: number;
}

export interface StudioServer {
  url: string;
  token: string;
  /** Sends an API event to every connected page. */
  broadcast(event: string, payload: unknown): void;
  close(): Promise<void>;
}

export async function startStudioServer(opts: ServerOptions): Promise<StudioServer> {
  const token = randomBytes(24).toString('base64url');
  const sockets = new Set<WebSocket>();
  let port = opts.port;

  const http = createServer((req, res) => void serveHttp(req, res));
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxMessageBytes ?? MAX_MESSAGE_BYTES });

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!allowedHost(req, opts.host)) return refuse(res, 403, 'This server answers only to its own address.');
    if (!sameToken(requestToken(req, url, port), token)) {
      return refuse(res, 401, 'Open the address printed by "wavenet-studio serve": it carries the access token.');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Only GET and HEAD are served here.');
    if (url.pathname === MEDIA_PATH) return serveMedia(req, res, url, opts.media);
    const file = await rendererFile(opts.rendererDir, url.pathname);
    if (!file) return refuse(res, 404, `Not found: ${url.pathname}`);
    res.writeHead(200, {
      'Content-Type': file.type,
      'Content-Length': file.body.length,
      'Content-Security-Policy': contentSecurityPolicy(),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-store',
      // The page's own requests (assets, the WebSocket) then carry the token without the URL.
      'Set-Cookie': `${tokenCookieName(port)}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const reject = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/api') return reject(404, 'Not Found');
    if (!allowedHost(req, opts.host) || !ownOrigin(req)) return reject(403, 'Forbidden');
    if (!sameToken(requestToken(req, url, port), token)) return reject(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws));
  });

  function accept(ws: WebSocket): void {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    // A frame ws refuses (too large, malformed) closes that socket; unheard, the error would end the server.
    ws.on('error', (e) => process.stderr.write(`browser mode: closed a connection (${e.message})\n`));
    ws.on('message', (data) => void answer(ws, data.toString()));
  }

  async function answer(ws: WebSocket, text: string): Promise<void> {
    let request: { type?: unknown; id?: unknown; method?: unknown; args?: unknown };
    try {
      request = JSON.parse(text) as typeof request;
    } catch {
      return;
    }
    if (request.type !== 'call' || typeof request.id !== 'number') return;
    const reply = typeof request.method === 'string'
      ? await opts.dispatch(request.method, request.args)
      : { ok: false as const, error: { code: 'BAD_ARGUMENTS', message: 'An API call needs a method name.' } };
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'result', id: request.id, ...reply }));
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, opts.host, () => resolve());
  });
  port = (http.address() as AddressInfo).port;
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;

  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    token,
    broadcast(event, payload) {
      const frame = JSON.stringify({ type: 'event', event, payload });
      for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets) ws.terminate();
        wss.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
  res.end(`${message}\n`);
}
