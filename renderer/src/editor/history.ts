// The editor's undo history, after OpenUtau's command model: every edit is a command that can
// do and undo itself; the commands of one gesture form one undo step; small repeated edits merge;
// a saved point says whether there are unsaved changes; views subscribe instead of polling.

/** One edit, bound to the model it was made for. Made and executed at once (it captures the
 * state it changes when it is made). */
export interface Command<Change = unknown> {
  /** What a menu shows: "Undo Move notes". */
  readonly label: string;
  /** What the edit touches (which notes, which cells), for views that redraw only that. */
  readonly change: Change;
  /** Edits with equal keys (same kind on the same target) may merge; without one, never. */
  readonly mergeKey?: string;
  do(): void;
  undo(): void;
  /** Absorbs `next` (already done, same key) so that undoing this undoes both; false refuses. */
  merge?(next: Command<Change>): boolean;
  /** True when doing it would change nothing; such an edit is not recorded. */
  isNoop?(): boolean;
}

export interface HistoryOptions {
  /** Undo steps kept; the oldest is dropped beyond it (default 100, at least 1). */
  limit?: number;
  /** Edits with the same merge key closer than this merge into one step (default 1000 ms). */
  mergeWindowMs?: number;
  /** The clock the merge window reads (ms); injectable for tests. */
  now?: () => number;
}

export type HistoryEventType = 'do' | 'undo' | 'redo' | 'cancel' | 'commit' | 'saved' | 'clear';

export interface HistoryEvent<C extends Command = Command> {
  readonly type: HistoryEventType;
  /**
   * The commands whose effect reached the document, in the order it happened: done ('do',
   * 'redo') or reverted ('undo', 'cancel'). Empty for events that change only the history
   * ('commit' of a gesture, 'saved', 'clear').
   */
  readonly commands: readonly C[];
  /** The step's label ('undo', 'redo', 'commit', 'cancel'), or the command's ('do'). */
  readonly label: string | undefined;
  /** A 'do' that merged into the previous step instead of making a new one. */
  readonly merged: boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly isDirty: boolean;
}

export type HistoryListener<C extends Command = Command> = (event: HistoryEvent<C>) => void;

/** One undo step: a single command or a gesture's commands. */
interface Step<C> {
  /** Names the document state after this step; a new id whenever the state changes. */
  id: number;
  label: string;
  commands: C[];
  /** A single command that a following edit may merge into; gestures never merge afterwards. */
  mergeable: boolean;
  time: number;
}

interface OpenGroup<C> {
  label: string;
  commands: C[];
}

export class History<C extends Command = Command> {
  readonly limit: number;
  readonly mergeWindowMs: number;
  private readonly now: () => number;
  private readonly undoStack: Step<C>[] = [];
  private readonly redoStack: Step<C>[] = [];
  private readonly groups: OpenGroup<C>[] = [];
  private readonly listeners = new Set<HistoryListener<C>>();
  private nextId = 1;
  /** The state with no step below it (the start, or after the last dropped step). */
  private baseId = 0;
  private savedId = 0;

  constructor(options: HistoryOptions = {}) {
    this.limit = Math.max(1, Math.floor(options.limit ?? 100));
    this.mergeWindowMs = options.mergeWindowMs ?? 1000;
    this.now = options.now ?? (() => Date.now());
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0 || this.pendingInGroups();
  }

  /** False while a gesture has changed the document: redoing would then be wrong. */
  get canRedo(): boolean {
    return this.redoStack.length > 0 && !this.pendingInGroups();
  }

  /** Unsaved changes: the document is not the state `markSaved()` last saw. */
  get isDirty(): boolean {
    return this.pendingInGroups() || this.stateId() !== this.savedId;
  }

  get undoLabel(): string | undefined {
    // An open gesture that changed something is what Undo would take back (committed whole).
    return this.pendingInGroups() ? this.groups[0]!.label : this.undoStack.at(-1)?.label;
  }

  get redoLabel(): string | undefined {
    return this.canRedo ? this.redoStack.at(-1)?.label : undefined;
  }

  /** Steps that can be undone (a gesture in progress not counted). */
  get undoDepth(): number {
    return this.undoStack.length;
  }

  get redoDepth(): number {
    return this.redoStack.length;
  }

  get inGroup(): boolean {
    return this.groups.length > 0;
  }

