import { importDataset, type ImportProgress } from '../../engine/dataset/import/index';
import type { JobDefinition } from '../job-context';

/** "1 h 02 min", "3 min 05 s", "12.4 s": audio durations as people say them. */
export function formatAudioDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  return `${m} min ${String(s % 60).padStart(2, '0')} s`;
}

/** "412 / 1,204 files · 1 h 02 min of audio · 3 skipped" */
export function importFigures(p: Pick<ImportProgress, 'filesDone' | 'filesTotal' | 'filesSkipped' | 'audioSeconds'>): string {
  const skipped = p.filesSkipped > 0 ? ` · ${p.filesSkipped.toLocaleString('en')} skipped` : '';
  return `${p.filesDone.toLocaleString('en')} / ${p.filesTotal.toLocaleString('en')} files · ${formatAudioDuration(p.audioSeconds)} of audio${skipped}`;
}

/** Progress events at most this often (a refresh of thousands of unchanged files finishes each in microseconds). */
const PROGRESS_EVERY_MS = 100;

/** Import or refresh one dataset of a project; progress carries files done, skipped and audio seconds. */
export const importJob: JobDefinition<'import'> = {
  kind: 'import',
  async run(request, ctx) {
    let last = 0;
    const summary = await importDataset(request.project, request.dataset, {
      signal: ctx.signal,
      onProgress: (p) => {
        const now = Date.now();
        if (p.phase === 'importing' && p.filesDone < p.filesTotal && now - last < PROGRESS_EVERY_MS) return;
        last = now;
        ctx.progress({
          phase: p.phase,
          done: p.filesDone,
          total: p.phase === 'scanning' ? null : p.filesTotal,
          etaSeconds: p.etaSeconds,
          metrics: { filesDone: p.filesDone, filesTotal: p.filesTotal, filesSkipped: p.filesSkipped, audioSeconds: p.audioSeconds },
          figures: p.phase === 'scanning' ? undefined : importFigures(p),
        });
      },
    });
    return { ...summary };
  },
};
