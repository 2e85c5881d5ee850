// Runs INSIDE code-server's extension host, as the window's `extensionTestsPath` entry (bench/editor.ts
// loads it; bench/bundles.ts bundles it). Two measurements, written as JSON to the file the config
// names; the host exits when run() settles (non-zero when it throws).
//
// - Activation: VS Code's own marks for each extension (`code/extHost/willLoadExtensionCode/<id>` …
//   `didActivateExtension/<id>`, the figures behind "Developer: Show Running Extensions"), for ours
//   and for the trivial baseline, activated one after the other in the order the config gives.
// - Tree: the My Issues provider of the running extension, signed in to the sandbox, asked for the
//   root's children down to the first page of a 1,000-issue filter and every row's TreeItem, against
//   the raw `search/jql` request for the same page made from the same host with VS Code's fetch.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
// eslint-disable-next-line no-restricted-imports -- runs inside the editor, like test/editor/
import * as vscode from 'vscode';
import { loadSandboxProfile } from '../src/auth/sandboxProfile';
import { signInWithApiToken } from '../src/auth/signIn';
import type { ExtensionApi } from '../src/extension';
import { ISSUE_FIELDS } from '../src/issues/issue';
import { DEFAULT_FILTER, type IssueFilter } from '../src/issues/issueList';
import type { IssueTreeNode } from '../src/vscode/issuesTree';

export interface ExtensionHostConfig {
  /** Where run() writes its ExtensionHostResult. */
  readonly out: string;
  /** The extensions to activate, in this order. */
  readonly extensions: readonly string[];
  readonly tree?: {
    readonly discoveryUrl: string;
    readonly warmup: number;
    readonly samples: number;
    readonly pageSize: number;
  };
}

export interface ActivationMarks {
  readonly id: string;
  /** willLoadExtensionCode → didLoadExtensionCode: require() of the main module. */
  readonly loadMs: number;
  /** willActivateExtension → didActivateExtension: activate() and the promise it returns. */
  readonly activateMs: number;
  /** willLoadExtensionCode → didActivateExtension, including the wait for the extension's context. */
  readonly spanMs: number;
  /** ms from the extension host's first mark to willLoadExtensionCode. */
  readonly startedAtMs: number;
}

export interface TreeSample {
  /** Asking for the root's children → the first page's nodes (the model's load). */
  readonly loadMs: number;
  /** Building every row's TreeItem. */
  readonly itemsMs: number;
  readonly totalMs: number;
  readonly rawMs: number;
}

export interface ExtensionHostResult {
  readonly vscodeVersion: string;
  readonly activation: ActivationMarks[];
  /**
   * Whether VS Code had activated an extension before run() did (it activates them only when it
   * needs their MCP servers or views, which a test window without chat or sidebar does not).
   */
  readonly alreadyActive: Record<string, boolean>;
  readonly tree?: {
    readonly samples: TreeSample[];
    readonly rows: number;
    /** What the "Load more" row says, e.g. "100 of 1000 shown". */
    readonly loadMoreText: string;
    readonly rawBytes: number;
    readonly jql: string;
    /** Opening an issue's detail panel (same window and sign-in) against the raw GET of that issue. */
    readonly issueView: IssueViewFigures;
  };
}

export interface IssueViewFigures {
  readonly key: string;
  /** open() → the panel's first load done: issue and comments read, rendered, posted to the webview. */
  readonly samples: { readonly viewMs: number; readonly rawMs: number }[];
  readonly rawBytes: number;
}

interface Mark {
  readonly name: string;
  readonly startTime: number;
}

/** VS Code's performance marks (vs/base/common/performance), shared with extensions through globalThis. */
function extensionHostMarks(): readonly Mark[] {
  const perf = (globalThis as { MonacoPerformanceMarks?: { getMarks(): Mark[] } }).MonacoPerformanceMarks;
  if (!perf) throw new Error('this VS Code does not expose its performance marks (globalThis.MonacoPerformanceMarks)');
  return perf.getMarks();
}

