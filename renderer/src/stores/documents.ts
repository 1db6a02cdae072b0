// The open project's editor documents and the one open in the Editor: the list, the open document
// as the editor's model (renderer/src/editor: a ScoreModel edited by undoable commands through a
// History), the selection and clipboard, and keeping the work safe — a crash backup two seconds
// after the last edit, a save on Ctrl+S, on leaving the Editor, on switching documents and on
// closing the window, and the offer to restore a backup newer than the saved file.
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef, watch } from 'vue';
import { api, describeError } from '../api';
import type { CallResult } from '../../../main/contract/index';
import type { EditorDocument, MelDocument, ScoreDocument } from '../../../main/contract/domain/index';
import { History, type HistoryEvent } from '../editor/history';
import { ScoreModel, type NoteId } from '../editor/score-model';
import { addNotes, deleteNotes, setTempo, setTimeSignature, type NoteClip, type ScoreCommand } from '../editor/score';
import { pruneSelection } from '../editor/selection';
import { MelSheetModel } from '../editor/mel-model';
import type { MelCommand } from '../editor/mel';
import { useProjectsStore } from './projects';

export type DocumentEntry = CallResult<'documents.list'>[number];
export type RenderEntry = CallResult<'renders.list'>['renders'][number];
export type NewDocumentSource = { type: 'empty' } | { type: 'midi'; path: string } | { type: 'audio'; path: string };
export type LoadState = 'idle' | 'loading' | 'ready' | 'failed';

/** A score open for editing: the model the commands change and its undo history. */
export interface OpenScore {
  kind: 'score';
  id: string;
  project: string;
  model: ScoreModel;
  history: History<ScoreCommand>;
}

/** A mel sheet open for editing: its model (with the sheet as opened, for "reset to original") and undo history. */
export interface OpenMel {
  kind: 'mel';
  id: string;
  project: string;
  document: MelDocument;
  model: MelSheetModel;
  history: History<MelCommand>;
}

export type OpenDocument = OpenScore | OpenMel;

/**
 * Where the open document's changes are: all saved; unsaved (a backup is due); kept in the crash
 * backup; being saved; or the last save failed (`saveError` says why).
 */
export type SaveState = 'saved' | 'unsaved' | 'backed-up' | 'saving' | 'failed';

/** Milliseconds after the last edit before the crash backup is written. */
export const BACKUP_DELAY_MS = 2000;

