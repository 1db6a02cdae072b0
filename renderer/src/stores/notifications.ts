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
  /** What it is about (e.g. one document's renders): a newer notification about it replaces this one. */
  subject?: string;
}

// Finished and failed jobs stay until dismissed: a person may be away while a job runs. Only the
// latest about one subject stays, so ten re-renders of a document while editing leave one, not ten.
export const useNotificationsStore = defineStore('notifications', () => {
  const items = ref<StudioNotification[]>([]);
  let nextId = 1;

  function push(kind: NotificationKind, title: string, lines: StudioNotification['lines'] = [], subject?: string): number {
    const id = nextId++;
    const others = subject === undefined ? items.value : items.value.filter((n) => n.subject !== subject);
    items.value = [{ id, kind, title, lines, at: new Date(), subject }, ...others];
    return id;
  }

  function dismiss(id: number): void {
    items.value = items.value.filter((n) => n.id !== id);
  }

  function dismissSubject(subject: string): void {
    items.value = items.value.filter((n) => n.subject !== subject);
  }

  // Subjects a view on screen shows the outcome of in place (the render panel of a document): a
  // success about them needs no notification. Counted, since two views may show one subject.
  const inPlace = new Map<string, number>();

  /** Marks a subject as shown in place until the returned function is called. */
  function showInPlace(subject: string): () => void {
    inPlace.set(subject, (inPlace.get(subject) ?? 0) + 1);
    let shown = true;
    return () => {
      if (!shown) return;
      shown = false;
      const left = (inPlace.get(subject) ?? 1) - 1;
      if (left > 0) inPlace.set(subject, left);
      else inPlace.delete(subject);
    };
  }

  function shownInPlace(subject: string): boolean {
    return inPlace.has(subject);
  }

  function clear(): void {
    items.value = [];
  }

  return { items, push, dismiss, dismissSubject, clear, showInPlace, shownInPlace };
});
