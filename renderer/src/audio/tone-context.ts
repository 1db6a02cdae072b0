// The studio's one Tone.js context: every section plays through it (file playback, the editor's
// preview synth, key audition), so there is one output and one volume. Made on first use — a user
// gesture, so the browser lets it start — with a timer clock: Tone's default context builds its
// clock from a blob: Web Worker, which the app's Content-Security-Policy (script-src 'self') refuses.
import { Context } from 'tone/build/esm/core/context/Context.js';
import { setContext } from 'tone/build/esm/core/context/GlobalContext.js';
// Registers the Destination (Tone's master output) for every context Tone initialises.
import 'tone/build/esm/core/context/Destination.js';

let shared: Context | null = null;

/** The shared context, made (and set as Tone's global one) on the first call; null without Web Audio. */
export function studioContext(): Context | null {
  if (shared) return shared;
  try {
    shared = new Context({ clockSource: 'timeout', latencyHint: 'interactive' });
    setContext(shared);
  } catch {
    shared = null;
  }
  return shared;
}

/** Lets the context run (browsers start it suspended until a gesture); false when it cannot. */
export async function resumeStudioContext(): Promise<boolean> {
  const ctx = studioContext();
  if (!ctx) return false;
  if (ctx.state !== 'running') {
    try {
      await ctx.resume();
    } catch {
      return false;
    }
  }
  return ctx.state === 'running';
}