  /**
   * Does `command` and records it: into the open gesture, merged into the previous step (same
   * merge key, within the window, not the saved state), or as a new step that clears redo.
   * Returns false (and records nothing) for an edit that changes nothing.
   */
  execute(command: C): boolean {
    if (command.isNoop?.()) return false;
    command.do();
    const time = this.now();
    const group = this.groups.at(-1);
    let merged = false;
    if (group) {
      const last = group.commands.at(-1);
      merged = last !== undefined && mergeable(last, command) && last.merge!(command);
      if (!merged) group.commands.push(command);
    } else {
      const top = this.undoStack.at(-1);
      merged = top !== undefined && top.mergeable && this.redoStack.length === 0 && top.id !== this.savedId
        && time - top.time <= this.mergeWindowMs && mergeable(top.commands[0]!, command) && top.commands[0]!.merge!(command);
      if (merged) {
        top!.id = this.nextId++;
        top!.time = time;
      } else {
        this.push({ id: this.nextId++, label: command.label, commands: [command], mergeable: true, time });
      }
    }
    this.emit('do', [command], command.label, merged);
    return true;
  }

  /** Starts a gesture (a drag): everything executed until `endGroup()` is one undo step. Nests. */
  beginGroup(label: string): void {
    this.groups.push({ label, commands: [] });
  }

  /** Ends the innermost gesture: one undo step, or nothing if it changed nothing. */
  endGroup(): void {
    const group = this.groups.pop();
    if (!group) throw new Error('endGroup() without beginGroup()');
    if (group.commands.length === 0) return;
    const parent = this.groups.at(-1);
    if (parent) {
      parent.commands.push(...group.commands);
      return;
    }
    this.push({ id: this.nextId++, label: group.label, commands: group.commands, mergeable: false, time: this.now() });
    this.emit('commit', [], group.label, false);
  }

  /** Escape: undoes what the innermost gesture did so far and forgets it. */
  cancelGroup(): void {
    const group = this.groups.pop();
    if (!group) throw new Error('cancelGroup() without beginGroup()');
    const reverted = revert(group.commands);
    if (reverted.length > 0) this.emit('cancel', reverted, group.label, false);
  }

  /** Undoes the last step; a gesture still open is committed first, so it is what is undone. */
  undo(): boolean {
    this.commitGroups();
    const step = this.undoStack.pop();
    if (!step) return false;
    const reverted = revert(step.commands);
    this.redoStack.push(step);
    this.emit('undo', reverted, step.label, false);
    return true;
  }

  redo(): boolean {
    this.commitGroups();
    const step = this.redoStack.pop();
    if (!step) return false;
    for (const command of step.commands) command.do();
    this.undoStack.push(step);
    this.emit('redo', step.commands, step.label, false);
    return true;
  }

  /** The document as it is now has been saved. */
  markSaved(): void {
    this.savedId = this.stateId();
    this.emit('saved', [], undefined, false);
  }

  /** Forgets every step (a document was loaded); the document itself is left as it is. */
  clear(): void {
    const clean = !this.isDirty;
    this.undoStack.length = 0;
    this.redoStack.length = 0;
    this.groups.length = 0;
    this.baseId = this.nextId++;
    if (clean) this.savedId = this.baseId;
    this.emit('clear', [], undefined, false);
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: HistoryListener<C>): () => void {
    this.listeners.add(listener);
    return () => this.unsubscribe(listener);
  }

  unsubscribe(listener: HistoryListener<C>): void {
    this.listeners.delete(listener);
  }

  private stateId(): number {
    return this.undoStack.at(-1)?.id ?? this.baseId;
  }

  private pendingInGroups(): boolean {
    return this.groups.some((g) => g.commands.length > 0);
  }

  /** A new step: redo is gone, and the oldest steps beyond the limit drop off. */
  private push(step: Step<C>): void {
    this.redoStack.length = 0;
    this.undoStack.push(step);
    while (this.undoStack.length > this.limit) {
      // The state after the dropped step is now the oldest reachable; a saved point below it
      // can never be reached again, so its id never matches and the document stays dirty.
      this.baseId = this.undoStack.shift()!.id;
    }
  }

  private commitGroups(): void {
    while (this.groups.length > 0) this.endGroup();
  }

  private emit(type: HistoryEventType, commands: readonly C[], label: string | undefined, merged: boolean): void {
    if (this.listeners.size === 0) return;
    const event: HistoryEvent<C> = { type, commands, label, merged, canUndo: this.canUndo, canRedo: this.canRedo, isDirty: this.isDirty };
    for (const listener of [...this.listeners]) listener(event);
  }
}

function mergeable(previous: Command, next: Command): boolean {
  return previous.mergeKey !== undefined && previous.mergeKey === next.mergeKey && previous.merge !== undefined;
}

/** Undoes commands last first; returns them in the order they were undone. */
function revert<C extends Command>(commands: readonly C[]): C[] {
  const reverted: C[] = [];
  for (let i = commands.length - 1; i >= 0; i--) {
    commands[i]!.undo();
    reverted.push(commands[i]!);
  }
  return reverted;
}
