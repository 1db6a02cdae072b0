export { importDataset, defaultHop, FRAMES_PER_SECOND, type ImportOptions, type ImportProgress, type ImportSummary } from './import-dataset';
export { datasetInfo, datasetFiles, setExcluded } from './info';
export { fileDetail, waveformPeaks, PEAK_COLUMNS } from './detail';
export { loadProjectDataset, type LoadProjectDatasetOptions } from './load-project';
export { scanSources, type SourceFile, type SourceScan } from './sources';
export { datasetClassNames, classNameFor } from './assign';
