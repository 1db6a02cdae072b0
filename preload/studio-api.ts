// Builds `window.studio` from the contract's list of names, so no call or event is hand-wired:
// `projects.list` becomes studio.projects.list(args) → invoke('projects.list', args), and an
// `on*` name such as `jobs.onProgress` becomes studio.jobs.onProgress(handler) → unsubscribe.
// Plain nested objects, not a Proxy: contextBridge copies objects and cannot carry a Proxy.

import type { CallReply } from '../main/contract/wire';

export interface PreloadTransport {
  invoke(method: string, args: unknown): Promise<CallReply>;
  subscribe(event: string, handler: (payload: unknown) => void): () => void;
}

/** An error a call returned, as the renderer sees it: a message for people, a code for code. */
export interface CallError {
  name: 'RemoteError';
  code: string;
  message: string;
}

type Leaf = (arg?: unknown) => unknown;
export interface ApiTree {
  [key: string]: ApiTree | Leaf;
}

export function isEventName(name: string): boolean {
  return /^on[A-Z]/.test(name);
}

export function buildStudioApi(names: readonly string[], transport: PreloadTransport): ApiTree {
  const api: ApiTree = {};
  for (const name of names) {
    const path = name.split('.');
    const leafName = path.pop();
    if (!leafName || path.some((p) => p === '')) throw new Error(`Bad API name in the contract: "${name}"`);
    let node = api;
    for (const part of path) {
      const next = node[part];
      if (typeof next === 'function') throw new Error(`API name "${name}" nests under a method`);
      node = next ?? (node[part] = {});
    }
    node[leafName] = isEventName(leafName) ? subscriber(name, transport) : caller(name, transport);
  }
  return api;
}

function caller(method: string, transport: PreloadTransport): Leaf {
  return async (args?: unknown) => {
    const reply = await transport.invoke(method, args);
    if (reply.ok) return reply.value;
    // A plain object, not an Error: contextBridge drops an Error's own properties (the code).
    const error: CallError = { name: 'RemoteError', code: reply.error.code, message: reply.error.message };
    throw error;
  };
}

function subscriber(event: string, transport: PreloadTransport): Leaf {
  return (handler?: unknown) => {
    if (typeof handler !== 'function') throw new TypeError(`${event} needs a handler function`);
    return transport.subscribe(event, (payload) => (handler as (p: unknown) => void)(payload));
  };
}
