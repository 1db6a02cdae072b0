import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where the studio keeps its own files: the folder Electron's app.getPath('userData') gives for
 * "WaveNet Studio", so browser mode and the desktop app share their recent projects.
 * WAVENET_STUDIO_HOME overrides it (tests, portable installs).
 */
export function studioHomeDir(): string {
  if (process.env.WAVENET_STUDIO_HOME) return path.resolve(process.env.WAVENET_STUDIO_HOME);
  const name = 'WaveNet Studio';
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), name);
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', name);
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), name);
}