function activationMarks(id: string, marks: readonly Mark[]): ActivationMarks {
  const at = (what: string) => {
    const mark = marks.find((m) => m.name === `code/extHost/${what}/${id}`);
    if (!mark) throw new Error(`no ${what} mark for ${id}; marks: ${marks.map((m) => m.name).join(', ')}`);
    return mark.startTime;
  };
  const origin = marks[0]?.startTime ?? 0;
  const willLoad = at('willLoadExtensionCode');
  return {
    id,
    loadMs: at('didLoadExtensionCode') - willLoad,
    activateMs: at('didActivateExtension') - at('willActivateExtension'),
    spanMs: at('didActivateExtension') - willLoad,
    startedAtMs: Math.round(willLoad - origin),
  };
}

/** Activates the extensions in the given order (each in a quiet host: nothing else is activating) and reads VS Code's marks. */
async function activation(ids: readonly string[]): Promise<Pick<ExtensionHostResult, 'activation' | 'alreadyActive'>> {
  const extensions = ids.map((id) => {
    const extension = vscode.extensions.getExtension(id);
    if (!extension) throw new Error(`${id} is not installed in this window`);
    return extension;
  });
  const alreadyActive = Object.fromEntries(extensions.map((e) => [e.id, e.isActive]));
  for (const extension of extensions) await extension.activate();
  const marks = extensionHostMarks();
  return { activation: ids.map((id) => activationMarks(id, marks)), alreadyActive };
}

type Node<K extends IssueTreeNode['kind']> = Extract<IssueTreeNode, { kind: K }>;

async function tree(
  api: ExtensionApi,
  config: NonNullable<ExtensionHostConfig['tree']>,
): Promise<NonNullable<ExtensionHostResult['tree']>> {
  const profile = await loadSandboxProfile(config.discoveryUrl);
  const { info, credential } = await signInWithApiToken({
    siteUrl: profile.siteUrl!,
    email: profile.email!,
    apiToken: profile.apiToken!,
  });
  await api.connections.add(info, credential);
  try {
    const provider = api.issuesView.provider;
    // A named filter with the "Assigned to me" query: setting it with different JQL drops what the
    // model cached, so every sample starts cold. Jira ignores the trailing space.
    const jql = DEFAULT_FILTER.jql;
    const filterWith = (query: string): IssueFilter => ({
      id: 'named:bench',
      name: 'Bench: assigned to me',
      jql: query,
    });
    let flip = false;

    const render = async (): Promise<{
      loadMs: number;
      itemsMs: number;
      rows: IssueTreeNode[];
      items: vscode.TreeItem[];
    }> => {
      flip = !flip;
      api.issues.setFilters([filterWith(flip ? jql : `${jql} `)]);
      const started = performance.now();
      const roots = await provider.getChildren();
      const items = roots.map((n) => provider.getTreeItem(n));
      const root = roots.find((n): n is Node<'connection'> => n.kind === 'connection' && n.connection.id === info.id);
      if (!root) throw new Error('the connection is not a root of My Issues');
      const filters = await provider.getChildren(root);
      items.push(...filters.map((n) => provider.getTreeItem(n)));
      const filter = filters.find((n): n is Node<'filter'> => n.kind === 'filter' && n.filter.id === 'named:bench');
      if (!filter) throw new Error('the bench filter is not under the connection');
      const rows = await provider.getChildren(filter);
      const loaded = performance.now();
      const rowItems = rows.map((n) => provider.getTreeItem(n));
      const done = performance.now();
      return { loadMs: loaded - started, itemsMs: done - loaded, rows, items: [...items, ...rowItems] };
    };

    const search = `${info.jiraBaseUrl}/rest/api/3/search/jql`;
    const authorization = `Basic ${Buffer.from(`${profile.email!}:${profile.apiToken!}`).toString('base64')}`;
    const raw = async (): Promise<{ ms: number; bytes: number }> => {
      const started = performance.now();
      const res = await fetch(search, {
        method: 'POST',
        headers: { Authorization: authorization, Accept: 'application/json', 'Content-Type': 'application/json' },
        body: JSON.stringify({ jql, fields: ISSUE_FIELDS, maxResults: config.pageSize }),
      });
      const text = await res.text();
      // Parsed, as any consumer would before using it.
      const body = JSON.parse(text) as { issues?: unknown[] };
      const ms = performance.now() - started;
      if (!res.ok || body.issues?.length !== config.pageSize)
        throw new Error(`raw search: HTTP ${res.status}, ${body.issues?.length} issues`);
      return { ms, bytes: Buffer.byteLength(text) };
    };

    /** Every render shows the first page and a "Load more" row; returns what that row says. */
    const check = (rows: readonly IssueTreeNode[]): string => {
      const issues = rows.filter((n) => n.kind === 'issue').length;
      const more = rows.at(-1);
      if (issues !== config.pageSize || more?.kind !== 'loadMore')
        throw new Error(`expected ${config.pageSize} issues and "Load more", got ${rows.map((n) => n.kind).join(',')}`);
      return String(provider.getTreeItem(more).description);
    };

    let loadMoreText = '';
    let rows = 0;
    let rawBytes = 0;
    for (let i = 0; i < config.warmup; i++) {
      const r = await render();
      loadMoreText = check(r.rows);
      rows = r.rows.length;
      rawBytes = (await raw()).bytes;
    }
    const samples: TreeSample[] = [];
    for (let i = 0; i < config.samples; i++) {
      // Alternate which goes first, so neither always runs right after the other warmed the sandbox.
      let r: Awaited<ReturnType<typeof render>>;
      let rawMs: number;
      if (i % 2 === 0) {
        r = await render();
        rawMs = (await raw()).ms;
      } else {
        rawMs = (await raw()).ms;
        r = await render();
      }
      check(r.rows);
      samples.push({ loadMs: r.loadMs, itemsMs: r.itemsMs, totalMs: r.loadMs + r.itemsMs, rawMs });
    }
    const firstIssue = (await render()).rows.find((n): n is Node<'issue'> => n.kind === 'issue')!;
    const issueView = await issueViewFigures(
      api,
      info.id,
      `${info.jiraBaseUrl}/rest/api/3/issue/${firstIssue.issue.key}`,
      {
        key: firstIssue.issue.key,
        authorization,
        warmup: config.warmup,
        samples: config.samples,
      },
    );
    return { samples, rows, loadMoreText, rawBytes, jql, issueView };
  } finally {
    api.issues.setFilters([]);
    await api.connections.remove(info.id);
  }
}

