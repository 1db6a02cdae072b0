import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, describeError } from '../api';
import type { JobFinishedEvent, JobInfo, JobProgressEvent, JobStartRequest } from '../api';
import { useNotificationsStore } from './notifications';
import { notificationFor, notificationSubject } from './job-notifications';

export interface TrackedJob {
  id: string;
  kind: string;
  label: string;
  phase: string;
  done: number;
  total: number | null;
  etaSeconds: number | null;
  figures: string;
  /** Structured numbers (step, losses, samples/s, files …) for views that chart them. */
  metrics: NonNullable<JobProgressEvent['metrics']>;
  /** What was asked (set for jobs started here or listed after a reload). */
  request: JobStartRequest | null;
  state: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  error: string;
  /** The failure's code (e.g. WORKER_CRASHED: the process died, the work is resumable). */
  errorCode: string;
  cancelling: boolean;
}

const labels: Record<string, string> = { analyze: 'Analyze', import: 'Import', train: 'Training', render: 'Render', estimate: 'Measuring step time' };

export const useJobsStore = defineStore('jobs', () => {
  const jobs = ref<Record<string, TrackedJob>>({});
  const connectionError = ref('');
  const running = computed(() => Object.values(jobs.value).filter((j) => j.state === 'running' || j.state === 'queued'));

  function track(id: string, kind: string, request: JobStartRequest | null = null): TrackedJob {
    const existing = jobs.value[id];
    if (existing) {
      if (request && !existing.request) existing.request = request;
      return existing;
    }
    const job: TrackedJob = {
      id,
      kind,
      label: labels[kind] ?? kind,
      phase: 'starting',
      done: 0,
      total: null,
      etaSeconds: null,
      figures: '',
      metrics: {},
      request,
      state: 'running',
      error: '',
      errorCode: '',
      cancelling: false,
    };
    jobs.value[id] = job;
    return job;
  }

  async function start(request: JobStartRequest): Promise<string> {
    const { jobId } = await api.jobs.start(request);
    track(jobId, request.kind, request);
    return jobId;
  }

  async function cancel(id: string): Promise<void> {
    const job = jobs.value[id];
    if (!job || (job.state !== 'running' && job.state !== 'queued')) return;
    job.cancelling = true;
    try {
      await api.jobs.cancel({ jobId: id });
    } catch (err) {
      job.cancelling = false;
      useNotificationsStore().push('error', `Could not cancel ${job.label.toLowerCase()}`, [{ text: describeError(err) }]);
    }
  }

  function onProgress(event: JobProgressEvent): void {
    const job = track(event.jobId, event.kind);
    if (job.state !== 'running' && job.state !== 'queued') return;
    job.state = event.phase === 'queued' ? 'queued' : 'running';
    job.phase = event.phase;
    job.done = event.done;
    job.total = event.total ?? null;
    job.etaSeconds = event.etaSeconds ?? null;
    job.figures = event.figures ?? job.figures;
    if (event.metrics) job.metrics = { ...job.metrics, ...event.metrics };
  }

  function onFinished(event: JobFinishedEvent): void {
    const job = track(event.jobId, event.kind);
    job.state = event.status;
    job.error = event.error?.message ?? '';
    job.errorCode = event.error?.code ?? '';
    job.cancelling = false;
    const note = notificationFor(job.label, event);
    const subject = notificationSubject(job.request);
    const notifications = useNotificationsStore();
    // A success the person is looking at in place (the render panel of its document) needs no
    // notification; one from a hidden window or another view does.
    const seen = subject !== undefined && notifications.shownInPlace(subject) && document.visibilityState === 'visible';
    if (note.kind === 'success' && seen) notifications.dismissSubject(subject);
    else notifications.push(note.kind, note.title, note.lines, subject);
  }

  /** A job the main side knows (after a reload): running ones are followed, ended ones keep their outcome quietly. */
  function adopt(info: JobInfo): void {
    const job = track(info.jobId, info.kind, info.request);
    if (info.status === 'running' || info.status === 'queued') {
      job.state = info.status;
      if (info.progress) onProgress(info.progress);
      return;
    }
    job.state = info.status;
    job.error = info.error?.message ?? '';
    job.errorCode = info.error?.code ?? '';
  }

  /** Picks up jobs that were already running when the window opened (e.g. after a reload). */
  async function refresh(): Promise<void> {
    try {
      const list = await api.jobs.list();
      for (const info of list) adopt(info);
      connectionError.value = '';
    } catch (err) {
      connectionError.value = describeError(err);
    }
  }

  async function pause(id: string, paused: boolean): Promise<void> {
    try {
      await api.jobs.pause({ jobId: id, paused });
    } catch (err) {
      useNotificationsStore().push('error', paused ? 'Could not pause' : 'Could not resume', [{ text: describeError(err) }]);
    }
  }

  return { jobs, running, connectionError, start, cancel, pause, onProgress, onFinished, refresh };
});

/** Subscribes the jobs store to the API's job events, once, for the app's lifetime. */
export function connectJobEvents(): void {
  const store = useJobsStore();
  api.jobs.onProgress((event) => store.onProgress(event));
  api.jobs.onFinished((event) => store.onFinished(event));
  void store.refresh();
}
