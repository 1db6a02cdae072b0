// The services behind the API, shared by the Electron main process and the browser-mode server
// (no Electron import here): projects, the file browser, dialogs where there are native ones, and
// the job supervisor whose workers each side starts its own way.
import * as path from 'node:path';
import type { EventName, EventPayload } from '../contract/index';
import { StudioError } from '../engine/errors';
import { datasetHandlers } from './datasets';
import { createDispatch, type Dispatch } from './dispatch';
import { listDir } from './files';
import { defaultLane, JobSupervisor } from './jobs';
import { MediaLibrary } from './media';
import { ProjectRegistry } from './projects';
import { documentHandlers } from './documents';
import { runHandlers, RunWatchers } from './runs';
import type { WorkerProcess } from './worker-process';

/** Menu commands the renderer acts on (it owns the project dialogs and views): the contract's. */
export type MenuCommand = EventPayload<'app.onMenuCommand'>['command'];

export interface Dialogs {
  chooseFolder(args: { title: string }): Promise<{ path: string | null }>;
  chooseFile(args: { title: string; extensions?: string[] }): Promise<{ path: string | null }>;
  /** Shows a file in the file manager. */
  reveal(path: string): void;
}

export interface StudioBackendOptions {
  /** Where the studio keeps its own files (recent projects); WAVENET_STUDIO_HOME overrides it. */
  userDataDir: string;
  spawnWorker: () => WorkerProcess;
  /** Native dialogs (Electron); browser mode has none and answers NOT_AVAILABLE. */
  dialogs?: Dialogs;
  emit: (event: string, payload: unknown) => void;
}

export interface StudioBackend {
  dispatch: Dispatch;
  /** The open projects' audio the renderer may play (browser mode's /media, app://studio/media). */
  media: MediaLibrary;
  menuCommand(command: MenuCommand): void;
  close(): Promise<void>;
}

export async function startStudioBackend(opts: StudioBackendOptions): Promise<StudioBackend> {
  const home = path.resolve(process.env.WAVENET_STUDIO_HOME || opts.userDataDir);
  const media = new MediaLibrary();
  const projects = new ProjectRegistry(home, (dir) => media.addProject(dir));
  const emit = <N extends EventName>(event: N, payload: EventPayload<N>) => opts.emit(event, payload);
  const jobs = new JobSupervisor(opts.spawnWorker, emit, Date.now, defaultLane, { spareWorker: true });
  const runWatchers = new RunWatchers(emit);
  const noDialogs = (): never => {
    throw new StudioError('NOT_AVAILABLE', 'Native dialogs are not available in browser mode; use the folder browser.');
  };
  const dispatch = createDispatch(
    {
      'projects.list': () => projects.list(),
      'projects.create': (a) => projects.create(a.parent, a.name),
      'projects.open': (a) => projects.open(a.path),
      'fs.listDir': (a) => listDir(a.path),
      'fs.reveal': (a) => (opts.dialogs ? opts.dialogs.reveal(a.path) : noDialogs()),
      'dialogs.chooseFolder': (a) => (opts.dialogs ? opts.dialogs.chooseFolder(a) : noDialogs()),
      'dialogs.chooseFile': (a) => (opts.dialogs ? opts.dialogs.chooseFile(a) : noDialogs()),
      'jobs.start': (a) => jobs.start(a),
      'jobs.cancel': (a) => jobs.cancel(a.jobId),
      'jobs.pause': (a) => jobs.pause(a.jobId, a.paused),
      'jobs.list': () => jobs.list(),
      ...datasetHandlers(),
      ...runHandlers(runWatchers),
      ...documentHandlers(),
    },
    (line) => process.stderr.write(`${line}\n`),
  );
  return {
    dispatch,
    media,
    // The renderer owns the project views; a menu command is an event it acts on.
    menuCommand: (command) => emit('app.onMenuCommand', { command }),
    close: async () => {
      runWatchers.close();
      jobs.close();
    },
  };
}
