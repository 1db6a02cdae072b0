import { defineStore } from 'pinia';
import { ref } from 'vue';

export type NotificationKind = 'success' | 'error' | 'info';

export interface StudioNotification {
  id: number;
  kind: NotificationKind;
  title: string;
  /** Short lines of detail, e.g. an output path; shown monospaced when `mono` is set. */
  lines: { label?: string; text: string; mono?: boolean }[];
  at: Date;
}

// Finished and failed jobs stay until dismissed: a person may be away while a job runs.
export const useNotificationsStore = defineStore('notifications', () => {
  const items = ref<StudioNotification[]>([]);
  let nextId = 1;

  function push(kind: NotificationKind, title: string, lines: StudioNotification['lines'] = []): number {
    const id = nextId++;
    items.value.unshift({ id, kind, title, lines, at: new Date() });
    return id;
  }

  function dismiss(id: number): void {
    items.value = items.value.filter((n) => n.id !== id);
  }

  function clear(): void {
    items.value = [];
  }

  return { items, push, dismiss, clear };
});
