// The two IPC channels between the preload and main; main/app/ipc.ts is the other end.

/** invoke(CALL_CHANNEL, method, args) → CallReply. */
export const CALL_CHANNEL = 'studio:call';
/** webContents.send(EVENT_CHANNEL, eventName, payload), e.g. ('jobs.onProgress', {...}). */
export const EVENT_CHANNEL = 'studio:event';

/** What one call answers: main never throws across IPC (Electron would flatten the error's code). */
export type CallReply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
