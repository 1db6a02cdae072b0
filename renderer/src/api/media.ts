// Where an <audio> element finds a file of the open project (a dataset file, a training sample,
// a render). A same-origin URL serves both transports: browser mode's server answers /media with
// the token from its HttpOnly cookie; Electron's app://studio handler answers app://studio/media.
// Only files of projects opened in this session (and their dataset folders) are served.

/** The playable URL of an audio file (.wav, .flac, .ogg, .mp3) given by its absolute path. */
export function mediaUrl(absPath: string): string {
  return `/media?path=${encodeURIComponent(absPath)}`;
}
