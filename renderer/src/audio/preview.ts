// The editor's preview: a score played on a Tone.js PolySynth through the studio's one output, and
// single notes auditioned from the piano keys. Notes are scheduled a little ahead of the audio
// clock (a lookahead loop, as every Web Audio sequencer does), so that edits made while it plays are
// heard within a tenth of a second and a loop wraps without a gap. Tone's Transport is not used:
// it counts in ticks (a few ms at common tempos), and a score's notes are in seconds.
import { PolySynth } from 'tone/build/esm/instrument/PolySynth.js';
import { Synth } from 'tone/build/esm/instrument/Synth.js';
import type { Context } from 'tone/build/esm/core/context/Context.js';
import { resumeStudioContext, studioContext } from './tone-context';

export interface PreviewNote {
  pitch: number;
  start: number;
  duration: number;
  velocity: number;
}

export interface LoopRegion {
  start: number;
  end: number;
}

/** How far ahead of the audio clock notes are handed to the synth (s), and how often (ms). */
const LOOKAHEAD = 0.12;
const TICK_MS = 25;
/** The shortest loop played; a shorter region would schedule without end. */
const MIN_LOOP = 0.05;

export function pitchFrequency(pitch: number): number {
  return 440 * 2 ** ((pitch - 69) / 12);
}

function makeSynth(ctx: Context): PolySynth<Synth> {
  const synth = new PolySynth<Synth>({
    context: ctx,
    voice: Synth,
    maxPolyphony: 64,
    volume: -12,
    options: {
      oscillator: { type: 'triangle' },
      envelope: { attack: 0.005, decay: 0.25, sustain: 0.45, release: 0.25 },
    },
  });
  synth.connect(ctx.destination);
  return synth;
}

/** Plays notes from a position, optionally looping a region; read `position()` for the playhead. */
export class ScorePreview {
  private notes: PreviewNote[] = [];
  private synth: PolySynth<Synth> | null = null;
  private auditionSynth: PolySynth<Synth> | null = null;
  private ctx: Context | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Audio-clock time at which `from` sounds. */
  private t0 = 0;
  private from = 0;
  private loop: LoopRegion | null = null;
  /** Unrolled playing time (s since t0) up to which notes were handed over. */
  private scheduled = 0;
  /** Without a running audio clock (no audio device), the wall clock moves the playhead. */
  private wallClock = false;
  private wallStart = 0;
  private stopped = 0;
  playing = false;
  /** Called when playback reaches the end of the notes (not when looping). */
  onEnd: (() => void) | null = null;

  /** The notes to play (copied, sorted by start); while playing, later notes follow the new ones. */
  setNotes(notes: readonly PreviewNote[]): void {
    this.notes = notes.map((n) => ({ pitch: n.pitch, start: n.start, duration: n.duration, velocity: n.velocity })).sort((a, b) => a.start - b.start);
  }

  /** The region to loop while playing, or null; takes effect at once. */
  setLoop(loop: LoopRegion | null): void {
    const valid = loop && loop.end - loop.start >= MIN_LOOP ? { start: loop.start, end: loop.end } : null;
    if (this.playing) {
      // Keep the playhead where it is, on the new timeline.
      const here = this.position();
      this.loop = valid;
      this.restartAt(valid && (here < valid.start || here >= valid.end) ? valid.start : here);
    } else {
      this.loop = valid;
    }
  }

  get looping(): boolean {
    return this.loop !== null;
  }

  /** Score seconds now sounding (the playhead); where it stopped when not playing. */
  position(): number {
    if (!this.playing) return this.stopped;
    return this.scoreTime(this.elapsed());
  }

  async play(from: number): Promise<void> {
    this.stop();
    this.ctx = studioContext();
    const running = await resumeStudioContext();
    this.wallClock = !running || !this.ctx;
    if (!this.wallClock && this.ctx) this.synth = makeSynth(this.ctx);
    this.playing = true;
    const loop = this.loop;
    this.restartAt(loop && (from < loop.start || from >= loop.end) ? loop.start : from);
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.tick();
  }

  /** Stops playing and keeps the position. */
  stop(): void {
    if (this.playing) this.stopped = this.position();
    this.playing = false;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    const synth = this.synth;
    this.synth = null;
    if (synth) {
      // Fade rather than cut (no click), then let the voices and their pending releases go.
      synth.releaseAll();
      synth.volume.rampTo(-60, 0.04);
      setTimeout(() => synth.dispose(), 300);
    }
  }

