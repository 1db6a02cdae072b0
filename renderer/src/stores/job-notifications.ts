import type { JobFinishedEvent } from '../api';
import type { NotificationKind, StudioNotification } from './notifications';

/** What a finished job tells the person: the outcome and the few facts they need next. */
export function notificationFor(
  label: string,
  event: JobFinishedEvent,
): { kind: NotificationKind; title: string; lines: StudioNotification['lines'] } {
  if (event.status === 'done') {
    const lines: StudioNotification['lines'] = [];
    const result = event.result ?? {};
    if (typeof result.outputPath === 'string') lines.push({ label: 'Output', text: result.outputPath, mono: true });
    if (typeof result.frames === 'number') lines.push({ label: 'Frames', text: String(result.frames) });
    return { kind: 'success', title: `${label} finished`, lines };
  }
  if (event.status === 'cancelled') return { kind: 'info', title: `${label} cancelled`, lines: [] };
  return { kind: 'error', title: `${label} failed`, lines: [{ text: event.error?.message ?? 'The job stopped without a reason.' }] };
}
