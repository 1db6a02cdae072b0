import { dialog, shell, type BrowserWindow, type FileFilter } from 'electron';

/** The answer of every chooser: a path, or null when the person cancelled. */
export interface ChosenPath {
  path: string | null;
}

/**
 * Native open/save dialogs for the dialogs.* API calls, attached to the main window (sheets on
 * macOS). Browser mode has no native dialogs; its renderer uses the server-side folder browser.
 */
export function nativeDialogs(owner: () => BrowserWindow | null) {
  const open = async (options: Electron.OpenDialogOptions): Promise<ChosenPath> => {
    const window = owner();
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    return { path: result.canceled ? null : (result.filePaths[0] ?? null) };
  };
  return {
    chooseFolder: (args: { title: string }) => open({ title: args.title, properties: ['openDirectory', 'createDirectory'] }),
    chooseFile: (args: { title: string; extensions?: string[] }) =>
      open({ title: args.title, properties: ['openFile'], filters: filtersFor(args.extensions) }),
    reveal: (path: string) => shell.showItemInFolder(path),
    chooseSavePath: async (args: { title: string; defaultPath?: string; extensions?: string[] }): Promise<ChosenPath> => {
      const window = owner();
      const options: Electron.SaveDialogOptions = {
        title: args.title,
        defaultPath: args.defaultPath,
        filters: filtersFor(args.extensions),
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return { path: result.canceled || !result.filePath ? null : result.filePath };
    },
  };
}

function filtersFor(extensions: string[] | undefined): FileFilter[] | undefined {
  if (!extensions || extensions.length === 0) return undefined;
  const bare = extensions.map((e) => e.replace(/^\./, ''));
  return [
    { name: bare.map((e) => e.toUpperCase()).join(', '), extensions: bare },
    { name: 'All files', extensions: ['*'] },
  ];
}
