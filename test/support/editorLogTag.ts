/** Prefix of the editor suites' own console lines (see test/editor/index.ts). */
export const EDITOR_LOG_TAG = '[amb-editor] ';
