// Playback of renders on the app's one player (audio/player.ts: one file at a time, through
// Tone.js's output), plus what the Renders section needs beside it: a file addressed by its path,
// seeking by a fraction of its length (a click on a thumbnail), and looping. Starting a render
// stops whatever else played, in this section or another one.
import { computed, ref, watch } from 'vue';
import { mediaUrl } from '../api/media';
import { load, play, playback, seek, stop, unload } from './player';

/** Whether a render that reaches its end starts again from the top. */
export const loop = ref(false);

/** The media URL of the render this module last started (null: the player plays someone else's file). */
const owned = ref<string | null>(null);

/** The absolute path of the render loaded in the player, or null. */
export const currentRender = computed(() => (owned.value !== null && playback.src === owned.value ? pathOf(owned.value) : null));

function pathOf(src: string): string {
  return decodeURIComponent(src.slice(src.indexOf('=') + 1));
}

export function isCurrent(path: string): boolean {
  return playback.src === mediaUrl(path);
}

export function isPlaying(path: string): boolean {
  return playback.playing && isCurrent(path);
}

/** Plays the render from `from` seconds (or where it stood), stopping any other file. */
export function playRender(path: string, seconds: number, from?: number): Promise<void> {
  const src = mediaUrl(path);
  owned.value = src;
  return play(src, { duration: seconds, from });
}

/** Play ↔ stop for one render; stop keeps the position, so play goes on from there. */
export function toggleRender(path: string, seconds: number): Promise<void> {
  if (isPlaying(path)) {
    stop();
    return Promise.resolve();
  }
  return playRender(path, seconds);
}

/**
 * Moves the render's playhead to `fraction` (0..1) of its length. A playing render jumps there; a
 * render that is not loaded is loaded and starts there (a click on a thumbnail means "play here").
 */
export function seekRender(path: string, seconds: number, fraction: number): Promise<void> {
  const src = mediaUrl(path);
  const f = Math.max(0, Math.min(1, fraction));
  if (playback.src !== src) return playRender(path, seconds, f * seconds);
  const length = playback.duration > 0 ? playback.duration : seconds;
  if (playback.playing) {
    seek(f * length);
    return Promise.resolve();
  }
  return playRender(path, seconds, f * length);
}

/** Loads the render so that its playhead shows without playing. */
export function cueRender(path: string, seconds: number): void {
  owned.value = mediaUrl(path);
  load(owned.value, seconds);
}

/** Stops a render that plays (not another section's file). */
export function stopRenders(): void {
  if (currentRender.value !== null && playback.playing) stop();
}

/** Forgets the render loaded (the view goes away, or the file was deleted); others' files stay. */
export function releaseRender(path?: string): void {
  const current = currentRender.value;
  if (current === null || (path !== undefined && current !== path)) return;
  unload();
  owned.value = null;
}

/** Where the render stands as 0..1 of its length (0 when another file is loaded). */
export function progressOf(path: string, seconds: number): number {
  if (!isCurrent(path)) return 0;
  const length = playback.duration > 0 ? playback.duration : seconds;
  return length > 0 ? Math.max(0, Math.min(1, playback.position / length)) : 0;
}

// Looping: the player stops at the end with the position at the end; a render of ours that does
// so while the loop is on starts over. (A stop by the person leaves the position before the end.)
watch(
  () => playback.playing,
  (playing, was) => {
    if (playing || !was || !loop.value) return;
    const src = owned.value;
    if (src === null || playback.src !== src || playback.error) return;
    const length = playback.duration;
    if (length > 0 && playback.position >= length - 0.05) void play(src, { from: 0 });
  },
);

/** Why the loaded file cannot be played, in one line; empty when it can. */
export function playbackError(): string {
  return playback.error;
}

/** Seconds played of the render (0 when another file is loaded). */
export function positionOf(path: string): number {
  return isCurrent(path) ? playback.position : 0;
}
