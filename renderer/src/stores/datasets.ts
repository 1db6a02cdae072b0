// The open project's datasets: the list, the selected dataset's summary and file table, the
// selected file's detail, and the import jobs that fill them. Imports run as jobs (the jobs store
// tracks them): this store starts them, reads their progress from there, and reloads what the
// job changed when it ends — whichever window or view started it.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { api, describeError } from '../api';
import type {
  DatasetFileDetail,
  DatasetInfo,
  DatasetSettings,
  ManifestFile,
  ProjectDataset,
} from '../../../main/contract/domain/dataset';
import { useJobsStore, type TrackedJob } from './jobs';
import { useNotificationsStore } from './notifications';
import { useProjectsStore } from './projects';

export type { DatasetFileDetail, DatasetInfo, DatasetSettings, ManifestFile, ProjectDataset };

export type LoadState = 'idle' | 'loading' | 'ready' | 'failed';

export interface DatasetEntry {
  dataset: ProjectDataset;
  /** What the last import found; null before the first one. */
  info: DatasetInfo | null;
}

export interface NewDataset {
  name: string;
  folders: string[];
  settings: Partial<DatasetSettings>;
}

/**
 * Where a dataset stands with its imports: never imported, importing now, the last import in this
 * session failed or was cancelled, an earlier import did not finish, or imported.
 */
export type ImportStatus = 'none' | 'importing' | 'failed' | 'cancelled' | 'incomplete' | 'done';

/** The numbers an import reports while it runs. */
export interface ImportProgress {
  jobId: string;
  queued: boolean;
  phase: string;
  filesDone: number;
  filesTotal: number | null;
  filesSkipped: number;
  audioSeconds: number;
  etaSeconds: number | null;
  cancelling: boolean;
}

const DETAIL_CACHE_SIZE = 16;