/** Opens the issue's panel and closes it again, `samples` times, each next to a plain GET of the issue. */
async function issueViewFigures(
  api: ExtensionApi,
  connectionId: string,
  url: string,
  options: { key: string; authorization: string; warmup: number; samples: number },
): Promise<IssueViewFigures> {
  const open = async (): Promise<number> => {
    const started = performance.now();
    const panel = api.issueDetails.open(connectionId, options.key);
    await panel.firstLoad;
    const ms = performance.now() - started;
    if (!panel.current) throw new Error(`the panel of ${options.key} shows no issue: ${panel.error?.what}`);
    panel.panel.dispose();
    return ms;
  };
  let rawBytes = 0;
  const raw = async (): Promise<number> => {
    const started = performance.now();
    const res = await fetch(url, { headers: { Authorization: options.authorization, Accept: 'application/json' } });
    const text = await res.text();
    JSON.parse(text);
    if (!res.ok) throw new Error(`raw GET ${options.key}: HTTP ${res.status}`);
    rawBytes = Buffer.byteLength(text);
    return performance.now() - started;
  };
  for (let i = 0; i < options.warmup; i++) {
    await open();
    await raw();
  }
  const samples: { viewMs: number; rawMs: number }[] = [];
  for (let i = 0; i < options.samples; i++) {
    if (i % 2 === 0) {
      const viewMs = await open();
      samples.push({ viewMs, rawMs: await raw() });
    } else {
      const rawMs = await raw();
      samples.push({ viewMs: await open(), rawMs });
    }
  }
  return { key: options.key, samples, rawBytes };
}

export async function run(): Promise<void> {
  const config = JSON.parse(process.env.AMB_BENCH_CONFIG ?? '{}') as ExtensionHostConfig;
  try {
    const result: ExtensionHostResult = { vscodeVersion: vscode.version, ...(await activation(config.extensions)) };
    if (config.tree) {
      const api = await vscode.extensions.getExtension<ExtensionApi | undefined>(config.extensions[0]!)!.activate();
      if (!api)
        throw new Error(
          `${config.extensions[0]} exported no test API (is it the window's extension under development?)`,
        );
      Object.assign(result, { tree: await tree(api, config.tree) });
    }
    writeFileSync(config.out, JSON.stringify(result));
  } catch (err) {
    // The host's own logs stay in code-server; this is how the failure reaches the benchmark.
    writeFileSync(
      config.out,
      JSON.stringify({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    );
    throw err;
  }
}
