/**
 * Errors a person can cause (bad file, bad setting, missing model). Each has a stable code and a
 * one-line message that says what to do; the CLI and UI print the message, never a stack.
 */
export type StudioErrorCode =
  | 'AUDIO_EMPTY'
  | 'AUDIO_TRUNCATED'
  | 'AUDIO_UNSUPPORTED'
  | 'AUDIO_CORRUPT'
  | 'AUDIO_BAD_SAMPLE_RATE'
  | 'AUDIO_NON_FINITE'
  | 'FILE_NOT_FOUND'
  | 'FOLDER_EMPTY'
  | 'MIDI_INVALID'
  | 'NPY_INVALID'
  | 'MODEL_INVALID'
  | 'RUN_INVALID'
  | 'RUN_DIVERGED'
  | 'PROJECT_INVALID'
  | 'DATASET_EMPTY'
  | 'BAD_OPTION'
  | 'DEVICE_UNAVAILABLE'
  /** An execution provider that started failed while running (a GPU lost, out of memory, a driver error). */
  | 'DEVICE_FAILED'
  | 'CANCELLED'
  | 'NOT_AVAILABLE';

export class StudioError extends Error {
  readonly code: StudioErrorCode;
  constructor(code: StudioErrorCode, message: string) {
    super(message);
    this.name = 'StudioError';
    this.code = code;
  }
}

export function isStudioError(e: unknown): e is StudioError {
  return e instanceof StudioError;
}

/** One line for a person: the typed message, or a generic line for an unexpected failure. */
export function describeError(e: unknown): string {
  if (isStudioError(e)) return e.message;
  if (e instanceof Error) return `Unexpected error: ${e.message.split('\n')[0]}`;
  return `Unexpected error: ${String(e)}`;
}
