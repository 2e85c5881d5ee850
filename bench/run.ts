// `npm run bench`: the figures issues 5 and 8 ask for, each against a baseline measured in the same
// run, printed as a table and written to bench/results.json. It reports, it does not gate: it exits 0
// when a goal is missed and non-zero only when something could not be measured.
//
// Everything runs on this machine: the sandbox (in this process, on 127.0.0.1), the production
// bridge over stdio launched as VS Code launches it, and a bare-SDK baseline server bundled the same
// way. The bridge's standalone launch (no flags) is measured alongside for context. Then the whole
// product: the VSIX as `npm run package` makes it, installed in a real VS Code (code-server, driven
// by Chromium) for its activation time and the My Issues tree's first page of 1,000 issues.
//
// `npm run bench -- --bridge-only` measures the bridge figures alone (no VSIX, no editor) and
// prints them; it writes neither bench/results.json nor the README's table, which stay full runs'.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSandbox, type Sandbox } from '../test/sandbox/index';
import { BRIDGE_NODE_FLAGS } from '../src/mcp/serverPlan';
import {
  buildBenchServer,
  buildBridge,
  buildExtensionHostEntry,
  buildTrivialExtension,
  packageShipped,
  ROOT,
  type Bundle,
} from './bundles';
import { measureInEditor, stopEditor, type EditorBenchResult } from './editor';
import { measureEraCalls } from './http';
import type { IssueViewFigures } from './extension-host';
import { callTool, cpuMsOf, handshake, killAll, memoryOf, spawnServer, type Json, type Rpc } from './rpc';

const STARTUP_RUNS = 20; // ≥ 10 measured, after one discarded warm-up each.
const OVERHEAD_SAMPLES = 60; // ≥ 50.
const OVERHEAD_WARMUP = 10;
/** modern_call_ms: 2026-07-28 vs 2025 tools/call pairs over HTTP. */
const ERA_SAMPLES = 60;
const ERA_WARMUP = 10;
const BRIDGE_ONLY = process.argv.includes('--bridge-only');
/** Issues for the size ratio and the overhead: several projects, types and comment counts. */
const ISSUES = ['ENG-1', 'ENG-17', 'ENG-123', 'OPS-5', 'OPS-88', 'DOC-12'];
/** Sandbox pages measured for get_page_bytes_ratio (the first of the v2 page list). */
const PAGE_SAMPLES = 6;
/** Activation samples: one fresh extension host (editor window) each, after one discarded warm-up. */
const ACTIVATION_WINDOWS = 5;
const TREE_SAMPLES = 20;
const TREE_WARMUP = 3;
/** "Assigned to me" on acme: the sandbox's 334 open issues for Ada plus generated ones make 1,000. */
const TREE_ISSUES = 1000;
const SEEDED_ASSIGNED = 334;
/** The model's page size (Jira Cloud's maximum with fields). */
const TREE_PAGE = 100;
const EXTENSION_ID = 'mcp-bridge-labs.atlassian-mcp-bridge';
/** Issue 8: "VSIX under 2 MB". */
const VSIX_LIMIT = 2_000_000;
/** CONTRIBUTING.md's Benchmarks table lives between these; each run rewrites it. */
const README_START = '<!-- bench:results -->';
const README_END = '<!-- /bench:results -->';

interface Config {
  readonly name: string;
  readonly bundle: Bundle;
  readonly nodeFlags: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** undefined: reported for information, no goal. */
  readonly goal?: { readonly op: '<='; readonly limit: number };
  readonly detail: string;
}

const spawnConfig = (c: Config): Rpc => spawnServer({ bundle: c.bundle.path, nodeFlags: c.nodeFlags, env: c.env });

const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

/** The caller's environment minus anything that could point a server at a real site or change how Node runs it (tsx's loader). */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      !/^(JIRA_|CONFLUENCE_|ATLASSIAN_|READ_ONLY_MODE|ENABLED_TOOLS|TOOLSETS|TRANSPORT|HOST|PORT|MCP_|NODE_OPTIONS|NODE_COMPILE_CACHE)/.test(
        k,
      )
    )
      env[k] = v;
  }
  return { ...env, ...extra };
}

// ---- startup ------------------------------------------------------------------------------------

async function startupOnce(config: Config): Promise<{ ms: number; cpuMs: number }> {
  const rpc = spawnConfig(config);
  try {
    const { readyMs } = await handshake(rpc);
    return { ms: readyMs, cpuMs: cpuMsOf(rpc.pid) };
  } finally {
    await rpc.close();
  }
}

interface StartupSamples {
  readonly ms: number[];
  readonly cpuMs: number[];
  /** The discarded first start: with an empty code cache, for the configs that keep one. */
  cold?: { ms: number; cpuMs: number };
}

