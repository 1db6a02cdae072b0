// The runs of a project as the Training section sees them: list, detail, metrics (whole and
// followed live), the new-run plan, checkpoints, and the devices a run can use.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { EventName, EventPayload } from '../contract/index';
import type { MetricsRecord, MetricsSeries, RunDetail } from '../contract/domain/index';
import { StudioError } from '../engine/errors';
import { openProject } from '../engine/project/index';
import { readManifest } from '../engine/project/manifest';
import {
  deleteCheckpoint, listCheckpoints, listRuns, listSamples, MetricsTail, readMetrics, readRunConfig, runPaths, sourceSample, summarizeRun,
} from '../engine/run/index';
import { workingDevices, type WorkingDevice } from '../engine/runtime/probe';
import { planRun } from '../engine/train/plan';
import { copyFileAtomic } from '../engine/util/atomic';
import type { Handlers } from './dispatch';

type Emit = <N extends EventName>(event: N, payload: EventPayload<N>) => void;

/** Records → columns; a record without a value gives null in that column. */
export function toSeries(records: readonly MetricsRecord[]): MetricsSeries {
  const s: MetricsSeries = { step: [], time: [], train: [], val: [], lr: [], samplesPerSec: [] };
  for (const r of records) {
    s.step.push(r.step);
    s.time.push(Date.parse(r.time) || 0);
    s.train.push(r.train_loss);
    s.val.push(r.val_loss ?? null);
    s.lr.push(r.lr ?? null);
    s.samplesPerSec.push(r.samples_per_sec ?? null);
  }
  return s;
}

/** Follows watched runs' metrics.jsonl (one tail per run, however many windows watch it). */
export class RunWatchers {
  private readonly tails = new Map<string, { tail: MetricsTail; watchers: number; timer: NodeJS.Timeout; busy: boolean }>();

  constructor(private readonly emit: Emit, private readonly intervalMs = 1000) {}

  async watch(runDir: string): Promise<void> {
    const existing = this.tails.get(runDir);
    if (existing) {
      existing.watchers += 1;
      return;
    }
    const tail = new MetricsTail(runDir);
    // The history so far is fetched with runs.metrics; the tail starts at the end.
    await tail.poll();
    const entry = { tail, watchers: 1, busy: false, timer: setInterval(() => void this.poll(runDir), this.intervalMs) };
    this.tails.set(runDir, entry);
  }

  unwatch(runDir: string): void {
    const entry = this.tails.get(runDir);
    if (!entry || --entry.watchers > 0) return;
    clearInterval(entry.timer);
    this.tails.delete(runDir);
  }

  close(): void {
    for (const e of this.tails.values()) clearInterval(e.timer);
    this.tails.clear();
  }

  private async poll(runDir: string): Promise<void> {
    const entry = this.tails.get(runDir);
    if (!entry || entry.busy) return;
    entry.busy = true;
    try {
      let reset = false;
      const records: MetricsRecord[] = [];
      for (const event of await entry.tail.poll()) {
        if (event.type === 'reset') {
          reset = true;
          records.length = 0;
        } else records.push(...event.records);
      }
      if (reset || records.length > 0) this.emit('runs.onMetrics', { runDir, reset, series: toSeries(records) });
    } catch {
      // A run folder being deleted or rewritten: the next poll tries again.
    } finally {
      entry.busy = false;
    }
  }
}

async function runDetail(runDir: string): Promise<RunDetail> {
  const [summary, config, checkpoints, samples, source] = await Promise.all([
    summarizeRun(runDir), readRunConfig(runDir), listCheckpoints(runDir), listSamples(runDir), sourceSample(runDir),
  ]);
  return { summary, config, checkpoints, samples, source };
}

/** The class names a dataset's last import found (empty when it has no classes). */
async function datasetClasses(projectDir: string, datasetId: string, classes: string | undefined): Promise<string[]> {
  if (!classes || classes === 'none') return [];
  try {
    const manifest = await readManifest(projectDir, datasetId);
    return [...new Set(manifest.files.filter((f) => !f.excluded).map((f) => f.className ?? ''))].filter(Boolean).sort();
  } catch {
    throw new StudioError('DATASET_EMPTY', 'Import the dataset first: its classes come from the import.');
  }
}

let devices: Promise<WorkingDevice[]> | null = null;

export function runHandlers(watchers: RunWatchers): Pick<Handlers,
  'runs.list' | 'runs.get' | 'runs.metrics' | 'runs.watch' | 'runs.unwatch' | 'runs.plan' | 'runs.deleteCheckpoint' | 'runs.exportCheckpoint' | 'devices.list'> {
  return {
    'runs.list': (a) => listRuns(path.resolve(a.project)),
    'runs.get': (a) => runDetail(path.resolve(a.runDir)),
    'runs.metrics': async (a) => toSeries((await readMetrics(path.resolve(a.runDir))).records),
    'runs.watch': (a) => watchers.watch(path.resolve(a.runDir)),
    'runs.unwatch': (a) => watchers.unwatch(path.resolve(a.runDir)),
    'runs.plan': async (a) => {
      const projectDir = path.resolve(a.project);
      const project = await openProject(projectDir);
      const dataset = project.datasets.find((d) => d.id === a.dataset || d.name === a.dataset);
      if (!dataset) throw new StudioError('BAD_OPTION', `The project has no dataset "${a.dataset}": add one in Datasets first.`);
      const classNames = await datasetClasses(projectDir, dataset.id, dataset.settings?.classes);
      return planRun(projectDir, dataset, classNames, a.choices);
    },
    'runs.deleteCheckpoint': (a) => deleteCheckpoint(path.resolve(a.runDir), a.step),
    'runs.exportCheckpoint': async (a) => {
      const out = path.resolve(a.out.endsWith('.onnx') ? a.out : `${a.out}.onnx`);
      const from = path.join(runPaths(path.resolve(a.runDir)).checkpoints, String(a.step), 'model.onnx');
      await fs.access(from).catch(() => {
        throw new StudioError('FILE_NOT_FOUND', `There is no checkpoint at step ${a.step} any more: refresh the list.`);
      });
      await copyFileAtomic(from, out);
      return { path: out };
    },
    // Probed once per process: starting a GPU provider takes seconds.
    'devices.list': () => (devices ??= workingDevices()),
  };
}
