// The domain's shapes, shared by the engine, the services, the contract and the renderer. zod only:
// engine types are derived from these, never declared beside them.
export * from './ids';
export * from './model';
export * from './train';
export * from './documents';
export * from './dataset';
export * from './render';
export * from './jobs';
