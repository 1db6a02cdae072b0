import { app, type BrowserWindow } from 'electron';

/**
 * One running app per user: a second launch hands over to the first, which brings its window to
 * the front, and quits. Returns false in the second instance.
 */
export function claimSingleInstance(mainWindow: () => BrowserWindow | null): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const window = mainWindow();
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  return true;
}