/** Round-robin over the configs (order rotated each round) so load drift hits all of them alike. */
async function measureStartup(configs: readonly Config[]): Promise<Map<string, StartupSamples>> {
  const samples = new Map(configs.map((c): [string, StartupSamples] => [c.name, { ms: [], cpuMs: [] }]));
  for (let lap = 0; lap <= STARTUP_RUNS; lap++) {
    for (let i = 0; i < configs.length; i++) {
      const config = configs[(i + lap) % configs.length]!;
      const { ms, cpuMs } = await startupOnce(config);
      const of = samples.get(config.name)!;
      // Warm-up: page cache, first-spawn costs, and the bridge writing its code cache.
      if (lap === 0) of.cold = { ms: round(ms), cpuMs };
      else {
        of.ms.push(round(ms));
        of.cpuMs.push(cpuMs);
      }
    }
  }
  return samples;
}

// ---- a realistic session ------------------------------------------------------------------------

interface SessionResult {
  readonly peakMb: number;
  readonly rssMb: number;
  readonly calls: number;
  readonly errors: string[];
  readonly toolsListBytes: number;
  readonly toolCount: number;
  /** Time for the tool calls alone: the CPU cost of a what-if shows up here. */
  readonly callsMs: number;
}

/** What an agent does over a working session: mostly reads, a few comments. 100 tool calls. */
function bridgeSession(pageIds: readonly string[]): [string, Json][] {
  const calls: [string, Json][] = [
    ['atlassian_list_sites', {}],
    ['jira_get_all_projects', {}],
    ['jira_get_user_profile', { user_identifier: 'ada@example.com' }],
    ['jira_search_fields', { keyword: 'story points' }],
  ];
  const jql = [
    'assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC',
    'project = ENG AND status = "In Progress" ORDER BY priority DESC',
    'project = OPS AND type = Bug ORDER BY created DESC',
    'text ~ "login" ORDER BY updated DESC',
    'project = DOC AND updated >= -7d',
  ];
  const cql = [
    'type = page AND space = ENG',
    'release checklist',
    'space = OPS AND title ~ "runbook"',
    'onboarding',
    'type = page ORDER BY lastmodified DESC',
  ];
  for (let i = 0; i < 16; i++) calls.push(['jira_search', { jql: jql[i % jql.length]!, limit: [10, 25, 50][i % 3]! }]);
  for (let i = 0; i < 40; i++)
    calls.push([
      'jira_get_issue',
      { issue_key: i % 4 === 3 ? `OPS-${1 + ((i * 7) % 150)}` : `ENG-${1 + ((i * 13) % 300)}` },
    ]);
  for (let i = 0; i < 5; i++) calls.push(['jira_get_transitions', { issue_key: `ENG-${200 + i}` }]);
  for (let i = 0; i < 3; i++) {
    calls.push([
      'jira_add_comment',
      {
        issue_key: `ENG-${250 + i}`,
        body: `Looked into this.\n\n- repro on **staging**\n- fix in \`api/search.ts\`\n\n\`\`\`ts\nconst x = ${i};\n\`\`\``,
      },
    ]);
  }
  for (let i = 0; i < 10; i++) calls.push(['confluence_search', { query: cql[i % cql.length]!, limit: 10 }]);
  for (let i = 0; i < 16; i++) calls.push(['confluence_get_page', { page_id: pageIds[i % pageIds.length]! }]);
  for (let i = 0; i < 3; i++) calls.push(['confluence_get_page_children', { parent_id: pageIds[i % pageIds.length]! }]);
  for (let i = 0; i < 3; i++) calls.push(['confluence_get_comments', { page_id: pageIds[i % pageIds.length]! }]);
  return calls;
}

async function runSession(config: Config, calls: readonly [string, Json][]): Promise<SessionResult> {
  const rpc = spawnConfig(config);
  try {
    await handshake(rpc);
    const list = await rpc.request('tools/list');
    const errors: string[] = [];
    const started = performance.now();
    for (const [name, args] of calls) {
      const r = await callTool(rpc, name, args);
      if (r.isError) errors.push(`${name} ${JSON.stringify(args)}: ${r.text.slice(0, 200)}`);
    }
    const callsMs = performance.now() - started;
    // VmHWM is a high-water mark: one read at the end covers the whole session.
    const { peakMb, rssMb } = memoryOf(rpc.pid);
    return {
      peakMb: round(peakMb, 1),
      rssMb: round(rssMb, 1),
      calls: calls.length,
      errors,
      toolsListBytes: list.bytes,
      toolCount: (list.result.tools as unknown[]).length,
      callsMs: round(callsMs, 0),
    };
  } finally {
    await rpc.close();
  }
}

// ---- direct REST --------------------------------------------------------------------------------

/** The same HTTP stack the bridge uses (node:http, keep-alive), so only the bridge's work differs. */
type RestClient = ReturnType<typeof restClient>;

