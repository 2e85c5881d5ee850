// Confluence Cloud for the sandbox: per-site stores and the router mounted at each Confluence base.
export { createConfluenceStore, ConfluenceError } from './confluence/store';
export type { ConfluenceStore } from './confluence/store';
export { createConfluenceRouter } from './confluence/router';
