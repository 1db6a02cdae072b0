// Electron main entry: security first (scheme, navigation guards, session), then the shared
// studio services behind one IPC handler, the menu, and the window.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, Menu, session } from 'electron';
import { describeError } from '../engine/errors';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { APP_ENTRY_URL } from './app-url';
import { handleStudioCalls, sendStudioEvent } from './ipc';
import { createMainWindow } from './main-window';
import { menuTemplate } from './menu-template';
import { nativeDialogs } from './native-dialogs';
import { guardAllWebContents, lockDownSession } from './security';
import { claimSingleInstance } from './single-instance';
import { startStudioBackend } from '../services/backend';
import { forkUtilityWorker } from './utility-worker';

const APP_NAME = 'WaveNet Studio';

/** Where the build put things: this file is out/main/index.js. */
function builtPaths() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return {
    renderer: path.join(here, '..', 'renderer'),
    preload: path.join(here, '..', 'preload', 'index.cjs'),
    worker: path.join(here, 'worker.js'),
  };
}

function main(): void {
  app.setName(APP_NAME);
  // Only `electron-vite dev` sets this; a packaged app always loads app://studio.
  const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
  const paths = builtPaths();
  let mainWindow: BrowserWindow | null = null;

  registerAppScheme();
  if (!claimSingleInstance(() => mainWindow)) return;
  guardAllWebContents(devServerUrl);

  const broadcast = (name: string, payload: unknown) => {
    for (const window of BrowserWindow.getAllWindows()) sendStudioEvent(window.webContents, name, payload);
  };

  async function openWindow(): Promise<void> {
    mainWindow = await createMainWindow({
      preloadPath: paths.preload,
      url: devServerUrl ?? APP_ENTRY_URL,
      stateFile: path.join(app.getPath('userData'), 'window-state.json'),
      title: APP_NAME,
      devTools: !app.isPackaged,
    });
    mainWindow.on('closed', () => (mainWindow = null));
  }

  async function start(): Promise<void> {
    lockDownSession(session.defaultSession, devServerUrl);
    const backend = await startStudioBackend({
      userDataDir: app.getPath('userData'),
      spawnWorker: () => forkUtilityWorker(paths.worker),
      dialogs: nativeDialogs(() => mainWindow),
      emit: broadcast,
    });
    serveRenderer(session.defaultSession, paths.renderer, backend.media);
    handleStudioCalls(backend.dispatch, devServerUrl);
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate({
          appName: APP_NAME,
          platform: process.platform,
          isPackaged: app.isPackaged,
          onCommand: (command) => backend.menuCommand(command),
        }),
      ),
    );
    app.on('before-quit', () => void backend.close());
    await openWindow();
  }

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) void openWindow().catch(fail);
  });
  app.whenReady().then(start).catch(fail);
}

/** A failure at start-up: one line in a native box, then quit (no stack for the person). */
function fail(error: unknown): void {
  dialog.showErrorBox(`${APP_NAME} could not start`, describeError(error));
  app.exit(1);
}

main();