function restClient(authorization: string) {
  const agent = new Agent({ keepAlive: true });
  return {
    agent,
    get(url: string): Promise<{ bytes: number; ms: number; body: unknown }> {
      const started = performance.now();
      return new Promise((resolve, reject) => {
        const req = httpRequest(
          url,
          { agent, headers: { Authorization: authorization, Accept: 'application/json' } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const raw = Buffer.concat(chunks);
              if (res.statusCode !== 200)
                return reject(new Error(`GET ${url}: HTTP ${res.statusCode} ${raw.toString().slice(0, 200)}`));
              // Parsed, as any REST consumer would before using it.
              const body = JSON.parse(raw.toString('utf8')) as unknown;
              resolve({ bytes: raw.length, ms: performance.now() - started, body });
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end();
      });
    },
  };
}

// ---- jira_get_issue: size and per-call overhead -------------------------------------------------

interface Overhead {
  readonly bridge: number[];
  readonly direct: number[];
  /** bridge − direct, per pair. */
  readonly diff: number[];
}

/** Paired, alternating-order samples of one bridge call against the same REST call made directly. */
async function measureOverhead(
  config: Config,
  rest: RestClient,
  restUrlFor: (key: string) => string,
): Promise<Overhead> {
  const rpc = spawnConfig(config);
  try {
    await handshake(rpc);
    const viaBridge = async (key: string) => {
      const r = await callTool(rpc, 'jira_get_issue', { issue_key: key });
      if (r.isError) throw new Error(`jira_get_issue ${key}: ${r.text}`);
      return r.ms;
    };
    const direct = async (key: string) => (await rest.get(restUrlFor(key))).ms;
    for (let i = 0; i < OVERHEAD_WARMUP; i++) {
      await viaBridge(ISSUES[i % ISSUES.length]!);
      await direct(ISSUES[i % ISSUES.length]!);
    }
    const out: Overhead = { bridge: [], direct: [], diff: [] };
    for (let i = 0; i < OVERHEAD_SAMPLES; i++) {
      const key = ISSUES[i % ISSUES.length]!;
      // Alternate which goes first, so neither always runs right after the other warmed the sandbox.
      let b: number, d: number;
      if (i % 2 === 0) {
        b = await viaBridge(key);
        d = await direct(key);
      } else {
        d = await direct(key);
        b = await viaBridge(key);
      }
      out.bridge.push(round(b, 3));
      out.direct.push(round(d, 3));
      out.diff.push(round(b - d, 3));
    }
    return out;
  } finally {
    await rpc.close();
  }
}

interface IssueSize {
  readonly key: string;
  /** UTF-8 bytes of the tool result text (what enters the model's context). */
  readonly ours: number;
  /** Plain GET /rest/api/3/issue/KEY body. */
  readonly raw: number;
  /** The same with ?expand=renderedFields, for context. */
  readonly rawRendered: number;
  readonly ratio: number;
}

async function measureSizes(config: Config, rest: RestClient, siteUrl: string): Promise<IssueSize[]> {
  const rpc = spawnConfig(config);
  try {
    await handshake(rpc);
    const sizes: IssueSize[] = [];
    for (const key of ISSUES) {
      const ours = await callTool(rpc, 'jira_get_issue', { issue_key: key });
      if (ours.isError) throw new Error(`jira_get_issue ${key}: ${ours.text}`);
      const raw = await rest.get(`${siteUrl}/rest/api/3/issue/${key}`);
      const rendered = await rest.get(`${siteUrl}/rest/api/3/issue/${key}?expand=renderedFields`);
      const oursBytes = Buffer.byteLength(ours.text);
      sizes.push({
        key,
        ours: oursBytes,
        raw: raw.bytes,
        rawRendered: rendered.bytes,
        ratio: round(oursBytes / raw.bytes, 3),
      });
    }
    return sizes;
  } finally {
    await rpc.close();
  }
}

interface PageSize {
  readonly id: string;
  /** UTF-8 bytes of the confluence_get_page result text. */
  readonly ours: number;
  /** The REST JSON the bridge reads for it: GET …/wiki/api/v2/pages/ID?body-format=atlas_doc_format. */
  readonly raw: number;
  readonly ratio: number;
}

/** confluence_get_page (Markdown, with metadata) vs the raw REST JSON of the same page. */
async function measurePageSizes(
  config: Config,
  rest: RestClient,
  siteUrl: string,
  pageIds: readonly string[],
): Promise<PageSize[]> {
  const rpc = spawnConfig(config);
  try {
    await handshake(rpc);
    const sizes: PageSize[] = [];
    for (const id of pageIds) {
      const ours = await callTool(rpc, 'confluence_get_page', { page_id: id });
      if (ours.isError) throw new Error(`confluence_get_page ${id}: ${ours.text}`);
      const raw = await rest.get(`${siteUrl}/wiki/api/v2/pages/${id}?body-format=atlas_doc_format`);
      const oursBytes = Buffer.byteLength(ours.text);
      sizes.push({ id, ours: oursBytes, raw: raw.bytes, ratio: round(oursBytes / raw.bytes, 3) });
    }
    return sizes;
  } finally {
    await rpc.close();
  }
}

/** The REST request(s) the bridge makes for one jira_get_issue, read off the sandbox's request log. */
async function bridgeRequestsFor(
  config: Config,
  sandbox: Sandbox,
  key: string,
): Promise<{ urls: string[]; issueUrl: string }> {
  const rpc = spawnConfig(config);
  try {
    await handshake(rpc);
    await callTool(rpc, 'jira_get_issue', { issue_key: ISSUES[1]! }); // Any one-time discovery happens here.
    sandbox.log.clear();
    await callTool(rpc, 'jira_get_issue', { issue_key: key });
    const urls = sandbox.log.entries().map((e) => `${e.method} ${e.url}`);
    const issue = sandbox.log.entries({ method: 'GET' }).find((e) => e.path.endsWith(`/issue/${key}`));
    if (!issue) throw new Error(`could not see the bridge's REST request for ${key}: ${JSON.stringify(urls)}`);
    return { urls, issueUrl: issue.url };
  } finally {
    await rpc.close();
  }
}

// ---- the extension in a real VS Code -------------------------------------------------------------

interface EditorFigures extends EditorBenchResult {
  readonly vscodeVersion: string;
  readonly trivialId: string;
}

/** Activation windows and the tree, against a sandbox of its own (the bridge's keeps its default data). */
async function measureEditor(
  vsix: string,
  trivial: { folder: string; id: string },
  entry: string,
): Promise<EditorFigures> {
  const sandbox = await startSandbox({ extraIssues: TREE_ISSUES - SEEDED_ASSIGNED });
  try {
    const result = await measureInEditor({
      vsix,
      baseline: trivial,
      extensionId: EXTENSION_ID,
      entry,
      windows: ACTIVATION_WINDOWS,
      tree: {
        discoveryUrl: `${sandbox.url}/.well-known/sandbox.json`,
        warmup: TREE_WARMUP,
        samples: TREE_SAMPLES,
        pageSize: TREE_PAGE,
      },
      dir: tmp,
    });
    const expected = `${TREE_PAGE} of ${TREE_ISSUES} shown`;
    if (result.tree.loadMoreText !== expected)
      throw new Error(`the tree's "Load more" row says "${result.tree.loadMoreText}", not "${expected}"`);
    return { ...result, vscodeVersion: result.windows[0]?.vscodeVersion ?? '?', trivialId: trivial.id };
  } finally {
    await sandbox.close();
  }
}

function editorFigures(editor: EditorFigures, bundles: { extension: Bundle; vsix: Bundle; trivial: Bundle }): Figure[] {
  const of = (id: string) => editor.windows.map((w) => w.activation.find((a) => a.id === id)!);
  const ours = of(EXTENSION_ID);
  const trivial = of(editor.trivialId);
  const total = (a: { loadMs: number; activateMs: number }) => a.loadMs + a.activateMs;
  const tree = editor.tree.samples;
  const treeMs = median(tree.map((t) => t.totalMs));
  const rawMs = median(tree.map((t) => t.rawMs));
  return [
    {
      name: 'extension_activation_ms',
      value: median(ours.map(total)),
      unit: 'ms',
      goal: { op: '<=', limit: 100 },
      detail: `VS Code's marks, median of ${ours.length} windows: code load ${median(ours.map((a) => a.loadMs))} + activate() ${median(ours.map((a) => a.activateMs))} ms; trivial extension ${median(trivial.map(total))} ms in the same windows`,
    },
    {
      name: 'extension_js_bytes',
      value: bundles.extension.bytes,
      unit: 'B',
      detail: `dist/extension.js, production build (minified); trivial extension ${bundles.trivial.bytes} B`,
    },
    {
      name: 'vsix_bytes',
      value: bundles.vsix.bytes,
      unit: 'B',
      goal: { op: '<=', limit: VSIX_LIMIT },
      detail: `npm run package; ${round((bundles.vsix.bytes / VSIX_LIMIT) * 100, 0)}% of the 2 MB limit`,
    },
    {
      name: 'tree_first_page_ratio',
      value: round(treeMs / rawMs),
      unit: '×',
      goal: { op: '<=', limit: 2 },
      detail: `root → ${editor.tree.rows} rows ("${editor.tree.loadMoreText}") median ${round(treeMs, 1)} ms (load ${round(median(tree.map((t) => t.loadMs)), 1)} + items ${round(median(tree.map((t) => t.itemsMs)), 1)}) vs raw search/jql ${round(rawMs, 1)} ms (${round(editor.tree.rawBytes / 1024, 0)} KB), n=${tree.length}`,
    },
    issueViewFigure(editor.tree.issueView),
  ];
}

function issueViewFigure(view: IssueViewFigures): Figure {
  const viewMs = median(view.samples.map((s) => s.viewMs));
  const rawMs = median(view.samples.map((s) => s.rawMs));
  return {
    name: 'issue_view_ratio',
    value: round(viewMs / rawMs),
    unit: '×',
    goal: { op: '<=', limit: 2 },
    detail: `open ${view.key}'s detail panel → issue and newest comments read, rendered and posted to the webview, median ${round(viewMs, 1)} ms vs raw GET …/issue/${view.key} ${round(rawMs, 1)} ms (${round(view.rawBytes / 1024, 0)} KB), n=${view.samples.length}`,
  };
}

// ---- main ---------------------------------------------------------------------------------------

/** Bundles and compile caches of this run; removed on every exit path. */
const tmp = mkdtempSync(join(tmpdir(), 'amb-bench-'));

async function main(): Promise<number> {
  const t0 = performance.now();
  let sandbox: Sandbox | undefined;
  let rest: RestClient | undefined;
  const load = [loadavg()];
  try {
    process.stderr.write(
      BRIDGE_ONLY
        ? '[bench] bridge only: building dist/bridge.js as esbuild.js --production does …\n'
        : '[bench] packaging (npm run package: node esbuild.js --production, vsce) …\n',
    );
    const [shippedBuild, baseline, floor, trivial, hostEntry] = await Promise.all([
      BRIDGE_ONLY ? buildBridge(tmp).then((bridge) => ({ bridge })) : packageShipped(tmp),
      buildBenchServer('baseline-server', tmp),
      buildBenchServer('floor-server', tmp),
      BRIDGE_ONLY ? undefined : buildTrivialExtension(tmp),
      BRIDGE_ONLY ? undefined : buildExtensionHostEntry(tmp),
    ]);
    const bridge = shippedBuild.bridge;

    sandbox = await startSandbox();
    const site = sandbox.discovery.sites.find((s) => s.name === 'acme');
    const user = sandbox.discovery.users[0];
    if (!site || !user) throw new Error('sandbox discovery has no acme site or no user');
    const bridgeEnv = cleanEnv({
      JIRA_URL: site.url,
      JIRA_USERNAME: user.email,
      JIRA_API_TOKEN: user.apiToken,
      CONFLUENCE_URL: `${site.url}/wiki`,
      CONFLUENCE_USERNAME: user.email,
      CONFLUENCE_API_TOKEN: user.apiToken,
    });
    // As the extension launches it: V8 flags, and NODE_COMPILE_CACHE where the bridge keeps its code
    // cache (written by the discarded first startup round, as after the first launch in VS Code).
    const shipped: Config = {
      name: 'bridge (as VS Code launches it)',
      bundle: bridge,
      nodeFlags: [...BRIDGE_NODE_FLAGS],
      env: { ...bridgeEnv, NODE_COMPILE_CACHE: join(tmp, 'compile-cache') },
    };
    const base: Config = { name: 'baseline (bare SDK)', bundle: baseline, nodeFlags: [], env: cleanEnv({}) };
    const nodeFloor: Config = { name: 'node floor (no SDK)', bundle: floor, nodeFlags: [], env: cleanEnv({}) };
    // Other launches, for context: standalone users start `node dist/bridge.js` without flags; the
    // bridge then keeps its code cache in the temp dir (a fresh one here, so the first start is cold).
    const whatIfs: Config[] = [
      {
        name: 'bridge standalone (no flags, cache in temp dir)',
        bundle: bridge,
        nodeFlags: [],
        env: { ...bridgeEnv, TMPDIR: join(tmp, 'standalone-tmp') },
      },
    ];
    const bridges = [shipped, ...whatIfs];

    process.stderr.write(`[bench] startup: ${STARTUP_RUNS + 1} rounds × ${bridges.length + 2} servers …\n`);
    const startup = await measureStartup([base, nodeFloor, ...bridges]);
    const startupOf = (c: Config) => startup.get(c.name)!;

    process.stderr.write('[bench] sessions …\n');
    rest = restClient(`Basic ${Buffer.from(`${user.email}:${user.apiToken}`).toString('base64')}`);
    // Real page ids for the session, straight from the sandbox.
    const pages = (await rest.get(`${site.url}/wiki/api/v2/pages?limit=20`)).body as { results: { id: string }[] };
    const pageIds = pages.results.map((p) => p.id);
    if (pageIds.length === 0) throw new Error('sandbox has no Confluence pages');
    const calls = bridgeSession(pageIds);
    const sessions = new Map<string, SessionResult>();
    await runSession(shipped, calls); // Discarded: warms the in-process sandbox so the first config is not charged for it.
    for (const config of bridges) sessions.set(config.name, await runSession(config, calls));
    sessions.set(
      base.name,
      await runSession(
        base,
        calls.map(([name]): [string, Json] => ['echo', { text: `session call ${name}` }]),
      ),
    );
    const sessionOf = (c: Config) => sessions.get(c.name)!;
    for (const config of bridges) {
      const { errors } = sessionOf(config);
      if (errors.length > 0)
        process.stderr.write(
          `[bench] ${config.name}: ${errors.length} tool errors in the session:\n  ${errors.join('\n  ')}\n`,
        );
    }

    process.stderr.write('[bench] jira_get_issue size and overhead …\n');
    const sizes = await measureSizes(shipped, rest, site.url);
    const pageSizes = await measurePageSizes(shipped, rest, site.url, pageIds.slice(0, PAGE_SAMPLES));
    // The direct call is the very request the bridge makes for the tool, so the difference is the
    // bridge's own work: MCP framing, stdio, argument checks and the compact view.
    const sent = await bridgeRequestsFor(shipped, sandbox, ISSUES[0]!);
    const restUrlFor = (key: string) =>
      `${sandbox!.url}${sent.issueUrl.replace(`/issue/${ISSUES[0]!}`, `/issue/${key}`)}`;
    const overheads = new Map<string, Overhead>();
    for (const config of bridges) overheads.set(config.name, await measureOverhead(config, rest, restUrlFor));
    const overheadOf = (c: Config) => overheads.get(c.name)!;

    process.stderr.write('[bench] tools/call over HTTP: 2026-07-28 vs 2025-11-25 …\n');
    const eraCalls = await measureEraCalls({
      bundle: bridge.path,
      env: cleanEnv({ JIRA_URL: site.url, CONFLUENCE_URL: `${site.url}/wiki` }),
      authorization: `Basic ${Buffer.from(`${user.email}:${user.apiToken}`).toString('base64')}`,
      tool: 'jira_get_issue',
      args: (i) => ({ issue_key: ISSUES[i % ISSUES.length]! }),
      warmup: ERA_WARMUP,
      samples: ERA_SAMPLES,
    });
    const modernMs = median(eraCalls.modern);
    const legacyMs = median(eraCalls.legacy);
    load.push(loadavg());

    let editor: EditorFigures | undefined;
    if (!BRIDGE_ONLY && 'vsix' in shippedBuild && trivial && hostEntry) {
      process.stderr.write(
        `[bench] the extension in code-server: ${ACTIVATION_WINDOWS + 1} activation windows, then the tree over ${TREE_ISSUES} issues …\n`,
      );
      editor = await measureEditor(shippedBuild.vsix.path, trivial, hostEntry);
      load.push(loadavg());
    }

    // ---- figures --------------------------------------------------------------------------------
    const bridgeStart = median(startupOf(shipped).ms);
    const baseStart = median(startupOf(base).ms);
    const shippedSession = sessionOf(shipped);
    const shippedOverhead = overheadOf(shipped);
    const figures: Figure[] = [
      {
        name: 'bridge_startup_ratio',
        value: round(bridgeStart / baseStart),
        unit: '×',
        goal: { op: '<=', limit: 0.7 },
        detail: `spawn→initialize median ${round(bridgeStart, 0)} ms with a warm code cache vs bare SDK ${round(baseStart, 0)} ms (n=${STARTUP_RUNS} each); CPU ${median(startupOf(shipped).cpuMs)} vs ${median(startupOf(base).cpuMs)} ms; cold (first start, empty cache) ${round(startupOf(shipped).cold!.ms, 0)} ms, CPU ${startupOf(shipped).cold!.cpuMs} ms; bare Node floor ${round(median(startupOf(nodeFloor).ms), 0)} ms`,
      },
      {
        name: 'bridge_peak_rss_mb',
        value: shippedSession.peakMb,
        unit: 'MB',
        goal: { op: '<=', limit: 60 },
        detail: `VmHWM over initialize, tools/list, ${shippedSession.calls} calls (${shippedSession.errors.length} errors); bare SDK ${sessionOf(base).peakMb} MB (${shippedSession.calls} echo calls)`,
      },
      {
        name: 'tools_list_bytes',
        value: shippedSession.toolsListBytes,
        unit: 'B',
        // Descriptions written for VS Code's tool search may grow it, but not past 20 KB (issue 16).
        goal: { op: '<=', limit: 20 * 1024 },
        detail: `${shippedSession.toolCount} tools (default toolset), compact JSON of the result`,
      },
      {
        name: 'get_issue_bytes_ratio',
        value: median(sizes.map((s) => s.ratio)),
        unit: '×',
        goal: { op: '<=', limit: 0.1 },
        detail: `median of ${sizes.length}, vs plain GET …/issue/KEY: ${sizes.map((s) => `${s.key} ${s.ours}/${s.raw}`).join(', ')}`,
      },
      {
        name: 'get_page_bytes_ratio',
        value: median(pageSizes.map((s) => s.ratio)),
        unit: '×',
        goal: { op: '<=', limit: 0.25 },
        detail: `median of ${pageSizes.length}, the result's text vs GET …/api/v2/pages/ID?body-format=atlas_doc_format: ${pageSizes.map((s) => `${s.id} ${s.ours}/${s.raw}`).join(', ')}`,
      },
      {
        name: 'tool_overhead_ms',
        value: round(median(shippedOverhead.diff)),
        unit: 'ms',
        goal: { op: '<=', limit: 2 },
        detail: `median of ${OVERHEAD_SAMPLES} pairs; bridge ${round(median(shippedOverhead.bridge))} ms vs direct ${round(median(shippedOverhead.direct))} ms`,
      },
      {
        name: 'modern_call_ms',
        value: round(modernMs),
        unit: 'ms',
        detail: `jira_get_issue over HTTP as a 2026-07-28 client (headers + _meta envelope, no session), median of ${ERA_SAMPLES}; the same 2025-11-25 call on the stateless endpoint ${round(legacyMs)} ms`,
      },
      {
        name: 'modern_call_ratio',
        value: round(modernMs / legacyMs),
        unit: '×',
        goal: { op: '<=', limit: 1.1 },
        detail: `modern_call_ms / the legacy call in the same run (${ERA_SAMPLES} alternating pairs after ${ERA_WARMUP} warm-ups)`,
      },
      ...(editor && 'vsix' in shippedBuild && trivial
        ? editorFigures(editor, { extension: shippedBuild.extension, vsix: shippedBuild.vsix, trivial: trivial.bundle })
        : []),
    ];
    const pass = (f: Figure) => (f.goal ? f.value <= f.goal.limit : undefined);

    const whatIfRows = bridges.map((c) => ({
      config: c.name,
      bundle_bytes: c.bundle.bytes,
      node_flags: c.nodeFlags,
      startup_median_ms: round(median(startupOf(c).ms), 1),
      startup_ratio: round(median(startupOf(c).ms) / baseStart),
      startup_cpu_median_ms: median(startupOf(c).cpuMs),
      peak_rss_mb: sessionOf(c).peakMb,
      session_calls_ms: sessionOf(c).callsMs,
      session_errors: sessionOf(c).errors.length,
      overhead_median_ms: round(median(overheadOf(c).diff)),
    }));

    if (!editor || !('vsix' in shippedBuild) || !trivial) {
      // A partial run: printed only, so results.json and the README keep the last full run.
      printFigures(figures, pass);
      printWhatIfs(whatIfRows);
      process.stdout.write(
        `\n${process.version}, ${cpus().length} CPUs, load ${load.map((l) => round(l[0]!)).join(' → ')}; bridge figures only, nothing written\n`,
      );
      return 0;
    }

    const results = {
      date: new Date().toISOString(),
      node: process.version,
      machine: {
        platform: `${platform()} ${release()}`,
        cpus: cpus().length,
        cpu_model: cpus()[0]?.model,
        total_mem_gb: round(totalmem() / 2 ** 30, 1),
        loadavg_start_end: load.map((l) => l.map((x) => round(x))),
      },
      method: {
        activation: `VS Code's own extension-host marks (code/extHost/willLoadExtensionCode → didLoadExtensionCode, willActivateExtension → didActivateExtension; Date.now resolution), code load + activate(); ours installed from the VSIX (Production mode) and the trivial extension (bench/trivial-extension.ts, under development) in the same code-server ${editor.vscodeVersion} windows, activated one after the other (order alternating), ${ACTIVATION_WINDOWS} windows after 1 discarded warm-up`,
        tree: `inside the extension host, signed in to the sandbox (acme, ${TREE_ISSUES - SEEDED_ASSIGNED} generated issues added: "${editor.tree.jql}" finds ${TREE_ISSUES}): the running extension's My Issues provider, getChildren(root) → getChildren(connection) → getChildren(filter) (the model loads the first ${TREE_PAGE}) → getTreeItem of every row, the filter dropped before each sample; vs a POST …/rest/api/3/search/jql for the same page (same fields, parsed) with VS Code's fetch; ${TREE_SAMPLES} pairs, alternating order, after ${TREE_WARMUP} warm-ups`,
        sizes: `the production build and the VSIX from ${shippedBuild.command} in a snapshot of the working tree (as npm run package, which runs vscode:prepublish)`,
        startup: `performance.now() before spawn → the initialize response line; ${STARTUP_RUNS} runs per server after 1 discarded warm-up, round-robin with rotating order; CPU = the child's utime+stime at that moment`,
        peak_rss: `VmHWM from /proc/<pid>/status after initialize, tools/list and ${calls.length} tool calls (${summarise(calls)})`,
        get_issue_bytes:
          'UTF-8 bytes of the jira_get_issue result text vs the body of a plain GET /rest/api/3/issue/KEY (no expand); ?expand=renderedFields sizes are in raw, for context',
        get_page_bytes:
          'UTF-8 bytes of the confluence_get_page result text (Markdown with metadata) vs the body of the GET /wiki/api/v2/pages/ID?body-format=atlas_doc_format the bridge makes for it',
        tool_overhead: `jira_get_issue over stdio minus a direct node:http keep-alive GET (parsed) of the URL the bridge requests (${sent.issueUrl.replace(ISSUES[0]!, 'KEY')}); ${OVERHEAD_SAMPLES} pairs over ${ISSUES.join(', ')}, alternating order, after ${OVERHEAD_WARMUP} warm-ups`,
        bridge_requests_per_get_issue: sent.urls,
      },
      bundles: {
        bridge: bridge.bytes,
        baseline: baseline.bytes,
        node_floor: floor.bytes,
        extension: shippedBuild.extension.bytes,
        vsix: shippedBuild.vsix.bytes,
        trivial_extension: trivial.bundle.bytes,
      },
      figures: Object.fromEntries(
        figures.map((f) => [
          f.name,
          {
            value: f.value,
            unit: f.unit,
            goal: f.goal ? `${f.goal.op} ${f.goal.limit}` : null,
            pass: pass(f) ?? null,
            detail: f.detail,
          },
        ]),
      ),
      what_ifs: whatIfRows,
      raw: {
        startup: Object.fromEntries(
          [...startup].map(([k, v]) => [k, { median_ms: median(v.ms), ms: v.ms, cpu_ms: v.cpuMs }]),
        ),
        sessions: Object.fromEntries(sessions),
        get_issue_bytes: sizes,
        get_page_bytes: pageSizes,
        tool_overhead: Object.fromEntries(
          [...overheads].map(([k, v]) => [
            k,
            {
              median_diff_ms: median(v.diff),
              median_bridge_ms: median(v.bridge),
              median_direct_ms: median(v.direct),
              ...v,
            },
          ]),
        ),
        activation: editor.windows.map((w) => Object.fromEntries(w.activation.map((a) => [a.id, a]))),
        tree: editor.tree.samples.map((t) => ({
          load_ms: round(t.loadMs),
          items_ms: round(t.itemsMs),
          total_ms: round(t.totalMs),
          raw_ms: round(t.rawMs),
        })),
        editor_window_ms: editor.windowMs,
      },
      total_ms: round(performance.now() - t0, 0),
    };
    writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);

    const { header, rows } = printFigures(figures, pass);
    const machine = `${results.date.slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${results.machine.cpu_model ?? 'CPU'}, load ${load.map((l) => round(l[0]!, 1)).join(' → ')}, ${round(results.total_ms / 1000, 0)} s`;
    updateReadme(header, rows, machine);
    printWhatIfs(whatIfRows);
    process.stdout.write(
      `\n${process.version}, ${cpus().length} CPUs, load ${load.map((l) => round(l[0]!)).join(' → ')}; ${round(results.total_ms / 1000, 1)} s; wrote bench/results.json\n`,
    );
    return 0;
  } finally {
    rest?.agent.destroy();
    killAll();
    await sandbox?.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

function printFigures(
  figures: readonly Figure[],
  pass: (f: Figure) => boolean | undefined,
): { header: string[]; rows: string[][] } {
  const header = ['figure', 'value', 'goal', 'result', 'detail'];
  const rows = figures.map((f) => [
    f.name,
    `${f.value} ${f.unit}`,
    f.goal ? `${f.goal.op} ${f.goal.limit}` : '—',
    pass(f) === undefined ? 'info' : pass(f) ? 'PASS' : 'FAIL',
    f.detail,
  ]);
  printTable(header, rows);
  return { header, rows };
}

interface WhatIfRow {
  readonly config: string;
  readonly bundle_bytes: number;
  readonly startup_median_ms: number;
  readonly startup_ratio: number;
  readonly startup_cpu_median_ms: number;
  readonly peak_rss_mb: number;
  readonly session_calls_ms: number;
  readonly overhead_median_ms: number;
}

function printWhatIfs(whatIfRows: readonly WhatIfRow[]): void {
  process.stdout.write('\nOther launches (same run, same session; the first row is what VS Code runs):\n');
  printTable(
    ['config', 'bundle KB', 'startup ms', 'ratio', 'CPU ms', 'peak RSS MB', '100 calls ms', 'overhead ms'],
    whatIfRows.map((r) => [
      r.config,
      String(round(r.bundle_bytes / 1024, 0)),
      String(r.startup_median_ms),
      String(r.startup_ratio),
      String(r.startup_cpu_median_ms),
      String(r.peak_rss_mb),
      String(r.session_calls_ms),
      String(r.overhead_median_ms),
    ]),
  );
}

function summarise(calls: readonly [string, Json][]): string {
  const counts = new Map<string, number>();
  for (const [name] of calls) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, n]) => `${name} ×${n}`).join(', ');
}

/** CONTRIBUTING.md's Benchmarks table (between its bench markers) becomes this run's. */
function updateReadme(header: string[], rows: string[][], machine: string): void {
  const path = join(ROOT, 'CONTRIBUTING.md');
  const readme = readFileSync(path, 'utf8');
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) {
    process.stderr.write(
      `[bench] CONTRIBUTING.md has no ${README_START} … ${README_END} section; its table is not updated\n`,
    );
    return;
  }
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const table = [
    `Last run: ${machine}.`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map((c, i) => (i === 0 ? `\`${c}\`` : cell(c))).join(' | ')} |`),
  ].join('\n');
  writeFileSync(path, `${readme.slice(0, start + README_START.length)}\n${table}\n${readme.slice(end)}`);
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  process.stdout.write(`${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`);
}

// Children die with us even on Ctrl-C (Chromium is playwright's to end when this process exits).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    void stopEditor().finally(() => {
      rmSync(tmp, { recursive: true, force: true });
      process.exit(130);
    });
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    killAll();
    process.stderr.write(
      `[bench] could not measure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
