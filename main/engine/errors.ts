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

/** File-system failures a person can act on, by errno code: what happened and what to do. */
const FILE_SYSTEM_PROBLEMS: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full; free some space and try again',
  EDQUOT: 'the disk quota is used up; free some space and try again',
  EROFS: 'the disk is read-only; choose another folder',
  EACCES: 'permission denied; choose a folder you may write to',
  EPERM: 'not permitted; choose another folder',
  ENOENT: 'no such file or folder there; check the path',
  ENOTDIR: 'part of the path is a file, not a folder; check the path',
  EISDIR: 'that is a folder, not a file; check the path',
  EEXIST: 'a file of that name is in the way; choose another name',
  EMFILE: 'too many files are open; close some programs and try again',
};

/** What a file-system failure means for a person ("the disk is full; …"), or null for other errors. */
export function fileSystemProblem(e: unknown): string | null {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? (FILE_SYSTEM_PROBLEMS[code] ?? null) : null;
}

/** One line for a person: the typed message, a file-system failure said plainly, or a generic line. */
export function describeError(e: unknown): string {
  if (isStudioError(e)) return e.message;
  const problem = fileSystemProblem(e);
  if (problem) {
    // A temporary file written beside its target stands for the target.
    const where = (e as NodeJS.ErrnoException).path?.replace(/\.\d+\.\d+\.tmp$/, '');
    return `Could not use ${where ?? 'a file'}: ${problem}.`;
  }
  if (e instanceof Error) return `Unexpected error: ${e.message.split('\n')[0]}`;
  return `Unexpected error: ${String(e)}`;
}
