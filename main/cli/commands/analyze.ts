import { analyzeFile } from '../../engine/dsp/analyze';
import { StudioError } from '../../engine/errors';
import { numberOption } from '../options';

export async function analyzeCommand(audio: string, f: { melOut?: string; sampleRate?: string }): Promise<void> {
  if (!f.melOut) throw new StudioError('BAD_OPTION', 'Give --mel-out <file.npy> for the log-mel output.');
  const sampleRate = numberOption('sample-rate', f.sampleRate, { integer: true, min: 1 });
  const r = await analyzeFile(audio, f.melOut, { sampleRate });
  process.stdout.write(`wrote ${f.melOut}: log-mel [${r.bins}, ${r.frames}] (${r.seconds.toFixed(2)} s at ${sampleRate ?? 16000} Hz)\n`);
}