  /** Moves the playhead (and playback, when it plays). */
  seek(seconds: number): void {
    const t = Math.max(0, seconds);
    if (this.playing) {
      this.synth?.releaseAll();
      this.restartAt(t);
    } else {
      this.stopped = t;
    }
  }

  /** Sounds one pitch now (a click on the piano keys, a note drawn or moved). */
  async audition(pitch: number, velocity = 0.8, seconds = 0.35): Promise<void> {
    const ctx = studioContext();
    if (!ctx || !(await resumeStudioContext())) return;
    if (!this.auditionSynth || this.auditionSynth.context !== ctx) this.auditionSynth = makeSynth(ctx);
    this.auditionSynth.triggerAttackRelease(pitchFrequency(pitch), seconds, ctx.immediate(), Math.max(0.05, velocity));
  }

  dispose(): void {
    this.stop();
    this.auditionSynth?.dispose();
    this.auditionSynth = null;
  }

  private now(): number {
    return this.wallClock || !this.ctx ? performance.now() / 1000 - this.wallStart : this.ctx.rawContext.currentTime;
  }

  private elapsed(): number {
    return Math.max(0, this.now() - this.t0);
  }

  private restartAt(from: number): void {
    if (this.wallClock) this.wallStart = performance.now() / 1000;
    this.from = from;
    // A moment's delay so the first notes are not late.
    this.t0 = this.now() + (this.wallClock ? 0 : 0.03);
    this.scheduled = 0;
  }

  /** Unrolled time → score time: straight from `from` to the loop's end, then round the loop. */
  private scoreTime(u: number): number {
    const loop = this.loop;
    if (!loop || this.from >= loop.end) return this.from + u;
    const first = loop.end - this.from;
    if (u < first) return this.from + u;
    return loop.start + ((u - first) % (loop.end - loop.start));
  }

  private endTime(): number {
    let end = 0;
    for (const n of this.notes) end = Math.max(end, n.start + n.duration);
    return end;
  }

  private tick(): void {
    if (!this.playing) return;
    const u = this.elapsed();
    if (!this.loop && this.scoreTime(u) > this.endTime() + 0.3) {
      this.stop();
      this.onEnd?.();
      return;
    }
    const horizon = u + LOOKAHEAD;
    if (this.synth) this.schedule(this.scheduled, horizon);
    this.scheduled = horizon;
  }

  /** Hands the synth every note that starts in unrolled time [u0, u1). */
  private schedule(u0: number, u1: number): void {
    const loop = this.loop;
    if (!loop || this.from >= loop.end) {
      this.scheduleSpan(this.from + u0, this.from + u1, this.t0 - this.from, Number.POSITIVE_INFINITY);
      return;
    }
    // Segment 0 runs from `from` to the loop's end; segment k ≥ 1 is the k-th time round the loop.
    const first = loop.end - this.from;
    const length = loop.end - loop.start;
    let segStartU = 0;
    let segFrom = this.from;
    let segEnd = first;
    for (let k = 0; segStartU < u1; k++) {
      const a = Math.max(u0, segStartU);
      const b = Math.min(u1, segEnd);
      if (b > a) this.scheduleSpan(segFrom + (a - segStartU), segFrom + (b - segStartU), this.t0 + segStartU - segFrom, loop.end);
      segStartU = segEnd;
      segFrom = loop.start;
      segEnd = segStartU + length;
      if (k > 10_000) break;
    }
  }

  /** Notes starting in score time [s0, s1), sounding at `offset` + start, cut at `cut`. */
  private scheduleSpan(s0: number, s1: number, offset: number, cut: number): void {
    const synth = this.synth!;
    const notes = this.notes;
    let lo = 0;
    let hi = notes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (notes[mid]!.start < s0) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < notes.length && notes[i]!.start < s1; i++) {
      const n = notes[i]!;
      const duration = Math.max(0.02, Math.min(n.duration, cut - n.start));
      synth.triggerAttackRelease(pitchFrequency(n.pitch), duration, offset + n.start, Math.max(0.05, n.velocity));
    }
  }
}
