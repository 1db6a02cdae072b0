import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api, describeError } from '../api';
import type { ProjectSummary } from '../api';

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
      await load();
      return true;
    } catch (err) {
      error.value = describeError(err);
      return false;
    }
  }

  const create = (folder: string, name: string) => run(() => api.projects.create({ parent: folder, name }));
  const open = (folder: string) => run(() => api.projects.open({ path: folder }));

  return { recent, current, loading, error, load, create, open };
});
