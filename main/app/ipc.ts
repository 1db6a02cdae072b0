import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CALL_CHANNEL, EVENT_CHANNEL, type CallReply } from '../contract/wire';
import type { Dispatch } from '../services/dispatch';
import { isTrustedRendererUrl } from './app-url';

/**
 * The one IPC handler: every API call arrives as (method, args) and goes to the shared dispatch,
 * which validates the arguments against the contract before any service sees them. Calls from a
 * frame that is not our renderer's main frame are refused.
 */
export function handleStudioCalls(dispatch: Dispatch, devServerUrl?: string): () => void {
  ipcMain.handle(CALL_CHANNEL, async (event, method: unknown, args: unknown): Promise<CallReply> => {
    if (!isFromOurRenderer(event, devServerUrl)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'This call did not come from the WaveNet Studio window.' } };
    }
    if (typeof method !== 'string') {
      return { ok: false, error: { code: 'BAD_ARGUMENTS', message: 'An API call needs a method name.' } };
    }
    return dispatch(method, args);
  });
  return () => ipcMain.removeHandler(CALL_CHANNEL);
}

function isFromOurRenderer(event: IpcMainInvokeEvent, devServerUrl?: string): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  return isTrustedRendererUrl(frame.url, devServerUrl);
}

/** Sends an API event (e.g. 'jobs.onProgress') to a window's renderer, unless it has gone. */
export function sendStudioEvent(contents: WebContents, name: string, payload: unknown): void {
  if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, name, payload);
}
