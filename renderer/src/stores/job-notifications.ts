import type { JobFinishedEvent, JobStartRequest } from '../api';
import type { NotificationKind, StudioNotification } from './notifications';

type Lines = StudioNotification['lines'];

/** The few facts a person needs next from a finished job's result, by what the result holds. */
function resultLines(result: JobFinishedEvent['result']): Lines {
  const lines: Lines = [];
  if (!result) return lines;
  if ('outputPath' in result) lines.push({ label: 'Output', text: result.outputPath, mono: true }, { label: 'Frames', text: String(result.frames) });
  if ('filesUsed' in result) {
    lines.push({ label: 'Files', text: `${result.filesUsed} used · ${result.filesSkipped} skipped` });
    lines.push({ label: 'Changes', text: `${result.added} new · ${result.changed} changed · ${result.removed} removed · ${result.unchanged} unchanged` });
  }
  if ('runDir' in result) {
    lines.push({ label: 'Step', text: `${result.step}` });
    if (result.valLoss !== null) lines.push({ label: 'Validation', text: `${result.valLoss.toFixed(3)} nats/sample` });
  }
  if ('outputs' in result) for (const o of result.outputs) lines.push({ label: 'Output', text: o.path, mono: true });
  return lines;
}

/** What a finished job tells the person: the outcome and the few facts they need next. */
export function notificationFor(label: string, event: JobFinishedEvent): { kind: NotificationKind; title: string; lines: Lines } {
  if (event.status === 'done') return { kind: 'success', title: `${label} finished`, lines: resultLines(event.result) };
  if (event.status === 'cancelled') return { kind: 'info', title: `${label} stopped`, lines: resultLines(event.result) };
  return { kind: 'error', title: `${label} failed`, lines: [{ text: event.error?.message ?? 'The job stopped without a reason.' }] };
}

/**
 * What a job's notification is about, where a person starts the same job again and again: the
 * renders of one editor document (each edit renders anew). Other jobs' notifications all stay.
 */
export function notificationSubject(request: JobStartRequest | null): string | undefined {
  if (request?.kind === 'render' && request.source.type === 'document') return documentRenders(request.source.project, request.source.id);
  return undefined;
}

/** The subject of one document's renders. */
export function documentRenders(project: string, id: string): string {
  return `render:${project}:${id}`;
}
