// The open project's renders: what renders.list finds in renders/ (newest first, with waveform
// thumbnails) and the sidecars it could not read, the selected render, and deleting one. A render
// job that ends while the project is open (started from any view or window) refreshes the list, so
// a finished render appears here at once.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { api, describeError } from '../api';
import type { CallResult } from '../../../main/contract/index';
import type { RenderSidecar } from '../../../main/contract/domain/render';
import { useJobsStore } from './jobs';
import { useNotificationsStore } from './notifications';
import { useProjectsStore } from './projects';

export type { RenderSidecar };

export type RenderEntry = CallResult<'renders.list'>['renders'][number];
export type InvalidRender = CallResult<'renders.list'>['invalid'][number];
export type LoadState = 'idle' | 'loading' | 'ready' | 'failed';

export const useRendersStore = defineStore('renders', () => {
  const projects = useProjectsStore();
  const jobs = useJobsStore();
  const notifications = useNotificationsStore();

  const project = computed(() => projects.current?.path ?? null);

  /** Newest first; replaced whole on every load (hundreds of rows stay cheap). */
  const renders = shallowRef<RenderEntry[]>([]);
  const invalid = shallowRef<InvalidRender[]>([]);
  const state = ref<LoadState>('idle');
  const error = ref('');
  /** A load is under way (the first one shows as state 'loading'; later ones keep the list). */
  const busy = ref(false);
  /** Editor documents' names by id, so a render names the document that made it (best effort). */
  const documentNames = shallowRef<Record<string, string>>({});
  const selectedId = ref<string | null>(null);
  /** Ids being deleted now (their row's buttons wait). */
  const removing = ref<Set<string>>(new Set());

  let token = 0;

  const selected = computed(() => renders.value.find((r) => r.sidecar.id === selectedId.value) ?? null);

  async function load(options: { quiet?: boolean } = {}): Promise<void> {
    const p = project.value;
    const mine = ++token;
    if (!p) {
      renders.value = [];
      invalid.value = [];
      state.value = 'idle';
      busy.value = false;
      return;
    }
    if (!options.quiet || state.value !== 'ready') state.value = 'loading';
    error.value = '';
    busy.value = true;
    try {
      const [list, docs] = await Promise.all([api.renders.list({ project: p }), api.documents.list({ project: p }).catch(() => null)]);
      if (mine !== token) return;
      renders.value = list.renders;
      invalid.value = list.invalid;
      if (docs) documentNames.value = Object.fromEntries(docs.map((d) => [d.id, d.name]));
      state.value = 'ready';
      if (selectedId.value && !list.renders.some((r) => r.sidecar.id === selectedId.value)) selectedId.value = null;
    } catch (err) {
      if (mine !== token) return;
      error.value = describeError(err);
      state.value = 'failed';
    } finally {
      if (mine === token) busy.value = false;
    }
  }

  function select(id: string | null): void {
    selectedId.value = id;
  }

  /** Deletes the render's audio and sidecar; false (with a notification) when it could not. */
  async function remove(id: string): Promise<boolean> {
    const p = project.value;
    if (!p || removing.value.has(id)) return false;
    removing.value = new Set([...removing.value, id]);
    try {
      await api.renders.remove({ project: p, id });
    } catch (err) {
      notifications.push('error', 'Could not delete the render', [{ text: describeError(err) }]);
      return false;
    } finally {
      const next = new Set(removing.value);
      next.delete(id);
      removing.value = next;
    }
    const index = renders.value.findIndex((r) => r.sidecar.id === id);
    renders.value = renders.value.filter((r) => r.sidecar.id !== id);
    if (selectedId.value === id) {
      const next = renders.value[Math.min(Math.max(index, 0), renders.value.length - 1)];
      selectedId.value = next?.sidecar.id ?? null;
    }
    return true;
  }

  // A render job of this project that finishes wrote new files into renders/: list them.
  const seenJobs = new Set<string>();
  const finishedRenders = computed(() =>
    Object.values(jobs.jobs)
      .filter((j) => j.kind === 'render' && j.state === 'done')
      .filter((j) => !j.request || j.request.kind !== 'render' || !j.request.project || j.request.project === project.value)
      .map((j) => j.id),
  );
  watch(finishedRenders, (ids) => {
    const fresh = ids.filter((id) => !seenJobs.has(id));
    for (const id of fresh) seenJobs.add(id);
    if (fresh.length > 0 && project.value && state.value !== 'idle') void load({ quiet: true });
  });

  // Another project (or none): start over with its renders.
  watch(
    project,
    () => {
      selectedId.value = null;
      renders.value = [];
      invalid.value = [];
      documentNames.value = {};
      void load();
    },
    { immediate: true },
  );

  return { project, renders, invalid, state, error, busy, documentNames, selectedId, selected, removing, load, select, remove };
});
