// Browser-mode transport: the same API object the Electron preload exposes, carried over one
// WebSocket. Methods are derived from the property path at call time (a Proxy), so adding a call to
// the contract needs no code here: `client.projects.list(args)` sends {method: 'projects.list'},
// `client.jobs.onProgress(handler)` subscribes to the event 'jobs.onProgress' (VS Code's `on*`
// convention).
import { MAX_MESSAGE_BYTES } from '../../../main/contract/wire';

export interface WireRequest {
  type: 'call';
  id: number;
  method: string;
  args: unknown;
}

export type WireMessage =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: { code: string; message: string } }
  | { type: 'event'; event: string; payload: unknown };

/** An error the server returned for a call, with its typed code (e.g. BAD_ARGUMENTS). */
export class RemoteError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

export interface WsClientOptions {
  /** Delay before reconnecting after the socket closes; doubles up to 10 s. */
  reconnectMs?: number;
  onConnectionChange?: (connected: boolean) => void;
  /** Closes the socket for good and stops reconnecting (tests, or a window going away). */
  signal?: AbortSignal;
  /** The largest call it sends (default: the server's MAX_MESSAGE_BYTES; tests set a small one). */
  maxMessageBytes?: number;
}

type Handler = (payload: unknown) => void;

export function isEventName(name: string): boolean {
  return /^on[A-Z]/.test(name);
}

/** A client whose shape is the API type T; every leaf is a call or an `on*` event subscription. */
export function createWsClient<T extends object>(url: string, options: WsClientOptions = {}): T {
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const handlers = new Map<string, Set<Handler>>();
  const queue: string[] = [];
  let nextId = 1;
  let socket: WebSocket | null = null;
  let open = false;
  let delay = options.reconnectMs ?? 500;
  const limit = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;

  function connect(): void {
    if (options.signal?.aborted) return;
    socket = new WebSocket(url);
    // A failed handshake is followed by 'close', which reconnects; nothing more to do here.
    socket.addEventListener('error', () => undefined);
    socket.addEventListener('open', () => {
      open = true;
      delay = options.reconnectMs ?? 500;
      options.onConnectionChange?.(true);
      for (const frame of queue.splice(0)) socket?.send(frame);
    });
    socket.addEventListener('message', (msg) => receive(String(msg.data)));
    socket.addEventListener('close', () => {
      open = false;
      options.onConnectionChange?.(false);
      // Calls in flight cannot be answered by a new connection: fail them so the UI can say so.
      for (const [, p] of pending) p.reject(new RemoteError('DISCONNECTED', 'Lost the connection to the studio server; check that it is still running.'));
      pending.clear();
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10_000);
    });
  }

  function receive(text: string): void {
    let msg: WireMessage;
    try {
      msg = JSON.parse(text) as WireMessage;
    } catch {
      return;
    }
    if (msg.type === 'event') {
      for (const h of handlers.get(msg.event) ?? []) h(msg.payload);
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.value);
    else p.reject(new RemoteError(msg.error.code, msg.error.message));
  }

  function send(frame: string): void {
    if (open && socket) socket.send(frame);
    else queue.push(frame);
  }

  function call(method: string, args: unknown): Promise<unknown> {
    const id = nextId++;
    const frame = JSON.stringify({ type: 'call', id, method, args } satisfies WireRequest);
    const bytes = messageBytes(frame, limit);
    // The server would close the socket on it, failing every call in flight with a vaguer reason.
    if (bytes > limit) return Promise.reject(new RemoteError('TOO_LARGE', tooLarge(bytes, limit)));
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      send(frame);
    });
  }

  function subscribe(event: string, handler: Handler): () => void {
    let set = handlers.get(event);
    if (!set) handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  function node(path: string[]): unknown {
    const leaf = (...args: unknown[]) => {
      const name = path.join('.');
      if (isEventName(path[path.length - 1] ?? '')) return subscribe(name, args[0] as Handler);
      return call(name, args[0]);
    };
    return new Proxy(leaf, {
      get: (_target, prop) => (typeof prop === 'string' && prop !== 'then' ? node([...path, prop]) : undefined),
    });
  }

  options.signal?.addEventListener('abort', () => socket?.close());
  connect();
  return node([]) as T;
}

/**
 * A frame's UTF-8 bytes where they may pass `limit`; below a third of it, its length (a character
 * is at most three bytes), which spares encoding every call.
 */
function messageBytes(frame: string, limit: number): number {
  return frame.length * 3 <= limit ? frame.length : new TextEncoder().encode(frame).length;
}

function tooLarge(bytes: number, limit: number): string {
  const mb = (n: number): string => `${(n / 2 ** 20).toFixed(n < 10 * 2 ** 20 ? 1 : 0)} MB`;
  return `This is too large to send to the studio server in browser mode (${mb(bytes)}; the limit is ${mb(limit)}): split the document, or use the desktop app.`;
}
