import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../services/backend';

export interface MenuTemplateOptions {
  appName: string;
  platform: NodeJS.Platform;
  /** Reload and developer tools are for development builds only. */
  isPackaged: boolean;
  onCommand: (command: MenuCommand) => void;
}

/** The application menu: the usual roles, plus the File commands that open project dialogs and Help's shortcut list. */
export function menuTemplate(options: MenuTemplateOptions): MenuItemConstructorOptions[] {
  const isMac = options.platform === 'darwin';
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: () => options.onCommand('newProject') },
      { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => options.onCommand('openProject') },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const developer: MenuItemConstructorOptions[] = options.isPackaged
    ? []
    : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }];
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...developer,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  // No accelerator: `?` itself opens the list, and a menu accelerator would take it from text fields.
  const shortcuts: MenuItemConstructorOptions = { label: 'Keyboard Shortcuts', click: () => options.onCommand('showShortcuts') };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: isMac ? [shortcuts] : [shortcuts, { type: 'separator' }, { role: 'about', label: `About ${options.appName}` }],
  };
  return [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    file,
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
    help,
  ];
}
