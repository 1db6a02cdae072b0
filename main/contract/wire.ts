// What a call's answer looks like on the wire, and the two IPC channels between the preload
// (preload/index.ts) and main (main/app/ipc.ts). Part of the contract, so the preload, the
// services and the Electron shell share it without importing one another; it imports nothing.

/** invoke(CALL_CHANNEL, method, args) → CallReply. */
export const CALL_CHANNEL = 'studio:call';
/** webContents.send(EVENT_CHANNEL, eventName, payload), e.g. ('jobs.onProgress', {...}). */
export const EVENT_CHANNEL = 'studio:event';

/** What one call answers: main never throws across IPC (Electron would flatten the error's code). */
export type CallReply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

/**
 * The largest message browser mode's WebSocket takes from a page, in bytes of its JSON. A document
 * is saved whole, and a mel sheet costs up to ~20 bytes a value (80 a frame, 80 frames a second),
 * so this holds about half an hour of sheet. The page refuses a larger call itself, saying why,
 * rather than sending it and losing the connection (Electron's IPC has no such limit).
 */
export const MAX_MESSAGE_BYTES = 256 * 2 ** 20;
