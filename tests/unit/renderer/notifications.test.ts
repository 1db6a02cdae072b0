// Notifications: finished jobs stay until dismissed, but only the latest about one subject (a
// document re-rendered at each edit) stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPinia, setActivePinia } from 'pinia';
import { useNotificationsStore } from '../../../renderer/src/stores/notifications';
import { documentRenders, notificationFor, notificationSubject } from '../../../renderer/src/stores/job-notifications';

test('a notification about the same subject replaces the older one; others stay, newest first', () => {
  setActivePinia(createPinia());
  const notes = useNotificationsStore();
  notes.push('success', 'Import finished');
  notes.push('success', 'Render finished', [{ text: 'take-1.wav' }], 'render:/p:a');
  notes.push('success', 'Render finished', [{ text: 'other.wav' }], 'render:/p:b');
  notes.push('error', 'Render failed', [{ text: 'out of memory' }], 'render:/p:a');
  notes.push('success', 'Render finished', [{ text: 'take-3.wav' }], 'render:/p:a');
  notes.push('success', 'Training finished');
  assert.deepEqual(
    notes.items.map((n) => `${n.title}: ${n.lines.map((l) => l.text).join()}`),
    ['Training finished: ', 'Render finished: take-3.wav', 'Render finished: other.wav', 'Import finished: '],
  );
  notes.dismiss(notes.items[1]!.id);
  assert.equal(notes.items.length, 3);
});

test('renders of an editor document share a subject per document; other jobs have none', () => {
  const doc = (id: string) => ({ kind: 'render' as const, model: '/p/runs/a', out: '/p/renders/x.wav', source: { type: 'document' as const, project: '/p', id } });
  assert.equal(notificationSubject(doc('d1')), notificationSubject(doc('d1')));
  assert.notEqual(notificationSubject(doc('d1')), notificationSubject(doc('d2')));
  assert.equal(notificationSubject({ kind: 'render', model: '/m', out: '/o.wav', source: { type: 'audio', path: '/a.wav' } }), undefined);
  assert.equal(notificationSubject({ kind: 'analyze', input: '/a.wav', out: '/a.npy' } as never), undefined);
  assert.equal(notificationSubject(null), undefined);
  // The text itself is the job's outcome.
  assert.equal(notificationFor('Render', { jobId: 'j', kind: 'render', status: 'failed', error: { code: 'X', message: 'No model.' } } as never).title, 'Render failed');
});

test('a subject shown in place stays so until every view showing it lets go', () => {
  setActivePinia(createPinia());
  const notes = useNotificationsStore();
  const subject = documentRenders('/p', 'd1');
  assert.equal(notes.shownInPlace(subject), false);
  const panel = notes.showInPlace(subject);
  const other = notes.showInPlace(subject);
  assert.equal(notes.shownInPlace(subject), true);
  panel();
  panel();
  assert.equal(notes.shownInPlace(subject), true, 'one view still shows it; letting go twice counts once');
  other();
  assert.equal(notes.shownInPlace(subject), false);
  notes.push('success', 'Render finished', [], subject);
  notes.push('success', 'Import finished');
  notes.dismissSubject(subject);
  assert.deepEqual(notes.items.map((n) => n.title), ['Import finished']);
});
