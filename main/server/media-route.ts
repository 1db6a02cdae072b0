// Browser mode's GET|HEAD /media?path=<absolute path>: an open project's audio for <audio>
// elements, streamed (never read whole) with Range support. The token and Host checks run
// before this in serveHttp, as for every other request.
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { mediaAnswer, type MediaLibrary, type MediaResolution } from '../services/media';

export const MEDIA_PATH = '/media';

export async function serveMedia(req: IncomingMessage, res: ServerResponse, url: URL, media: MediaLibrary | undefined): Promise<void> {
  const requested = url.searchParams.get('path') ?? '';
  let resolution: MediaResolution;
  try {
    resolution = media ? await media.resolve(requested) : { ok: false, status: 404, message: 'No project media in this studio.' };
  } catch {
    resolution = { ok: false, status: 404, message: 'That file cannot be read.' };
  }
  const answer = mediaAnswer(resolution, req.headers.range);
  res.writeHead(answer.status, answer.headers);
  if (req.method === 'HEAD' || !answer.body) {
    res.end(req.method === 'HEAD' ? undefined : answer.text);
    return;
  }
  const stream = createReadStream(answer.body.path, { start: answer.body.start, end: answer.body.end });
  // A closed tab or a seek aborts the response: pipeline closes the file then; a read error cuts it short.
  pipeline(stream, res, (e) => {
    if (e && !res.destroyed) res.destroy();
  });
}
