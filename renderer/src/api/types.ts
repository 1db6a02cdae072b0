// PROVISIONAL until main/contract lands; then these become re-exports of the contract's types.
export interface ProjectSummary {
  name: string;
  path: string;
  openedAt?: string;
}
export interface DirEntry {
  name: string;
  path: string;
  kind: 'dir' | 'file';
  size?: number;
}
export interface DirListing {
  path: string;
  parent: string | null;
  entries: DirEntry[];
}
export interface JobStartRequest {
  kind: 'analyze';
  input: string;
}
export interface JobProgressEvent {
  jobId: string;
  kind: string;
  phase: string;
  done: number;
  total?: number | null;
  etaSeconds?: number | null;
}
export interface JobFinishedEvent {
  jobId: string;
  kind: string;
  status: 'done' | 'failed' | 'cancelled';
  result?: { outputPath?: unknown; frames?: unknown };
  error?: { code: string; message: string };
}
export interface JobInfo {
  jobId: string;
  kind: string;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  progress?: JobProgressEvent;
}
export interface StudioApi {
  projects: {
    list(): Promise<ProjectSummary[]>;
    create(args: { path: string; name: string }): Promise<ProjectSummary>;
    open(args: { path: string }): Promise<ProjectSummary>;
  };
  fs: { listDir(args: { path?: string }): Promise<DirListing> };
  dialogs: {
    chooseFolder(args: { title: string }): Promise<{ path: string | null }>;
    chooseFile(args: { title: string; extensions?: string[] }): Promise<{ path: string | null }>;
  };
  jobs: {
    start(args: JobStartRequest): Promise<{ jobId: string }>;
    cancel(args: { jobId: string }): Promise<void>;
    list(): Promise<JobInfo[]>;
    onProgress(handler: (e: JobProgressEvent) => void): () => void;
    onFinished(handler: (e: JobFinishedEvent) => void): () => void;
  };
}
