// The editor's document model and edit commands: plain TypeScript, no Vue, no DOM.
export * from './history';
export * from './snap';
export * from './score-model';
export * from './score';
export * from './selection';
export * from './note-patch';
export * from './mel-model';
export * from './mel';
export * from './brush';
export * from './cell-patch';
export * from './midi';
