// The libraries the bridge loads on first use, bundled apart as dist/bridge-content.js (see
// scripts/bridgeBundle.js): the bridge's `await import('marked')` and the like resolve here.
export * as marked from 'marked';
export * as marklassian from 'marklassian';
export * as htmlparser2 from 'htmlparser2';
export * as nodeHtmlMarkdown from 'node-html-markdown';
export * as domSerializer from 'dom-serializer';
