// The API's types come from the contract shared with the main process (main/contract).
export type {
  DirEntry,
  DirListing,
  JobFinishedEvent,
  JobInfo,
  JobProgressEvent,
  JobStartRequest,
  ProjectSummary,
  StudioApi,
} from '../../../main/contract/index';
