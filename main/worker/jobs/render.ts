import { renderToFile, type RenderFileProgress } from '../../engine/generate/render-file';
import { segmentFigures } from '../../contract/domain/render';
import type { JobDefinition } from '../job-context';

function figures(p: RenderFileProgress): string | undefined {
  if (p.phase !== 'generating' && p.phase !== 'writing') return undefined;
  const take = p.outputs > 1 ? `take ${p.output}/${p.outputs} · ` : '';
  const segments = p.segments ? `${segmentFigures(p.segments)} · ` : '';
  return `${take}${segments}${p.audioSeconds.toFixed(1)} s · ${Math.round(p.samplesPerSec).toLocaleString('en')} samples/s · ${p.realTimeFactor.toFixed(2)}× real time`;
}

/** Render audio from a model and a conditioning source into a file (and its sidecar), as the CLI's render does. */
export const renderJob: JobDefinition<'render'> = {
  kind: 'render',
  async run(request, ctx) {
    const result = await renderToFile({
      model: request.model,
      source: request.source,
      out: request.out,
      format: request.format,
      settings: request.settings,
      variations: request.variations,
      project: request.project,
      playhead: request.playhead,
      signal: ctx.signal,
      onProgress: (p) => {
        const working = p.phase === 'generating' || p.phase === 'writing';
        ctx.progress({
          phase: p.phase,
          done: p.done,
          total: working ? p.total : null,
          etaSeconds: working ? p.etaSeconds : null,
          metrics: {
            samplesPerSec: p.samplesPerSec, realTimeFactor: p.realTimeFactor, audioSeconds: p.audioSeconds,
            ...(p.segments
              ? { segmentsTotal: p.segments.total, segmentsRendered: p.segments.rendered, segmentsReused: p.segments.reused, segmentsRendering: p.segments.rendering.length }
              : {}),
          },
          figures: figures(p),
        });
      },
    });
    return {
      outputs: result.outputs.map((o) => ({ path: o.path, sidecar: o.sidecar, seconds: o.seconds, seed: o.seed, temperature: o.temperature })),
      seconds: result.seconds, samplesPerSec: result.samplesPerSec, realTimeFactor: result.realTimeFactor, device: result.device,
      ...(result.segments ? { segments: result.segments } : {}),
    };
  },
};
