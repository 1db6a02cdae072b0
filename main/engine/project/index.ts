export { checkId, newId, idSchema, ID_PATTERN } from './ids';
export {
  createProject, openProject, saveProject, withDataset, projectSchema, projectDatasetSchema, conditionSchema,
  PROJECT_FILE, PROJECT_SCHEMA_VERSION, DEFAULT_PROJECT_SAMPLE_RATE, type Project, type ProjectDataset,
} from './project-file';
export { writeManifest, readManifest, manifestPath, manifestSchema, sha256File, type DatasetManifest } from './manifest';
export {
  writeDocument, readDocument, listDocuments, documentPath, editorDocumentSchema, melSheetToFeatures, featuresToMelSheet,
  type EditorDocument,
} from './document';
export { writeRenderSidecar, readRenderSidecar, listRenderSidecars, renderSidecarPath, renderSidecarSchema, type RenderSidecar } from './render-sidecar';
