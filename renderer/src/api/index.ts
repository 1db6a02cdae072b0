// Chooses the transport: Electron's preload exposes `window.studio`; a plain browser (browser
// mode) talks to the same API over a WebSocket, authenticated by the token in the page URL.
import { createWsClient, RemoteError } from './ws-client';
import type { StudioApi } from './types';

export type * from './types';
export { RemoteError };

declare global {
  interface Window {
    studio?: StudioApi;
  }
}

function browserModeUrl(): string {
  const page = new URL(window.location.href);
  const token = page.searchParams.get('token') ?? '';
  const scheme = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${page.host}/api?token=${encodeURIComponent(token)}`;
}

export const api: StudioApi = window.studio ?? createWsClient<StudioApi>(browserModeUrl());

/** Electron has native folder/file dialogs; browser mode uses the server-side FolderBrowser. */
export function hasNativeDialogs(): boolean {
  return window.studio !== undefined;
}

/** The one-line message to show a person for an error from any transport. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && 'message' in err && typeof err.message === 'string') return err.message;
  return String(err);
}
