// The open project's training runs: the list (refreshed while the Training view is open, so a
// run started from the CLI shows up and its status follows), the selected run's detail
// (checkpoints, samples), the metrics of the runs shown (history from runs.metrics, then
// runs.onMetrics as metrics.jsonl grows, whoever writes it), and the train jobs that drive them.
// A run lives in the worker: after a reload the jobs store adopts the running job (with its
// request) and this store finds it by the run folder.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { api, describeError } from '../api';
import type { JobStartRequest } from '../api';
import type { DeviceChoice } from '../../../main/contract/domain/model';
import type { ProjectDataset, DatasetInfo } from '../../../main/contract/domain/dataset';
import type { JobResultOf } from '../../../main/contract/domain/jobs';
import type { MetricsSeries, RunConfig, RunDetail, RunEntry, RunSummary } from '../../../main/contract/domain/train';
import { applyMetricsEvent, emptySeries, lastValue, type HeldSeries } from '../training/series';
import { useJobsStore, type TrackedJob } from './jobs';
import { useNotificationsStore } from './notifications';
import { useProjectsStore } from './projects';

export type { RunConfig, RunDetail, RunEntry, RunSummary };

export type LoadState = 'idle' | 'loading' | 'ready' | 'failed';

/** How a run shows in the list and its header. */
export type RunState = 'starting' | 'running' | 'paused' | 'queued' | 'finished' | 'interrupted' | 'failed' | 'new' | 'unreadable';

export interface RunRow {
  id: string;
  dir: string;
  state: RunState;
  summary: RunSummary | null;
  /** Why the folder could not be read (state 'unreadable'). */
  problem: string;
  /** A run started here that runs.list does not show yet: what it was started with. */
  pendingConfig: RunConfig | null;
  /** The train job of this window (or adopted after a reload) for the run: the latest one. */
  job: TrackedJob | null;
  /** Training now, here or in another process (the CLI): its metrics and samples are followed. */
  live: boolean;
}

export interface DatasetChoice {
  dataset: ProjectDataset;
  info: DatasetInfo | null;
}

export interface EstimateState {
  state: 'idle' | 'measuring' | 'done' | 'failed';
  jobId: string | null;
  /** The config measured (to tell when the form has moved on from it). */
  key: string;
  result: JobResultOf<'estimate'> | null;
  error: string;
}

const LIST_INTERVAL_MS = 5000;
const DETAIL_INTERVAL_MS = 10_000;

