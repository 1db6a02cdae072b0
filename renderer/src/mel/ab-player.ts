// A/B listening for the mel editor: the analysed recording (A) and the sheet's Griffin-Lim preview
// (B) as sample buffers played through the studio's one Tone.js output; switching sides while
// playing goes on at the same position, so the two can be compared phrase by phrase. The source
// is decoded in the browser (fetch + decodeAudioData at the document's rate). Without a running
// audio clock (no output device) the playhead follows the wall clock, as the score preview does.
import { connect } from 'tone/build/esm/core/context/ToneAudioNode.js';
import { stop as stopFilePlayer } from '../audio/player';
import { resumeStudioContext, studioContext } from '../audio/tone-context';

export type Side = 'A' | 'B';

/** The recording at `url` as mono samples at `sampleRate` (channels averaged). */
export async function decodeSource(url: string, sampleRate: number, signal?: AbortSignal): Promise<Float32Array> {
  const response = await fetch(url, { signal });
  if (response.status === 404) throw new Error('the recording is not there any more (moved or deleted).');
  if (response.status === 403) throw new Error('the recording is outside the open project and its dataset folders, which are all the studio plays.');
  if (!response.ok) throw new Error(`the recording could not be read (HTTP ${response.status}).`);
  const bytes = await response.arrayBuffer();
  // An offline context decodes without an output device and resamples to the document's rate.
  const ctx = new OfflineAudioContext(1, 1, sampleRate);
  let buffer: AudioBuffer;
  try {
    buffer = await ctx.decodeAudioData(bytes);
  } catch {
    throw new Error('the browser could not decode the recording.');
  }
  const out = new Float32Array(buffer.length);
  for (let c = 0; c < buffer.numberOfChannels; c++) {
    const ch = buffer.getChannelData(c);
    for (let i = 0; i < out.length; i++) out[i] += ch[i]! / buffer.numberOfChannels;
  }
  return out;
}

interface Playing {
  side: Side;
  samples: Float32Array;
  sampleRate: number;
  /** Seconds into the sound at `t0` (audio or wall clock). */
  from: number;
  t0: number;
  wall: boolean;
  node: AudioBufferSourceNode | null;
}

export class AbPlayer {
  private playing: Playing | null = null;
  private stoppedAt = 0;
  private buffers = new WeakMap<Float32Array, AudioBuffer>();
  /** Called when a side plays to its end. */
  onEnd: (() => void) | null = null;

  get side(): Side | null {
    return this.playing?.side ?? null;
  }

  get isPlaying(): boolean {
    return this.playing !== null;
  }

  /** Seconds into the sound now (where it stopped when not playing). */
  position(): number {
    const p = this.playing;
    if (!p) return this.stoppedAt;
    const t = p.from + (this.now(p.wall) - p.t0);
    const length = p.samples.length / p.sampleRate;
    if (t >= length) {
      this.finish();
      return length;
    }
    return t;
  }

  /** Plays `samples` (the side's sound) from `from` seconds, stopping anything else that plays. */
  async play(side: Side, samples: Float32Array, sampleRate: number, from: number): Promise<void> {
    this.halt();
    stopFilePlayer();
    const start = Math.max(0, Math.min(from, samples.length / sampleRate));
    const ctx = studioContext();
    const running = ctx ? await resumeStudioContext() : false;
    let node: AudioBufferSourceNode | null = null;
    if (ctx && running) {
      let buffer = this.buffers.get(samples);
      if (!buffer || buffer.sampleRate !== sampleRate) {
        buffer = ctx.createBuffer(1, Math.max(1, samples.length), sampleRate);
        buffer.getChannelData(0).set(samples);
        this.buffers.set(samples, buffer);
      }
      node = ctx.createBufferSource();
      node.buffer = buffer;
      connect(node, ctx.destination);
      node.start(ctx.rawContext.currentTime, start);
    }
    const wall = node === null;
    this.playing = { side, samples, sampleRate, from: start, t0: this.now(wall), wall, node };
  }

  /** Stops and keeps the position. */
  stop(): void {
    if (this.playing) this.stoppedAt = this.position();
    this.halt();
  }

  /** Moves the playhead (a playing side jumps there). */
  seek(seconds: number): void {
    const p = this.playing;
    if (!p) {
      this.stoppedAt = Math.max(0, seconds);
      return;
    }
    void this.play(p.side, p.samples, p.sampleRate, seconds);
  }

  dispose(): void {
    this.halt();
    this.onEnd = null;
  }

  private finish(): void {
    const p = this.playing;
    if (!p) return;
    this.stoppedAt = p.samples.length / p.sampleRate;
    this.halt();
    this.onEnd?.();
  }

  private halt(): void {
    const node = this.playing?.node;
    this.playing = null;
    if (node) {
      try {
        node.stop();
        node.disconnect();
      } catch {
        // Already stopped.
      }
    }
  }

  private now(wall: boolean): number {
    const ctx = wall ? null : studioContext();
    return ctx ? ctx.rawContext.currentTime : performance.now() / 1000;
  }
}
