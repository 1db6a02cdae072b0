import { ref } from 'vue';
import { api, hasNativeDialogs } from '../api';

export interface PathRequest {
  mode: 'folder' | 'file';
  title: string;
  extensions?: string[];
  /** The browser's confirm button (browser mode), e.g. 'Add this folder'. */
  confirmLabel?: string;
}

/**
 * Chooses a folder or file: the native dialog under Electron, the server-side FolderBrowser in
 * browser mode. `browsing` holds the open request, which the view's PathChooserBrowser shows.
 */
export function usePathChooser() {
  const browsing = ref<PathRequest | null>(null);
  let settle: ((path: string | null) => void) | null = null;

  async function choose(request: PathRequest): Promise<string | null> {
    if (hasNativeDialogs()) {
      const result =
        request.mode === 'folder'
          ? await api.dialogs.chooseFolder({ title: request.title })
          : await api.dialogs.chooseFile({ title: request.title, extensions: request.extensions });
      return result.path;
    }
    settle?.(null);
    browsing.value = request;
    return new Promise((resolve) => (settle = resolve));
  }

  function finish(path: string | null): void {
    browsing.value = null;
    settle?.(path);
    settle = null;
  }

  return { browsing, choose, finish };
}

export type PathChooser = ReturnType<typeof usePathChooser>;