/** Same folder, whatever the separators or a trailing slash. */
export function sameDir(a: string, b: string): boolean {
  const norm = (p: string): string => p.replace(/\\/g, '/').replace(/\/+$/, '');
  return norm(a) === norm(b);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** run-YYYYMMDD-HHMMSS in local time (ids sort by creation, as runs.list orders them). */
export function newRunId(now = new Date(), taken: ReadonlySet<string> = new Set()): string {
  const base = `run-${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
  return id;
}

/** <project>/runs/<id> → <project>; null when the run folder is not in a project's runs/. */
export function projectOfRunDir(runDir: string): string | null {
  const parts = runDir.replace(/[\\/]+$/, '').split(/[\\/]/);
  if (parts.length < 3 || parts[parts.length - 2] !== 'runs') return null;
  return runDir.replace(/[\\/]+$/, '').slice(0, -(parts[parts.length - 1]!.length + parts[parts.length - 2]!.length + 2)) || null;
}

function joinPath(dir: string, ...parts: string[]): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return [dir.replace(/[\\/]+$/, ''), ...parts].join(sep);
}

export const useRunsStore = defineStore('runs', () => {
  const projects = useProjectsStore();
  const jobs = useJobsStore();
  const notifications = useNotificationsStore();
  const project = computed(() => projects.current?.path ?? null);

  // ----- the list -----

  const entries = ref<RunEntry[]>([]);
  const listState = ref<LoadState>('idle');
  const listError = ref('');
  /** Runs started here that runs.list does not show yet (the worker is still starting). */
  const pending = ref<Record<string, { id: string; dir: string; config: RunConfig }>>({});
  const selectedDir = ref<string | null>(null);
  /** The new-run form is open (instead of a run's page). */
  const creating = ref(false);
  /** Runs overlaid on the selected one's charts. */
  const compared = ref<string[]>([]);
  let listToken = 0;

  function isTrainOf(job: TrackedJob, dir: string): boolean {
    return job.kind === 'train' && job.request?.kind === 'train' && sameDir(job.request.runDir, dir);
  }

  /** The latest train job this window knows for a run. */
  function jobFor(dir: string): TrackedJob | null {
    let found: TrackedJob | null = null;
    for (const job of Object.values(jobs.jobs)) if (isTrainOf(job, dir)) found = job;
    return found;
  }

  function stateOf(summary: RunSummary | null, job: TrackedJob | null): RunState {
    if (job?.state === 'queued') return 'queued';
    if (job?.state === 'running') {
      if (job.phase === 'paused') return 'paused';
      if (['training', 'validating', 'checkpoint', 'sample', 'done'].includes(job.phase)) return 'running';
      return 'starting';
    }
    if (summary?.status === 'running') return 'running';
    // A worker that died (crash, killed, power cut) leaves the run resumable from its checkpoint.
    if (job?.state === 'failed') return job.errorCode === 'WORKER_CRASHED' && summary ? 'interrupted' : 'failed';
    return summary ? summary.status : 'starting';
  }

  const rows = computed<RunRow[]>(() => {
    const out: RunRow[] = [];
    for (const e of entries.value) {
      const job = jobFor(e.dir);
      if ('problem' in e) {
        out.push({ id: e.id, dir: e.dir, state: 'unreadable', summary: null, problem: e.problem, pendingConfig: null, job, live: false });
        continue;
      }
      const state = stateOf(e, job);
      out.push({ id: e.id, dir: e.dir, state, summary: e, problem: '', pendingConfig: null, job, live: state === 'running' || state === 'paused' || state === 'starting' || e.status === 'running' });
    }
    for (const p of Object.values(pending.value)) {
      if (out.some((r) => sameDir(r.dir, p.dir))) continue;
      const job = jobFor(p.dir);
      const state = job ? stateOf(null, job) : 'starting';
      out.push({ id: p.id, dir: p.dir, state, summary: null, problem: '', pendingConfig: p.config, job, live: state !== 'failed' });
    }
    // Newest first: the run a person just started is at the top.
    return out.reverse();
  });

  const selected = computed(() => rows.value.find((r) => selectedDir.value !== null && sameDir(r.dir, selectedDir.value)) ?? null);

  async function loadList(options: { quiet?: boolean } = {}): Promise<void> {
    const p = project.value;
    const token = ++listToken;
    if (!p) {
      entries.value = [];
      listState.value = 'idle';
      return;
    }
    if (!options.quiet || listState.value !== 'ready') listState.value = 'loading';
    try {
      const list = await api.runs.list({ project: p });
      if (token !== listToken) return;
      entries.value = list;
      listError.value = '';
      listState.value = 'ready';
      for (const dir of Object.keys(pending.value)) if (list.some((e) => sameDir(e.dir, dir))) delete pending.value[dir];
      if (!selected.value && !creating.value) selectedDir.value = rows.value[0]?.dir ?? null;
    } catch (err) {
      if (token !== listToken) return;
      listError.value = describeError(err);
      // A failed refresh keeps the list it has; only a first load shows the failure in place of it.
      if (listState.value !== 'ready') listState.value = 'failed';
    }
  }

  function select(dir: string | null): void {
    creating.value = false;
    if (dir === selectedDir.value) return;
    selectedDir.value = dir;
    compared.value = compared.value.filter((d) => d !== dir);
  }

  function toggleCompare(dir: string): void {
    if (selectedDir.value && sameDir(dir, selectedDir.value)) return;
    compared.value = compared.value.includes(dir) ? compared.value.filter((d) => d !== dir) : [...compared.value, dir];
  }

  // ----- metrics of the runs shown -----

  /** Not reactive (100,000 records); `versions` says when one changed. */
  const held = new Map<string, HeldSeries>();
  const versions = ref<Record<string, number>>({});
  const metricsState = ref<Record<string, LoadState>>({});
  const metricsError = ref<Record<string, string>>({});
  /** Events that came while the history was loading, applied after it. */
  const early = new Map<string, { reset: boolean; series: MetricsSeries }[]>();
  const watched = new Set<string>();

  const shownDirs = computed(() => {
    const dirs = selectedDir.value ? [selectedDir.value] : [];
    for (const d of compared.value) if (!dirs.includes(d)) dirs.push(d);
    return dirs;
  });

  function heldSeries(dir: string): HeldSeries | null {
    return held.get(dir) ?? null;
  }

  function bump(dir: string): void {
    versions.value[dir] = (versions.value[dir] ?? 0) + 1;
  }

  api.runs.onMetrics((event) => {
    const dir = [...watched].find((d) => sameDir(d, event.runDir));
    if (!dir) return;
    const queue = early.get(dir);
    if (queue) {
      queue.push(event);
      return;
    }
    const h = held.get(dir);
    if (!h) return;
    if (applyMetricsEvent(h, event) !== 'none') bump(dir);
  });

  /** Follows a run: watch first (the tail starts at the end), then the history; overlap is dropped. */
  async function follow(dir: string): Promise<void> {
    if (watched.has(dir)) return;
    watched.add(dir);
    early.set(dir, []);
    metricsState.value[dir] = 'loading';
    metricsError.value[dir] = '';
    try {
      await api.runs.watch({ runDir: dir });
      await loadHistory(dir);
    } catch (err) {
      early.delete(dir);
      if (!watched.has(dir)) return;
      metricsError.value[dir] = describeError(err);
      metricsState.value[dir] = 'failed';
    }
  }

  async function loadHistory(dir: string): Promise<void> {
    const history = await api.runs.metrics({ runDir: dir });
    if (!watched.has(dir)) return;
    const queue = early.get(dir) ?? [];
    early.delete(dir);
    const before = held.get(dir);
    const h: HeldSeries = { series: emptySeries(), generation: (before?.generation ?? 0) + 1 };
    applyMetricsEvent(h, { reset: false, series: history });
    held.set(dir, h);
    if (queue.some((e) => e.reset)) {
      // The file was rewritten while its history was read: read it again, whole.
      early.set(dir, []);
      return loadHistory(dir);
    }
    for (const e of queue) applyMetricsEvent(h, e);
    metricsState.value[dir] = 'ready';
    bump(dir);
  }

  function unfollow(dir: string): void {
    if (!watched.delete(dir)) return;
    early.delete(dir);
    held.delete(dir);
    delete versions.value[dir];
    delete metricsState.value[dir];
    void api.runs.unwatch({ runDir: dir }).catch(() => undefined);
  }

  /** Re-reads a run's whole history (after a failed load). */
  function reloadMetrics(dir: string): void {
    unfollow(dir);
    void follow(dir);
  }

  let viewOpen = false;
  watch(shownDirs, (dirs) => {
    if (!viewOpen) return;
    for (const d of [...watched]) if (!dirs.includes(d)) unfollow(d);
    for (const d of dirs) void follow(d);
  });

  // ----- the selected run's detail -----

  const detail = shallowRef<RunDetail | null>(null);
  const detailState = ref<LoadState>('idle');
  const detailError = ref('');
  let detailToken = 0;

  async function loadDetail(options: { quiet?: boolean } = {}): Promise<void> {
    const dir = selectedDir.value;
    const token = ++detailToken;
    const row = selected.value;
    if (!dir || !row || row.state === 'unreadable' || (!row.summary && row.state === 'starting')) {
      if (!options.quiet || !dir) detail.value = null;
      detailState.value = 'idle';
      return;
    }
    if (!options.quiet || detailState.value !== 'ready') detailState.value = 'loading';
    try {
      const d = await api.runs.get({ runDir: dir });
      if (token !== detailToken) return;
      detail.value = d;
      detailError.value = '';
      detailState.value = 'ready';
    } catch (err) {
      if (token !== detailToken) return;
      detailError.value = describeError(err);
      if (!options.quiet || detailState.value !== 'ready') detailState.value = 'failed';
    }
  }

  watch(selectedDir, () => {
    detail.value = null;
    void loadDetail();
  });

  // A run that appeared in the list (its worker wrote config.json): read its detail.
  watch(
    () => selected.value?.summary !== null && selected.value?.summary !== undefined,
    (has, had) => {
      if (has && !had) void loadDetail({ quiet: true });
    },
  );

  // New checkpoints and samples: when the job leaves the checkpoint or sample phase (the files are written then).
  const selectedPhase = computed(() => (selected.value?.job?.state === 'running' ? selected.value.job.phase : ''));
  watch(selectedPhase, (phase, before) => {
    if (before === 'checkpoint' || before === 'sample' || phase === 'sample') void loadDetail({ quiet: true });
  });

  // Train jobs that end: the list and the detail change (status, the last checkpoint).
  const trainJobStates = computed(() =>
    Object.values(jobs.jobs).filter((j) => j.kind === 'train').map((j) => `${j.id}:${j.state}`).join(','),
  );
  watch(trainJobStates, () => {
    void loadList({ quiet: true }).then(() => loadDetail({ quiet: true }));
  });

  // ----- timers while the view is open -----

  let listTimer: ReturnType<typeof setInterval> | null = null;
  let detailTimer: ReturnType<typeof setInterval> | null = null;

  /** The Training view opened: load, follow the shown runs, refresh the list (CLI runs) and live details. */
  function open(): void {
    viewOpen = true;
    void adoptProject();
    void loadList({ quiet: true });
    for (const d of shownDirs.value) void follow(d);
    listTimer ??= setInterval(() => void loadList({ quiet: true }), LIST_INTERVAL_MS);
    detailTimer ??= setInterval(() => {
      if (selected.value?.live) void loadDetail({ quiet: true });
    }, DETAIL_INTERVAL_MS);
  }

  /**
   * After a reload no project is open, but a training this window adopted still runs: open its
   * project (named in a new run's config, or the folder above runs/<id>) so the view finds it.
   */
  async function adoptProject(): Promise<void> {
    if (project.value || !viewOpen) return;
    for (const job of Object.values(jobs.jobs)) {
      const r = job.request;
      if (job.kind !== 'train' || (job.state !== 'running' && job.state !== 'queued') || r?.kind !== 'train') continue;
      const dir = r.config?.data.project ?? projectOfRunDir(r.runDir);
      if (dir) {
        await projects.open(dir);
        return;
      }
    }
  }
  // A job is tracked from its first progress event; its request comes with the jobs list after.
  const liveTrainJobs = computed(() => jobs.running.filter((j) => j.kind === 'train').map((j) => `${j.id}:${j.request ? 1 : 0}`).join(','));
  watch(liveTrainJobs, () => void adoptProject());

  function close(): void {
    viewOpen = false;
    if (listTimer) clearInterval(listTimer);
    if (detailTimer) clearInterval(detailTimer);
    listTimer = detailTimer = null;
    for (const d of [...watched]) unfollow(d);
  }

  watch(project, () => {
    entries.value = [];
    pending.value = {};
    selectedDir.value = null;
    compared.value = [];
    creating.value = false;
    for (const d of [...watched]) unfollow(d);
    datasets.value = [];
    datasetsState.value = 'idle';
    listState.value = 'idle';
    if (viewOpen) void loadList();
  });

  // ----- jobs: start, pause, stop, resume -----

  const actionError = ref('');

  async function startJob(request: JobStartRequest): Promise<string | null> {
    actionError.value = '';
    try {
      return await jobs.start(request);
    } catch (err) {
      actionError.value = describeError(err);
      return null;
    }
  }

  async function startRun(config: RunConfig): Promise<boolean> {
    const p = project.value;
    if (!p) return false;
    const taken = new Set(rows.value.map((r) => r.id));
    const id = newRunId(new Date(), taken);
    const dir = joinPath(p, 'runs', id);
    pending.value[dir] = { id, dir, config };
    const jobId = await startJob({ kind: 'train', runDir: dir, config });
    if (!jobId) {
      delete pending.value[dir];
      return false;
    }
    creating.value = false;
    selectedDir.value = dir;
    return true;
  }

  /** Continues a run from its latest checkpoint, on another device or up to more steps when given. */
  async function resume(dir: string, options: { device?: DeviceChoice; steps?: number } = {}): Promise<boolean> {
    const jobId = await startJob({ kind: 'train', runDir: dir, resume: true, ...options });
    return jobId !== null;
  }

  function pause(row: RunRow, paused: boolean): Promise<void> {
    return row.job ? jobs.pause(row.job.id, paused) : Promise.resolve();
  }

  function stop(row: RunRow): Promise<void> {
    return row.job ? jobs.cancel(row.job.id) : Promise.resolve();
  }

  // ----- checkpoints -----

  async function deleteCheckpoint(dir: string, step: number): Promise<void> {
    try {
      await api.runs.deleteCheckpoint({ runDir: dir, step });
    } catch (err) {
      notifications.push('error', `Could not delete the checkpoint at step ${step}`, [{ text: describeError(err) }]);
    }
    await loadDetail({ quiet: true });
  }

  async function exportCheckpoint(dir: string, step: number, out: string): Promise<string | null> {
    try {
      const { path } = await api.runs.exportCheckpoint({ runDir: dir, step, out });
      notifications.push('success', `Exported the checkpoint at step ${step}`, [{ label: 'Model', text: path, mono: true }]);
      return path;
    } catch (err) {
      notifications.push('error', `Could not export the checkpoint at step ${step}`, [{ text: describeError(err) }]);
      return null;
    }
  }

  function defaultExportPath(dir: string, step: number): string {
    const run = dir.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? 'run';
    return joinPath(project.value ?? dir, 'exports', `${run}-${step}.onnx`);
  }

  // ----- the new-run form's inputs: datasets, devices, estimate -----

  const datasets = ref<DatasetChoice[]>([]);
  const datasetsState = ref<LoadState>('idle');
  const datasetsError = ref('');
  const devices = ref<{ device: string; label: string }[]>([]);
  const devicesError = ref('');


  async function loadDatasets(): Promise<void> {
    const p = project.value;
    if (!p) return;
    if (datasetsState.value !== 'ready') datasetsState.value = 'loading';
    try {
      const list = await api.datasets.list({ project: p });
      if (p !== project.value) return;
      datasets.value = list;
      datasetsError.value = '';
      datasetsState.value = 'ready';
    } catch (err) {
      datasetsError.value = describeError(err);
      datasetsState.value = 'failed';
    }
  }

  async function loadDevices(): Promise<void> {
    if (devices.value.length > 0) return;
    try {
      devices.value = await api.devices.list();
      devicesError.value = '';
    } catch (err) {
      devicesError.value = describeError(err);
    }
  }

  const estimate = ref<EstimateState>({ state: 'idle', jobId: null, key: '', result: null, error: '' });

  async function measure(config: RunConfig): Promise<void> {
    const previous = estimate.value.jobId;
    if (previous && estimate.value.state === 'measuring') void api.jobs.cancel({ jobId: previous }).catch(() => undefined);
    const key = estimateKey(config);
    estimate.value = { state: 'measuring', jobId: null, key, result: null, error: '' };
    try {
      const { jobId } = await api.jobs.start({ kind: 'estimate', config });
      if (estimate.value.key === key && estimate.value.jobId === null) estimate.value.jobId = jobId;
    } catch (err) {
      if (estimate.value.key === key) estimate.value = { ...estimate.value, state: 'failed', error: describeError(err) };
    }
  }

  api.jobs.onFinished((event) => {
    const e = estimate.value;
    if (event.kind !== 'estimate' || event.jobId !== e.jobId) return;
    if (event.status === 'done' && event.result && 'secondsPerStep' in event.result) estimate.value = { ...e, state: 'done', result: event.result };
    else if (event.status === 'failed') estimate.value = { ...e, state: 'failed', error: event.error?.message ?? 'The measurement stopped without a reason.' };
    else estimate.value = { ...e, state: 'idle' };
    // The form shows the figure (or the reason); a notification would only repeat it.
    const label = jobs.jobs[event.jobId]?.label ?? 'estimate';
    queueMicrotask(() => {
      for (const n of notifications.items) if ([`${label} finished`, `${label} stopped`, `${label} failed`].includes(n.title)) notifications.dismiss(n.id);
    });
  });

  return {
    project, entries, rows, listState, listError, selectedDir, selected, compared, shownDirs, creating,
    versions, metricsState, metricsError, heldSeries, reloadMetrics,
    detail, detailState, detailError, loadDetail,
    datasets, datasetsState, datasetsError, devices, devicesError, estimate, actionError,
    loadList, select, toggleCompare, open, close, startRun, resume, pause, stop, deleteCheckpoint, exportCheckpoint, defaultExportPath,
    loadDatasets, loadDevices, measure, jobFor,
  };
});

/** What an estimate depends on: the model, the segment shape and the device (not steps or intervals). */
export function estimateKey(config: RunConfig): string {
  const t = config.training;
  return JSON.stringify([config.model, t.batch, t.length, t.device, t.threads]);
}

/** The newest value of a column of a held series (for a header while a CLI run trains). */
export function latest(held: HeldSeries | null, column: 'train' | 'val' | 'lr' | 'samplesPerSec'): number | null {
  if (!held) return null;
  return lastValue(held.series[column] as (number | null)[]);
}
