// The Datasets view's calls: a project's datasets in project.json, and what their imports found
// (read from each dataset's manifest and cache). Importing itself is a job (worker/jobs/import.ts).
import * as path from 'node:path';
import { datasetFiles, datasetInfo, fileDetail, setExcluded } from '../engine/dataset/import/index';
import { addDataset, listDatasets, removeDataset, updateDataset } from '../engine/project/datasets';
import { readManifestIfAny } from '../engine/project/manifest';
import type { Handlers } from './dispatch';

type DatasetCall = 'datasets.list' | 'datasets.add' | 'datasets.update' | 'datasets.remove' | 'datasets.info' | 'datasets.files' | 'datasets.setExcluded' | 'datasets.fileDetail';

export function datasetHandlers(): Pick<Handlers, DatasetCall> {
  const dir = (a: { project: string }) => path.resolve(a.project);
  return {
    'datasets.list': async (a) => {
      const projectDir = dir(a);
      const out = [];
      for (const dataset of await listDatasets(projectDir)) {
        // Before the first import there is nothing to sum up: the card says so.
        const imported = (await readManifestIfAny(projectDir, dataset.id).catch(() => null)) !== null;
        out.push({ dataset, info: imported ? await datasetInfo(projectDir, dataset.id) : null });
      }
      return out;
    },
    'datasets.add': (a) => addDataset(dir(a), { name: a.name, folders: a.folders, settings: a.settings }),
    'datasets.update': (a) => updateDataset(dir(a), a.dataset, { name: a.name, folders: a.folders, settings: a.settings }),
    'datasets.remove': (a) => removeDataset(dir(a), a.dataset),
    'datasets.info': (a) => datasetInfo(dir(a), a.dataset),
    'datasets.files': (a) => datasetFiles(dir(a), a.dataset),
    'datasets.setExcluded': async (a) => {
      await setExcluded(dir(a), a.dataset, a.paths, a.excluded);
    },
    'datasets.fileDetail': (a) => fileDetail(dir(a), a.dataset, a.path),
  };
}
