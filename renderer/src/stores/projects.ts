import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api, describeError } from '../api';
import type { ProjectSummary } from '../api';

/** The open project survives a reload of this window (each window keeps its own). */
const OPEN_PROJECT_KEY = 'wavenet-studio.open-project';

export const useProjectsStore = defineStore('projects', () => {
  const recent = ref<ProjectSummary[]>([]);
  const current = ref<ProjectSummary | null>(null);
  const loading = ref(false);
  const error = ref('');

  async function load(): Promise<void> {
    loading.value = true;
    error.value = '';
    try {
      recent.value = await api.projects.list();
    } catch (err) {
      error.value = describeError(err);
    } finally {
      loading.value = false;
    }
  }

  async function run(action: () => Promise<ProjectSummary>): Promise<boolean> {
    error.value = '';
    try {
      current.value = await action();
      sessionStorage.setItem(OPEN_PROJECT_KEY, current.value.path);
      await load();
      return true;
    } catch (err) {
      error.value = describeError(err);
      return false;
    }
  }

  const create = (folder: string, name: string) => run(() => api.projects.create({ parent: folder, name }));
  const open = (folder: string) => run(() => api.projects.open({ path: folder }));

  /** Reopens the project this window had open before a reload (quietly: a moved folder just isn't reopened). */
  async function restore(): Promise<void> {
    const path = sessionStorage.getItem(OPEN_PROJECT_KEY);
    if (!path || current.value) return;
    try {
      current.value = await api.projects.open({ path });
    } catch {
      sessionStorage.removeItem(OPEN_PROJECT_KEY);
    }
  }

  return { recent, current, loading, error, load, create, open, restore };
});
