import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, describeError } from '../api';
import type { JobFinishedEvent, JobProgressEvent, JobStartRequest } from '../api';
import { useNotificationsStore } from './notifications';
import { notificationFor } from './job-notifications';

export interface TrackedJob {
  id: string;
  kind: string;
  label: string;
  phase: string;
  done: number;
  total: number | null;
  etaSeconds: number | null;
  figures: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  cancelling: boolean;
}

const labels: Record<string, string> = { analyze: 'Analyze', import: 'Import', train: 'Training', render: 'Render' };

export const useJobsStore = defineStore('jobs', () => {
  const jobs = ref<Record<string, TrackedJob>>({});
  const connectionError = ref('');
  const running = computed(() => Object.values(jobs.value).filter((j) => j.state === 'running'));

  function track(id: string, kind: string): TrackedJob {
    const existing = jobs.value[id];
    if (existing) return existing;
    const job: TrackedJob = {
      id,
      kind,
      label: labels[kind] ?? kind,
      phase: 'starting',
      done: 0,
      total: null,
      etaSeconds: null,
      figures: '',
      state: 'running',
      cancelling: false,
    };
    jobs.value[id] = job;
    return job;
  }

  async function start(request: JobStartRequest): Promise<string> {
    const { jobId } = await api.jobs.start(request);
    track(jobId, request.kind);
    return jobId;
  }

  async function cancel(id: string): Promise<void> {
    const job = jobs.value[id];
    if (!job || job.state !== 'running') return;
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
    if (job.state !== 'running') return;
    job.phase = event.phase;
    job.done = event.done;
    job.total = event.total ?? null;
    job.etaSeconds = event.etaSeconds ?? null;
    job.figures = event.figures ?? job.figures;
  }

  function onFinished(event: JobFinishedEvent): void {
    const job = track(event.jobId, event.kind);
    job.state = event.status;
    job.cancelling = false;
    const note = notificationFor(job.label, event);
    useNotificationsStore().push(note.kind, note.title, note.lines);
  }

  /** Picks up jobs that were already running when the window opened (e.g. after a reload). */
  async function refresh(): Promise<void> {
    try {
      const list = await api.jobs.list();
      for (const info of list) {
        if (info.status !== 'running') continue;
        const job = track(info.jobId, info.kind);
        if (info.progress) onProgress(info.progress);
        job.state = 'running';
      }
      connectionError.value = '';
    } catch (err) {
      connectionError.value = describeError(err);
    }
  }

  return { jobs, running, connectionError, start, cancel, onProgress, onFinished, refresh };
});

/** Subscribes the jobs store to the API's job events, once, for the app's lifetime. */
export function connectJobEvents(): void {
  const store = useJobsStore();
  api.jobs.onProgress((event) => store.onProgress(event));
  api.jobs.onFinished((event) => store.onFinished(event));
  void store.refresh();
}
