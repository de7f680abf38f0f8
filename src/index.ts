export * from './core';
export * from './react';
export type * from './protocol/types';
export { parseServerMessage, validateServerMessage, parseTimestamp, workflowSocketPath } from './protocol';
