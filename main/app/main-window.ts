import { BrowserWindow, nativeTheme, screen } from 'electron';
import { readWindowState, restoreWindowState, writeWindowState, type WindowState } from './window-bounds';

export interface MainWindowOptions {
  /** Built preload script (CommonJS: sandboxed preloads cannot load ES modules). */
  preloadPath: string;
  /** app://studio/index.html, or the dev server's URL in development. */
  url: string;
  /** JSON file in userData that remembers size, position and maximized state. */
  stateFile: string;
  title: string;
  devTools: boolean;
}

/** Debounce for saving while the window is dragged or resized. */
const SAVE_DELAY_MS = 500;

export async function createMainWindow(options: MainWindowOptions): Promise<BrowserWindow> {
  const displays = screen.getAllDisplays().map((d) => d.workArea);
  const state = restoreWindowState(await readWindowState(options.stateFile), displays);

  const window = new BrowserWindow({
    ...state.bounds,
    minWidth: 640,
    minHeight: 420,
    show: false,
    title: options.title,
    // Matches the renderer's theme background so the first frame does not flash white in dark mode.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1b1d22' : '#f4f5f7',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: options.devTools,
    },
  });
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  rememberWindowState(window, options.stateFile);
  await window.loadURL(options.url);
  return window;
}

/** Saves the window's normal bounds (not the maximized ones) while it moves and when it closes. */
function rememberWindowState(window: BrowserWindow, file: string): void {
  let timer: NodeJS.Timeout | undefined;
  let closing = false;
  const current = (): WindowState => ({ bounds: window.getNormalBounds(), maximized: window.isMaximized() });
  const saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void writeWindowState(file, current()).catch(() => undefined), SAVE_DELAY_MS);
  };
  window.on('resize', saveSoon);
  window.on('move', saveSoon);
  window.on('maximize', saveSoon);
  window.on('unmaximize', saveSoon);

  // Hold the close until the final state is on disk; a write in flight at quit would be lost.
  window.on('close', (event) => {
    if (closing) return;
    closing = true;
    clearTimeout(timer);
    event.preventDefault();
    const state = current();
    void writeWindowState(file, state)
      .catch(() => undefined)
      .finally(() => window.destroy());
  });
}
