// The studio's playback of files: one player for the whole app (starting one file stops the
// other), its sound going out through Tone.js's one output so that every section shares a volume
// and a destination. The file streams through an <audio> element from its media URL (Range
// requests: a long recording starts at once and seeks without being decoded whole) and enters
// Tone's audio context as a MediaElementAudioSourceNode.
//
// Tone is imported by module, not through 'tone' itself: that entry point creates its default
// context at import time with a Web Worker clock built from a blob: URL, which the app's
// Content-Security-Policy (script-src 'self') refuses. The context is the studio's shared one
// (tone-context.ts), made on the first play or audition, which the editor's preview synth shares.
import { reactive, readonly } from 'vue';
import type { Context } from 'tone/build/esm/core/context/Context.js';
import { connect } from 'tone/build/esm/core/context/ToneAudioNode.js';
import { studioContext } from './tone-context';

export interface PlaybackState {
  /** The media URL loaded, or null. */
  src: string | null;
  playing: boolean;
  /** Waiting for data (starting, or a seek beyond what has arrived). */
  loading: boolean;
  /** Seconds from the start of the file. */
  position: number;
  /** Seconds; the caller's figure until the file's own metadata arrives. */
  duration: number;
  /** Why the file cannot be played, in one line; empty when it can. */
  error: string;
}

const state = reactive<PlaybackState>({ src: null, playing: false, loading: false, position: 0, duration: 0, error: '' });

/** The player's state for views to render (a playhead, a clock, the play button). */
export const playback: Readonly<PlaybackState> = readonly(state);

let element: HTMLAudioElement | null = null;
let toneContext: Context | null = null;
let routed = false;
let frame = 0;

function mediaErrorText(error: MediaError | null): string {
  switch (error?.code) {
    case MediaError.MEDIA_ERR_ABORTED:
      return 'Playback was stopped before the file loaded.';
    case MediaError.MEDIA_ERR_NETWORK:
      return 'The file could not be read from the studio server; check that it is still running.';
    case MediaError.MEDIA_ERR_DECODE:
      return 'The browser could not decode this file.';
    case MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED:
      return 'The file could not be played: it is missing, outside the open project, or in a format the browser cannot play.';
    default:
      return 'The file could not be played.';
  }
}

function audioElement(): HTMLAudioElement {
  if (element) return element;
  const el = new Audio();
  el.preload = 'metadata';
  el.addEventListener('loadedmetadata', () => {
    if (Number.isFinite(el.duration) && el.duration > 0) state.duration = el.duration;
  });
  el.addEventListener('waiting', () => (state.loading = true));
  el.addEventListener('playing', () => (state.loading = false));
  el.addEventListener('seeked', () => {
    state.loading = false;
    state.position = el.currentTime;
  });
  el.addEventListener('pause', () => {
    state.playing = false;
    state.position = el.currentTime;
    stopClock();
  });
  el.addEventListener('ended', () => {
    state.playing = false;
    state.loading = false;
    state.position = state.duration || el.currentTime;
    stopClock();
  });
  el.addEventListener('error', () => {
    if (!el.getAttribute('src')) return;
    state.error = mediaErrorText(el.error);
    state.playing = false;
    state.loading = false;
    stopClock();
  });
  element = el;
  return el;
}

/** Sends the element's sound through Tone's output; without Web Audio it plays on its own. */
function routeThroughTone(el: HTMLAudioElement): void {
  if (routed) return;
  routed = true;
  try {
    toneContext = studioContext();
    if (!toneContext) return;
    connect(toneContext.createMediaElementSource(el), toneContext.destination);
  } catch {
    toneContext = null;
  }
}

function tick(): void {
  if (element) state.position = element.currentTime;
  frame = state.playing ? requestAnimationFrame(tick) : 0;
}

function stopClock(): void {
  if (frame) cancelAnimationFrame(frame);
  frame = 0;
}

/** Loads a file without playing it, so the playhead and seeking work before the first play. */
export function load(src: string, durationHint = 0): void {
  if (state.src === src) return;
  const el = audioElement();
  el.pause();
  state.src = src;
  state.error = '';
  state.position = 0;
  state.duration = durationHint;
  state.playing = false;
  state.loading = false;
  el.src = src;
}

/** Plays src (loading it first when it is another file) from `from` seconds, or from where it stands. */
export async function play(src: string, options: { from?: number; duration?: number } = {}): Promise<void> {
  const el = audioElement();
  routeThroughTone(el);
  load(src, options.duration);
  if (options.from !== undefined) seek(options.from);
  else if (state.duration > 0 && state.position >= state.duration - 0.01) seek(0);
  state.error = '';
  state.loading = true;
  state.playing = true;
  if (!frame) frame = requestAnimationFrame(tick);
  try {
    if (toneContext && toneContext.state !== 'running') await toneContext.resume();
    await el.play();
  } catch (err) {
    // A pause() or a new file before playback began is not a failure.
    if (err instanceof DOMException && err.name === 'AbortError') return;
    state.playing = false;
    state.loading = false;
    stopClock();
    if (!state.error) state.error = err instanceof DOMException && err.name === 'NotAllowedError'
      ? 'The browser blocked playback: click play once more.'
      : mediaErrorText(el.error);
  }
}

/** Stops playing and keeps the position (Space again goes on from there). */
export function stop(): void {
  if (!element) return;
  element.pause();
  // Where it stopped, now: the last animation frame read the clock up to a frame earlier, and the
  // 'pause' event that also reads it arrives after the button already shows Play.
  state.position = element.currentTime;
  state.playing = false;
  state.loading = false;
  stopClock();
}

export function toggle(src: string, options: { duration?: number } = {}): Promise<void> {
  if (state.playing && state.src === src) {
    stop();
    return Promise.resolve();
  }
  return play(src, options);
}

/** Moves the playhead (and playback, when it plays) to `seconds`. */
export function seek(seconds: number): void {
  const el = audioElement();
  const limit = state.duration > 0 ? state.duration : Number.POSITIVE_INFINITY;
  const t = Math.max(0, Math.min(seconds, limit));
  state.position = t;
  el.currentTime = t;
}

/** Stops and forgets the file (a view going away). */
export function unload(): void {
  if (!element) return;
  element.pause();
  element.removeAttribute('src');
  element.load();
  stopClock();
  Object.assign(state, { src: null, playing: false, loading: false, position: 0, duration: 0, error: '' });
}
