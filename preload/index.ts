// The sandboxed preload: exposes `window.studio`, built from the contract's names, and nothing
// else of Electron (no raw ipcRenderer reaches the page).
import { contextBridge, ipcRenderer } from 'electron';
import { API_NAMES } from '../main/contract/index';
import { CALL_CHANNEL, EVENT_CHANNEL, type CallReply } from '../main/contract/wire';
import { buildStudioApi } from './studio-api';

const listeners = new Map<string, Set<(payload: unknown) => void>>();
ipcRenderer.on(EVENT_CHANNEL, (_event, name: string, payload: unknown) => {
  for (const listener of listeners.get(name) ?? []) listener(payload);
});

const studio = buildStudioApi(API_NAMES, {
  invoke: (method, args) => ipcRenderer.invoke(CALL_CHANNEL, method, args) as Promise<CallReply>,
  subscribe: (event, handler) => {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(handler);
    return () => void set.delete(handler);
  },
});

contextBridge.exposeInMainWorld('studio', studio);