export const useDocumentsStore = defineStore('documents', () => {
  const projects = useProjectsStore();
  const project = computed(() => projects.current?.path ?? null);

  const entries = ref<DocumentEntry[]>([]);
  const listState = ref<LoadState>('idle');
  const listError = ref('');

  const open = shallowRef<OpenDocument | null>(null);
  const openState = ref<LoadState>('idle');
  const openError = ref('');
  /** The document being opened or open (shown selected in the list while it loads). */
  const pendingId = ref<string | null>(null);
  /** Bumped on every change of the open document: views that show derived figures watch it. */
  const version = ref(0);
  /** The last history event (what changed), for views that redraw only that. */
  const lastChange = shallowRef<HistoryEvent<ScoreCommand> | HistoryEvent<MelCommand> | null>(null);
  const canUndo = ref(false);
  const canRedo = ref(false);
  const undoLabel = ref<string | undefined>(undefined);
  const redoLabel = ref<string | undefined>(undefined);
  const saveState = ref<SaveState>('saved');
  const saveError = ref('');
  const backedUpAt = ref<Date | null>(null);
  /** A backup newer than the saved file, found when the document was opened: restore or discard. */
  const backupOffer = shallowRef<EditorDocument | null>(null);

  const selection = shallowRef<ReadonlySet<NoteId>>(new Set());
  const clipboard = shallowRef<NoteClip | null>(null);

  /** The open document's renders (newest first). */
  const renders = shallowRef<RenderEntry[]>([]);
  const rendersState = ref<LoadState>('idle');
  const rendersError = ref('');

  const creating = ref(false);
  const createError = ref('');

  const score = computed(() => (open.value?.kind === 'score' ? open.value : null));
  const openEntry = computed(() => entries.value.find((e) => e.id === open.value?.id) ?? null);
  const dirty = computed(() => saveState.value !== 'saved');

  let unsubscribe: (() => void) | null = null;
  let backupTimer: ReturnType<typeof setTimeout> | null = null;
  /** One request at a time, in order: a backup never lands after the save that replaced it. */
  let queue: Promise<unknown> = Promise.resolve();
  let saveFailed = false;

  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  }

  async function loadList(options: { quiet?: boolean } = {}): Promise<void> {
    const dir = project.value;
    if (!dir) {
      entries.value = [];
      listState.value = 'idle';
      return;
    }
    if (!options.quiet) listState.value = 'loading';
    try {
      const list = await api.documents.list({ project: dir });
      if (dir !== project.value) return;
      entries.value = list;
      listState.value = 'ready';
      listError.value = '';
    } catch (err) {
      if (dir !== project.value) return;
      listError.value = describeError(err);
      listState.value = 'failed';
    }
  }

  function clearBackupTimer(): void {
    if (backupTimer !== null) clearTimeout(backupTimer);
    backupTimer = null;
  }

  function currentDocument(doc: OpenDocument): EditorDocument {
    return doc.model.toDocument();
  }

  function syncHistoryFlags(): void {
    const s = open.value;
    canUndo.value = s?.history.canUndo ?? false;
    canRedo.value = s?.history.canRedo ?? false;
    undoLabel.value = s?.history.undoLabel;
    redoLabel.value = s?.history.redoLabel;
    if (saveState.value === 'saving') return;
    const unsaved = (s?.history.isDirty ?? false) || saveFailed;
    if (!unsaved) saveState.value = 'saved';
    else if (saveState.value === 'saved' || saveState.value === 'backed-up') saveState.value = 'unsaved';
  }

  function onHistory(event: HistoryEvent<ScoreCommand> | HistoryEvent<MelCommand>): void {
    const s = open.value;
    if (!s) return;
    lastChange.value = event;
    version.value++;
    if (s.kind === 'score' && (event as HistoryEvent<ScoreCommand>).commands.some((c) => c.change.kind === 'add' || c.change.kind === 'delete')) {
      const pruned = pruneSelection(s.model, selection.value);
      if (pruned.size !== selection.value.size) selection.value = pruned;
    }
    if (event.type === 'saved' || event.type === 'clear') {
      syncHistoryFlags();
      return;
    }
    if (saveState.value === 'backed-up' || saveState.value === 'saved') saveState.value = 'unsaved';
    syncHistoryFlags();
    // A gesture in progress is backed up when it ends (its 'commit'), not at every pointer move.
    if (!s.history.inGroup && (s.history.isDirty || saveFailed)) scheduleBackup();
  }

  function scheduleBackup(): void {
    clearBackupTimer();
    backupTimer = setTimeout(() => {
      backupTimer = null;
      void backup();
    }, BACKUP_DELAY_MS);
  }

  async function backup(): Promise<void> {
    const doc = open.value;
    if (!doc || saveState.value === 'saved' || doc.history.inGroup) return;
    const document = doc.model.toDocument();
    try {
      await enqueue(() => api.documents.backup({ project: doc.project, document }));
      if (open.value === doc && saveState.value === 'unsaved') {
        saveState.value = 'backed-up';
        backedUpAt.value = new Date();
      }
    } catch {
      // The next edit tries again; a failed backup is not worth interrupting anyone for.
    }
  }

  /** Saves the open document (Ctrl+S); true when it is saved. */
  async function save(): Promise<boolean> {
    const doc = open.value;
    if (!doc) return true;
    clearBackupTimer();
    const document = currentDocument(doc);
    // The state saved is the one read now: edits made while the request is out stay unsaved.
    if (doc.history.inGroup) return false;
    doc.history.markSaved();
    saveFailed = false;
    saveState.value = 'saving';
    try {
      const { updatedAt } = await enqueue(() => api.documents.save({ project: doc.project, document }));
      if (doc.kind === 'score') doc.model.meta.updatedAt = updatedAt;
      else doc.document = markRaw({ ...doc.document, updatedAt });
      backupOffer.value = open.value === doc ? null : backupOffer.value;
      const entry = entries.value.find((e) => e.id === doc.id);
      if (entry) {
        entry.updatedAt = updatedAt;
        entry.size = document.kind === 'score' ? document.notes.length : document.mel.frames;
      }
      saveError.value = '';
      if (open.value === doc) {
        saveState.value = 'saved';
        syncHistoryFlags();
      }
      return true;
    } catch (err) {
      saveFailed = true;
      saveError.value = describeError(err);
      if (open.value === doc) saveState.value = 'failed';
      return false;
    }
  }

  /** Saves when there is something to save (leaving the Editor, another document, a closing window). */
  function saveIfDirty(): Promise<boolean> {
    return dirty.value ? save() : Promise.resolve(true);
  }

  function close(): void {
    clearBackupTimer();
    unsubscribe?.();
    unsubscribe = null;
    open.value = null;
    openState.value = 'idle';
    openError.value = '';
    backupOffer.value = null;
    selection.value = new Set();
    renders.value = [];
    rendersState.value = 'idle';
    saveFailed = false;
    saveState.value = 'saved';
    lastChange.value = null;
    syncHistoryFlags();
    version.value++;
  }

  function adopt(dir: string, document: EditorDocument, backupDoc: EditorDocument | null): void {
    close();
    if (document.kind === 'score') {
      const model = markRaw(ScoreModel.fromDocument(document));
      const history = markRaw(new History<ScoreCommand>({ limit: 200 }));
      open.value = markRaw<OpenScore>({ kind: 'score', id: document.id, project: dir, model, history });
      unsubscribe = history.subscribe(onHistory);
    } else {
      const model = markRaw(MelSheetModel.fromDocument(document));
      const history = markRaw(new History<MelCommand>({ limit: 200 }));
      open.value = markRaw<OpenMel>({ kind: 'mel', id: document.id, project: dir, document: markRaw(document), model, history });
      unsubscribe = history.subscribe(onHistory);
    }
    backupOffer.value = backupDoc && backupDoc.kind === document.kind ? markRaw(backupDoc) : null;
    openState.value = 'ready';
    syncHistoryFlags();
    version.value++;
    void loadRenders();
  }

  /** Opens a document of the project (saving the one open first). */
  async function openDocument(id: string): Promise<void> {
    const dir = project.value;
    if (!dir) return;
    if (open.value?.id === id && open.value.project === dir && openState.value === 'ready') return;
    await saveIfDirty();
    close();
    openState.value = 'loading';
    const requested = id;
    pendingId.value = id;
    try {
      const { document, backup: backupDoc } = await api.documents.get({ project: dir, id });
      if (pendingId.value !== requested || dir !== project.value) return;
      adopt(dir, document, backupDoc);
    } catch (err) {
      if (pendingId.value !== requested) return;
      openError.value = describeError(err);
      openState.value = 'failed';
    }
  }

  /** A new score (empty or from a MIDI file) or a mel sheet from an audio file; opened at once. */
  async function create(name: string, from: NewDocumentSource): Promise<boolean> {
    const dir = project.value;
    if (!dir) return false;
    creating.value = true;
    createError.value = '';
    try {
      await saveIfDirty();
      const document = await api.documents.create({ project: dir, name, from });
      if (dir !== project.value) return false;
      pendingId.value = document.id;
      adopt(dir, document, null);
      await loadList({ quiet: true });
      return true;
    } catch (err) {
      createError.value = describeError(err);
      return false;
    } finally {
      creating.value = false;
    }
  }

  async function remove(id: string): Promise<boolean> {
    const dir = project.value;
    if (!dir) return false;
    try {
      await enqueue(() => api.documents.remove({ project: dir, id }));
      if (open.value?.id === id) {
        close();
        pendingId.value = null;
      }
      entries.value = entries.value.filter((e) => e.id !== id);
      return true;
    } catch (err) {
      listError.value = describeError(err);
      return false;
    }
  }

  /** Takes the backup's content as one undoable step ("Restore unsaved changes"). */
  function restoreBackup(): void {
    const doc = open.value;
    const found = backupOffer.value;
    backupOffer.value = null;
    if (!doc || !found) return;
    if (doc.kind === 'mel' || found.kind === 'mel') {
      // A mel sheet's backup replaces the sheet; it stays unsaved until saved.
      if (found.kind === 'mel' && doc.kind === 'mel') {
        adopt(doc.project, found, null);
        saveState.value = 'unsaved';
        scheduleBackup();
      }
      return;
    }
    const { model, history } = doc;
    history.beginGroup('Restore unsaved changes');
    try {
      history.execute(deleteNotes(model, model.notes.map((n) => n.id)));
      history.execute(setTempo(model, found.tempo, { keepBeats: false }));
      history.execute(setTimeSignature(model, found.timeSignature));
      history.execute(addNotes(model, found.notes, 'Restore unsaved changes'));
    } finally {
      history.endGroup();
    }
    selection.value = new Set();
  }

  /** Keeps the saved file and deletes the backup (by saving the document as it is). */
  async function discardBackup(): Promise<void> {
    backupOffer.value = null;
    saveFailed = false;
    await save();
  }

  // Editing: the views make commands (renderer/src/editor/score.ts) and run them here.

  function execute(command: (model: ScoreModel) => ScoreCommand): boolean {
    const s = score.value;
    if (!s) return false;
    return s.history.execute(command(s.model));
  }

  function beginGesture(label: string): void {
    score.value?.history.beginGroup(label);
  }

  function endGesture(): void {
    const s = score.value;
    if (s?.history.inGroup) s.history.endGroup();
  }

  function cancelGesture(): void {
    const s = score.value;
    if (s?.history.inGroup) s.history.cancelGroup();
  }

  function undo(): boolean {
    return open.value?.history.undo() ?? false;
  }

  function redo(): boolean {
    return open.value?.history.redo() ?? false;
  }

  function select(ids: Iterable<NoteId>): void {
    selection.value = new Set(ids);
  }

  async function loadRenders(): Promise<void> {
    const doc = open.value;
    if (!doc) return;
    rendersState.value = 'loading';
    try {
      const { renders: all } = await api.renders.list({ project: doc.project });
      if (open.value !== doc) return;
      renders.value = all.filter((r) => r.sidecar.document === doc.id);
      rendersState.value = 'ready';
      rendersError.value = '';
    } catch (err) {
      if (open.value !== doc) return;
      rendersError.value = describeError(err);
      rendersState.value = 'failed';
    }
  }

  // Another project: save what is open there, then start over with this one's documents.
  watch(project, (dir, before) => {
    if (dir === before) return;
    if (open.value && dirty.value) void save();
    close();
    pendingId.value = null;
    entries.value = [];
    listState.value = 'idle';
    if (dir) void loadList();
  });

  return {
    project,
    entries,
    listState,
    listError,
    open,
    openState,
    openError,
    openEntry,
    pendingId,
    score,
    version,
    lastChange,
    canUndo,
    canRedo,
    undoLabel,
    redoLabel,
    saveState,
    saveError,
    backedUpAt,
    dirty,
    backupOffer,
    selection,
    clipboard,
    renders,
    rendersState,
    rendersError,
    creating,
    createError,
    loadList,
    openDocument,
    create,
    remove,
    save,
    saveIfDirty,
    close,
    restoreBackup,
    discardBackup,
    execute,
    beginGesture,
    endGesture,
    cancelGesture,
    undo,
    redo,
    select,
    loadRenders,
  };
});

export type { ScoreDocument, MelDocument, EditorDocument };