export const useDatasetsStore = defineStore('datasets', () => {
  const projects = useProjectsStore();
  const jobs = useJobsStore();
  const notifications = useNotificationsStore();

  const project = computed(() => projects.current?.path ?? null);

  const entries = ref<DatasetEntry[]>([]);
  const listState = ref<LoadState>('idle');
  const listError = ref('');

  const selectedId = ref<string | null>(null);
  const info = shallowRef<DatasetInfo | null>(null);
  /** Every used file of the selected dataset; replaced whole on change (10,000 rows stay cheap). */
  const files = shallowRef<ManifestFile[]>([]);
  const selectionState = ref<LoadState>('idle');
  const selectionError = ref('');

  const selectedPath = ref<string | null>(null);
  const detail = shallowRef<DatasetFileDetail | null>(null);
  const detailState = ref<LoadState>('idle');
  const detailError = ref('');
  const detailCache = new Map<string, DatasetFileDetail>();

  const adding = ref(false);
  const addError = ref('');
  /** Why an import could not be started, by dataset id (the job never existed). */
  const startErrors = ref<Record<string, string>>({});

  let listToken = 0;
  let selectionToken = 0;
  let detailToken = 0;

  const selected = computed(() => entries.value.find((e) => e.dataset.id === selectedId.value) ?? null);

  // ----- imports, as the jobs store sees them -----

  function isImportOf(job: TrackedJob, id: string): boolean {
    const r = job.request;
    return job.kind === 'import' && r !== null && r.kind === 'import' && r.project === project.value && r.dataset === id;
  }

  /** The latest import job of a dataset of the open project, if this window knows one. */
  function importJob(id: string): TrackedJob | null {
    let found: TrackedJob | null = null;
    for (const job of Object.values(jobs.jobs)) if (isImportOf(job, id)) found = job;
    return found;
  }

  function importStatus(id: string): ImportStatus {
    const job = importJob(id);
    if (job && (job.state === 'running' || job.state === 'queued')) return 'importing';
    if (job?.state === 'failed') return 'failed';
    if (job?.state === 'cancelled') return 'cancelled';
    const entry = entries.value.find((e) => e.dataset.id === id);
    if (!entry?.info) return startErrors.value[id] ? 'failed' : 'none';
    return entry.info.complete ? 'done' : 'incomplete';
  }

  function importError(id: string): string {
    const job = importJob(id);
    if (job?.state === 'failed') return job.error || 'The import stopped without a reason.';
    return startErrors.value[id] ?? '';
  }

  function importProgress(id: string): ImportProgress | null {
    const job = importJob(id);
    if (!job || (job.state !== 'running' && job.state !== 'queued')) return null;
    const m = job.metrics;
    return {
      jobId: job.id,
      queued: job.state === 'queued',
      phase: job.phase,
      filesDone: m.filesDone ?? job.done,
      filesTotal: m.filesTotal ?? job.total,
      filesSkipped: m.filesSkipped ?? 0,
      audioSeconds: m.audioSeconds ?? 0,
      etaSeconds: job.etaSeconds,
      cancelling: job.cancelling,
    };
  }

  // An import that ends (done, failed or cancelled) changed the manifest: reload what shows it.
  const endedImports = new Set<string>();
  const importJobStates = computed(() =>
    Object.values(jobs.jobs)
      .filter((j) => j.kind === 'import' && j.request?.kind === 'import' && j.request.project === project.value)
      .map((j) => ({ id: j.id, state: j.state, dataset: j.request?.kind === 'import' ? j.request.dataset : '' })),
  );
  watch(importJobStates, (list) => {
    for (const job of list) {
      if (job.state === 'running' || job.state === 'queued' || endedImports.has(job.id)) continue;
      endedImports.add(job.id);
      void onImportEnded(job.dataset);
    }
  });

  async function onImportEnded(id: string): Promise<void> {
    await loadList({ quiet: true });
    if (selectedId.value === id) await loadSelected({ quiet: true });
  }

  // ----- loading -----

  async function loadList(options: { quiet?: boolean } = {}): Promise<void> {
    const p = project.value;
    const token = ++listToken;
    if (!p) {
      entries.value = [];
      listState.value = 'idle';
      return;
    }
    if (!options.quiet || listState.value !== 'ready') listState.value = 'loading';
    listError.value = '';
    try {
      const list = await api.datasets.list({ project: p });
      if (token !== listToken) return;
      entries.value = list;
      listState.value = 'ready';
      for (const job of importJobStates.value) if (job.state !== 'running' && job.state !== 'queued') endedImports.add(job.id);
      if (!selectedId.value || !list.some((e) => e.dataset.id === selectedId.value)) select(list[0]?.dataset.id ?? null);
    } catch (err) {
      if (token !== listToken) return;
      listError.value = describeError(err);
      listState.value = 'failed';
    }
  }

  /** Loads the selected dataset's summary and file table (nothing to load before its first import). */
  async function loadSelected(options: { quiet?: boolean } = {}): Promise<void> {
    const p = project.value;
    const id = selectedId.value;
    const token = ++selectionToken;
    const entry = selected.value;
    if (!p || !id || !entry) {
      info.value = null;
      files.value = [];
      selectionState.value = 'idle';
      return;
    }
    if (!entry.info) {
      info.value = null;
      files.value = [];
      selectionState.value = 'ready';
      return;
    }
    if (!options.quiet) {
      info.value = entry.info;
      selectionState.value = 'loading';
    }
    selectionError.value = '';
    try {
      const [i, f] = await Promise.all([api.datasets.info({ project: p, dataset: id }), api.datasets.files({ project: p, dataset: id })]);
      if (token !== selectionToken) return;
      info.value = i;
      files.value = f;
      entry.info = i;
      selectionState.value = 'ready';
      for (const key of [...detailCache.keys()]) if (key.startsWith(`${id}\n`)) detailCache.delete(key);
      if (selectedPath.value && !f.some((x) => x.path === selectedPath.value)) void selectFile(null);
      else if (selectedPath.value) void selectFile(selectedPath.value, { force: true });
    } catch (err) {
      if (token !== selectionToken) return;
      selectionError.value = describeError(err);
      selectionState.value = 'failed';
    }
  }

  function select(id: string | null): void {
    if (id === selectedId.value && selectionState.value !== 'idle') return;
    selectedId.value = id;
    info.value = null;
    files.value = [];
    selectedPath.value = null;
    detail.value = null;
    detailState.value = 'idle';
    void loadSelected();
  }

  async function selectFile(path: string | null, options: { force?: boolean } = {}): Promise<void> {
    const p = project.value;
    const id = selectedId.value;
    const token = ++detailToken;
    if (path === selectedPath.value && !options.force && detailState.value !== 'failed' && detailState.value !== 'idle') return;
    selectedPath.value = path;
    detailError.value = '';
    if (!path || !p || !id) {
      detail.value = null;
      detailState.value = 'idle';
      return;
    }
    const key = `${id}\n${path}`;
    const cached = detailCache.get(key);
    if (cached) {
      detail.value = cached;
      detailState.value = 'ready';
      return;
    }
    detail.value = null;
    detailState.value = 'loading';
    try {
      const d = await api.datasets.fileDetail({ project: p, dataset: id, path });
      detailCache.set(key, d);
      if (detailCache.size > DETAIL_CACHE_SIZE) detailCache.delete(detailCache.keys().next().value as string);
      if (token !== detailToken) return;
      detail.value = d;
      detailState.value = 'ready';
    } catch (err) {
      if (token !== detailToken) return;
      detailError.value = describeError(err);
      detailState.value = 'failed';
    }
  }

  // ----- actions -----

  async function startImport(id: string): Promise<boolean> {
    const p = project.value;
    if (!p) return false;
    const { [id]: _previous, ...rest } = startErrors.value;
    startErrors.value = rest;
    try {
      await jobs.start({ kind: 'import', project: p, dataset: id });
      return true;
    } catch (err) {
      startErrors.value = { ...startErrors.value, [id]: describeError(err) };
      return false;
    }
  }

  /** Adds a dataset to the project and starts its import; false (and addError) when it could not be added. */
  async function add(spec: NewDataset): Promise<boolean> {
    const p = project.value;
    addError.value = '';
    if (!p) {
      addError.value = 'Open a project first.';
      return false;
    }
    adding.value = true;
    try {
      const dataset = await api.datasets.add({ project: p, name: spec.name, folders: spec.folders, settings: spec.settings });
      entries.value = [...entries.value.filter((e) => e.dataset.id !== dataset.id), { dataset, info: null }];
      if (listState.value !== 'ready') listState.value = 'ready';
      select(dataset.id);
      await startImport(dataset.id);
      return true;
    } catch (err) {
      addError.value = describeError(err);
      return false;
    } finally {
      adding.value = false;
    }
  }

  async function cancelImport(id: string): Promise<void> {
    const job = importJob(id);
    if (job) await jobs.cancel(job.id);
  }

  /** Removes the dataset from the project (its cache too; recordings are never touched). */
  async function remove(id: string): Promise<boolean> {
    const p = project.value;
    if (!p) return false;
    try {
      await api.datasets.remove({ project: p, dataset: id });
    } catch (err) {
      notifications.push('error', 'Could not remove the dataset', [{ text: describeError(err) }]);
      return false;
    }
    const index = entries.value.findIndex((e) => e.dataset.id === id);
    entries.value = entries.value.filter((e) => e.dataset.id !== id);
    if (selectedId.value === id) {
      const next = entries.value[Math.min(Math.max(index, 0), entries.value.length - 1)];
      select(next?.dataset.id ?? null);
    }
    return true;
  }

  /** Excludes files from training (or includes them again); shown at once, saved in the manifest. */
  async function setExcluded(paths: string[], excluded: boolean): Promise<boolean> {
    const p = project.value;
    const id = selectedId.value;
    if (!p || !id || paths.length === 0) return false;
    const changing = new Set(paths);
    const before = files.value;
    files.value = before.map((f) => (changing.has(f.path) && Boolean(f.excluded) !== excluded ? { ...f, excluded } : f));
    adjustExcludedCount(before, files.value);
    try {
      await api.datasets.setExcluded({ project: p, dataset: id, paths, excluded });
      return true;
    } catch (err) {
      if (selectedId.value === id) {
        const now = files.value;
        files.value = before;
        adjustExcludedCount(now, before);
      }
      notifications.push('error', excluded ? 'Could not exclude the file' : 'Could not include the file', [{ text: describeError(err) }]);
      return false;
    }
  }

  function adjustExcludedCount(before: ManifestFile[], after: ManifestFile[]): void {
    const count = (list: ManifestFile[]) => list.reduce((n, f) => n + (f.excluded ? 1 : 0), 0);
    const current = info.value;
    if (!current) return;
    const next = { ...current, files_excluded: Math.max(0, current.files_excluded + count(after) - count(before)) };
    info.value = next;
    const entry = selected.value;
    if (entry && entry.info) entry.info = next;
  }

  // A different project (or none): start over with its datasets.
  watch(
    project,
    () => {
      selectedId.value = null;
      selectionState.value = 'idle';
      info.value = null;
      files.value = [];
      selectedPath.value = null;
      detail.value = null;
      detailCache.clear();
      startErrors.value = {};
      void loadList();
    },
    { immediate: true },
  );

  return {
    project,
    entries,
    listState,
    listError,
    selectedId,
    selected,
    info,
    files,
    selectionState,
    selectionError,
    selectedPath,
    detail,
    detailState,
    detailError,
    adding,
    addError,
    loadList,
    loadSelected,
    select,
    selectFile,
    importJob,
    importStatus,
    importError,
    importProgress,
    startImport,
    add,
    cancelImport,
    remove,
    setExcluded,
  };
});
