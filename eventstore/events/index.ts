export * from './catalog.ts';
export * from './metadata.ts';
export * from './shared.ts';
export * from './upcasters.ts';
export * from './decode.ts';
export { JobContent } from './jobEvents.ts';
export { ApplicationStatus, applicationStatuses } from './applicationEvents.ts';
export { WorkerProfile } from './workerEvents.ts';
export { BusinessProfile } from './businessEvents.ts';
