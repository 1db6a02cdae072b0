import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The cookie holding the token, named per port: browsers share cookies between the ports of one
 * host, so two studios on 127.0.0.1 would otherwise overwrite each other's token.
 */
export function tokenCookieName(port: number): string {
  return `wavenet_studio_token_${port}`;
}

/** Constant-time comparison, so the token cannot be guessed a character at a time by timing. */
export function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token a request carries: in the query (the printed URL, the WebSocket URL) or the cookie. */
export function requestToken(req: IncomingMessage, url: URL, port: number): string | null {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === tokenCookieName(port)) return decodeURIComponent(value.join('='));
  }
  return null;
}

/**
 * Whether the Host header names this server. Refusing other names defeats DNS rebinding: a page
 * on evil.example whose name resolves to 127.0.0.1 still sends Host: evil.example. Any port is
 * fine: an SSH tunnel (ssh -L 9000:127.0.0.1:8080) shows the server under its local port.
 */
export function allowedHost(req: IncomingMessage, host: string): boolean {
  if (host === '0.0.0.0' || host === '::') return true; // bound for remote use: any name reaching it
  const given = (req.headers.host ?? '').toLowerCase();
  const name = given.startsWith('[') ? given.slice(0, given.indexOf(']') + 1) : given.split(':')[0];
  const names = host === '127.0.0.1' || host === 'localhost' || host === '::1' ? ['127.0.0.1', 'localhost', '[::1]'] : [host.includes(':') ? `[${host.toLowerCase()}]` : host.toLowerCase()];
  return names.includes(name ?? '');
}

/** Whether a WebSocket handshake's Origin is this server's own page (browsers always send one). */
export function ownOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin || !req.headers.host) return false;
  try {
    const o = new URL(origin);
    return (o.protocol === 'http:' || o.protocol === 'https:') && o.host === req.headers.host.toLowerCase();
  } catch {
    return false;
  }
}
