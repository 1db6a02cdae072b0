import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStudioBackend } from '../../services/backend';
import { StudioError } from '../../engine/errors';
import { studioHomeDir } from '../../services/home';
import { forkNodeWorker } from '../../services/node-worker';
import { startStudioServer, type StudioServer } from '../../server/index';
import { ensureRendererBuilt } from '../../server/renderer-build';
import { numberOption } from '../options';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** `serve`: browser mode. Prints one line with the address (token included) and runs until stopped. */
export async function serveCommand(flags: { port: string; host: string }): Promise<void> {
  const port = numberOption('port', flags.port, { integer: true, min: 0 })!;
  if (port > 65535) throw new StudioError('BAD_OPTION', `--port must be at most 65535, got ${port}.`);
  const rendererDir = ensureRendererBuilt(repoRoot, (line) => process.stderr.write(`${line}\n`));

  let server: StudioServer | null = null;
  const backend = await startStudioBackend({
    userDataDir: studioHomeDir(),
    spawnWorker: forkNodeWorker,
    emit: (event, payload) => server?.broadcast(event, payload),
  });
  try {
    server = await startStudioServer({ host: flags.host, port, rendererDir, dispatch: backend.dispatch, media: backend.media });
  } catch (e) {
    await backend.close();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new StudioError('BAD_OPTION', `Port ${port} is in use: pick another with --port, or leave it out for a free one.`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new StudioError('BAD_OPTION', `Cannot bind to ${flags.host}: give an address of this machine with --host.`);
    throw e;
  }
  process.stdout.write(`WaveNet Studio (browser mode) at ${server.url}\n`);
  if (flags.host !== '127.0.0.1' && flags.host !== 'localhost') {
    process.stderr.write(`Listening on ${flags.host}: anyone who can reach it and has the token can use this studio.\n`);
  }
  const stop = async () => {
    await backend.close();
    await server?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
