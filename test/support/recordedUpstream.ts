// A fake Atlassian on 127.0.0.1 that answers each endpoint with the payload other projects recorded
// for it (../shared/fixtures/real-payloads, read at request time, never copied into the repository;
// manifest.json there says which endpoint answers with which file). One server plays Jira (Cloud or
// Data Center) at its root and/or Confluence (Cloud v2 or Data Center v1) under a context path.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';

type Json = Record<string, unknown>;

/** `../shared` beside the repository — for a git worktree, beside the main checkout. */
function sharedPayloads(): string {
  const root = resolve(__dirname, '..', '..');
  const beside = join(root, '..', 'shared', 'fixtures', 'real-payloads');
  if (existsSync(beside)) return beside;
  try {
    const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: root })
      .toString()
      .trim();
    return join(dirname(common), '..', 'shared', 'fixtures', 'real-payloads');
  } catch {
    return beside;
  }
}

export const PAYLOADS = sharedPayloads();
export const payloadsPresent = existsSync(PAYLOADS);

/** Every payload file some upstream of this process has answered with (or put into an answer). */
export const servedPayloads = new Set<string>();

export function payload(file: string): Json {
  return JSON.parse(payloadText(file)) as Json;
}

export function payloadText(file: string): string {
  servedPayloads.add(file);
  return readFileSync(join(PAYLOADS, file), 'utf8');
}

/** md2conf's recorded storage documents, served as the bodies of pages with these ids. */
export const STORAGE_PAGES: Readonly<Record<string, string>> = {
  '1001': 'storage/admonition.xhtml',
  '1002': 'storage/code.xhtml',
  '1003': 'storage/images.xhtml',
  '1004': 'storage/tasklist.xhtml',
};

export interface UpstreamOptions {
  readonly jira?: 'jira-cloud' | 'jira-dc';
  /** Confluence's flavour and its context path on this server (`/wiki`, `/confluence`). */
  readonly confluence?: { readonly flavour: 'cloud' | 'datacenter'; readonly path: string };
}

export interface RecordedUpstream {
  readonly url: string;
  /** Every request the server had no recorded answer for ("METHOD path"). */
  readonly unmatched: string[];
  /** Every request it answered ("METHOD path?query"). */
  readonly seen: string[];
  close(): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

const ok = (body: unknown): Answer => ({ status: 200, body });
const file = (name: string): Answer => ok(payload(name));

/** An ADF document with one paragraph per storage `<p>` (how the recorded storage bodies read in ADF). */
function paragraphsAdf(storage: string): string {
  const texts = [...storage.matchAll(/<p>([^<]*)<\/p>/g)].map((m) => m[1]!);
  return JSON.stringify({
    type: 'doc',
    version: 1,
    content: texts.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
  });
}

/** A v2 page: the recorded shell with the body of the requested format put into it. */
function cloudPage(id: string, format: string | null): Answer | undefined {
  let page: Json;
  let storage: string;
  let adf: string;
  if (id === '123456') {
    page = payload('confluence-cloud/page-123456-v2.json');
    storage = String(((page.body as Json).storage as Json).value);
    adf = paragraphsAdf(storage);
  } else if (id === '987654321') {
    const v1 = payload('confluence-cloud/page-v1-987654321.json');
    page = {
      ...payload('confluence-cloud/page-123456-v2.json'),
      id,
      title: v1.title,
      parentId: undefined,
      _links: { webui: (v1._links as Json).webui },
    };
    storage = payloadText('confluence-cloud/page-987654321-storage.xhtml');
    adf = JSON.stringify(payload('confluence-cloud/page-987654321-adf.json'));
  } else if (STORAGE_PAGES[id]) {
    page = { ...payload('confluence-cloud/page-123456-v2.json'), id, title: STORAGE_PAGES[id] };
    storage = payloadText(STORAGE_PAGES[id]);
    adf = paragraphsAdf(storage);
  } else return undefined;
  const body: Json = {};
  if (format === 'storage') body.storage = { representation: 'storage', value: storage };
  if (format === 'atlas_doc_format') body.atlas_doc_format = { representation: 'atlas_doc_format', value: adf };
  return ok({ ...page, body });
}

function jiraAnswer(folder: 'jira-cloud' | 'jira-dc', method: string, path: string, q: URLSearchParams, body: Json) {
  const api = '/rest/api/(?:2|3)';
  const m = (re: string) => new RegExp(`^${re}$`).exec(path);
  if (path === '/rest/api/2/serverInfo') return file(`${folder}/serverinfo.json`);
  let hit: RegExpExecArray | null;
  if ((hit = m(`${api}/issue/([A-Z][A-Z0-9]*-\\d+)`)) && method === 'GET') {
    const name = `${folder}/issue-${hit[1]}.json`;
    if (!existsSync(join(PAYLOADS, name))) return { status: 404, body: payload('jira-common/error-issue-404.json') };
    const issue = payload(name);
    const expand = q.get('expand') ?? '';
    if (expand.includes('changelog')) issue.changelog = payload('jira-common/changelog.json');
    if (!expand.includes('names')) delete issue.names;
    return ok(issue);
  }
  if (m(`${api}/issue/[^/]+/transitions`) && method === 'GET') return file(`${folder}/transitions.json`);
  if (m(`${api}/issue/[^/]+/watchers`) && method === 'GET') return file(`${folder}/watchers.json`);
  if (m(`${api}/issue/[^/]+/worklog`))
    return file(method === 'POST' ? `${folder}/worklog-created.json` : `${folder}/worklogs.json`);
  if (m(`${api}/issue/[^/]+/comment`) && method === 'POST') {
    const created = payload(`${folder}/comment-created.json`);
    // Cloud: the recorded response's body is replaced by what was posted (manifest note).
    return ok(folder === 'jira-cloud' ? { ...created, body: body.body } : created);
  }
  if (m(`${api}/issue`) && method === 'POST') return { status: 201, body: payload(`${folder}/create.json`) };
  if (m(`${api}/issue/createmeta/[^/]+/issuetypes`)) return file('jira-dc/createmeta-issuetypes-SPN.json');
  if (m(`${api}/issue/createmeta/[^/]+/issuetypes/[^/]+`)) return file('jira-dc/createmeta-fields.json');
  if (m(`${api}/field`)) return ok(payload(`${folder}/fields.json`));
  if (m('/rest/api/3/field/[^/]+/context')) return file('jira-cloud/field-contexts.json');
  if (m('/rest/api/3/field/[^/]+/context/[^/]+/option')) return file('jira-cloud/field-options.json');
  if (m('/rest/api/3/project/search')) return file('jira-cloud/projects-page.json');
  if (m('/rest/api/2/project') && folder === 'jira-dc') return file('jira-dc/projects.json');
  if (m(`${api}/project/[^/]+/versions`)) return file(`${folder}/versions.json`);
  if (m(`${api}/project/[^/]+/components`)) return file(`${folder}/components.json`);
  if (m(`${api}/issueLinkType`)) return file(`${folder}/link-types.json`);
  if (m(`${api}/user/search`))
    // Data Center's user search answers a list of the /user objects; its one recorded user stands in.
    return folder === 'jira-cloud' ? file('jira-cloud/users.json') : ok([payload('jira-dc/user.json')]);
  if (m(`${api}/(user|myself)`)) return file(`${folder}/user.json`);
  if (m('/rest/agile/1.0/board')) return file(`${folder}/boards.json`);
  if (m('/rest/agile/1.0/board/\\d+/sprint')) return file(`${folder}/sprints.json`);
  if (m('/rest/agile/1.0/sprint/\\d+/issue') && method === 'GET') return file(`${folder}/sprint-issues.json`);
  if (m('/rest/agile/1.0/board/\\d+/issue')) {
    if (folder === 'jira-cloud') return file('jira-cloud/board-issues.json');
    // Recorded as one agile issue; served as a one-issue board page (manifest note).
    return ok({ startAt: 0, maxResults: 50, total: 1, issues: [payload('jira-dc/board-issues.json')] });
  }
  if (m('/rest/api/3/search/jql') && method === 'POST') {
    const jql = String(body.jql ?? '');
    return file(/^\s*project\s*=/i.test(jql) ? 'jira-cloud/search-project.json' : 'jira-cloud/search-jql.json');
  }
  if (m('/rest/api/3/search/approximate-count')) return ok({ count: 1 });
  if (m('/rest/api/2/search') && folder === 'jira-dc') {
    const startAt = Number(q.get('startAt') ?? 0);
    if (startAt === 3) return file('jira-dc/search-page-3.json');
    if (startAt === 5) return file('jira-dc/search-page-5.json');
    return file('jira-dc/search.json');
  }
  return undefined;
}

function confluenceCloudAnswer(method: string, path: string, q: URLSearchParams): Answer | undefined {
  const m = (re: string) => new RegExp(`^${re}$`).exec(path);
  let hit: RegExpExecArray | null;
  if (m('/api/v2/spaces')) return file('confluence-cloud/spaces.json');
  if (m('/api/v2/spaces/789012')) return file('confluence-cloud/space.json');
  if (m('/api/v2/pages') && method === 'GET') return file('confluence-cloud/pages-by-title.json');
  if (m('/api/v2/pages') && method === 'POST')
    return { status: 400, body: payload('confluence-cloud/error-validation-400.json') };
  if ((hit = m('/api/v2/pages/(\\d+)')) && method === 'GET') return cloudPage(hit[1]!, q.get('body-format'));
  if (m('/api/v2/pages/\\d+/children')) return file('confluence-cloud/children.json');
  if (m('/api/v2/pages/\\d+/versions')) return file('confluence-cloud/versions.json');
  if (m('/api/v2/pages/\\d+/footer-comments')) return file('confluence-cloud/footer-comments.json');
  if (m('/api/v2/pages/\\d+/labels')) return file('confluence-cloud/labels.json');
  if (m('/api/v2/users-bulk')) return file('confluence-cloud/users-bulk.json');
  if (m('/rest/api/search/user')) return file('confluence-cloud/search-user.json');
  if (m('/rest/api/search')) return file('confluence-cloud/search.json');
  return undefined;
}

function confluenceDcAnswer(method: string, path: string): Answer | undefined {
  const m = (re: string) => new RegExp(`^${re}$`).exec(path);
  const v1 = () => payload('confluence-cloud/page-v1-987654321.json');
  if (m('/rest/api/content/987654321') && method === 'GET') return ok(v1());
  const storagePage = /^\/rest\/api\/content\/(\d+)$/.exec(path)?.[1];
  if (storagePage && STORAGE_PAGES[storagePage] && method === 'GET') {
    const value = payloadText(STORAGE_PAGES[storagePage]);
    return ok({
      ...v1(),
      id: storagePage,
      title: STORAGE_PAGES[storagePage],
      body: { storage: { value, representation: 'storage' } },
    });
  }
  if (m('/rest/api/content') && method === 'GET') return ok({ results: [v1()], start: 0, limit: 25, size: 1 });
  if (m('/rest/api/content') && method === 'POST')
    return { status: 400, body: payload('confluence-cloud/error-validation-400.json') };
  if (m('/rest/api/space/PROJ')) return ok(v1().space);
  if (m('/rest/api/content/\\d+/child/page')) return file('confluence-cloud/children.json');
  if (m('/rest/api/content/\\d+/child/comment')) return file('confluence-cloud/footer-comments.json');
  if (m('/rest/api/content/\\d+/label')) return file('confluence-cloud/labels.json');
  if (m('/rest/api/content/\\d+/version')) return file('confluence-cloud/versions.json');
  if (m('/rest/api/search')) return file('confluence-cloud/search.json');
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? (JSON.parse(text) as Json) : {};
  } catch {
    return {};
  }
}

export function startRecordedUpstream(options: UpstreamOptions): Promise<RecordedUpstream> {
  const unmatched: string[] = [];
  const seen: string[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    seen.push(`${method} ${url.pathname}${url.search}`);
    let answer: Answer | undefined;
    const c = options.confluence;
    if (c && (url.pathname === c.path || url.pathname.startsWith(`${c.path}/`))) {
      const rest = url.pathname.slice(c.path.length);
      answer =
        c.flavour === 'cloud'
          ? confluenceCloudAnswer(method, rest, url.searchParams)
          : confluenceDcAnswer(method, rest);
      // Data Center has no v2 API: its HTML 404, as the bridge's detection meets it.
      if (!answer && c.flavour === 'datacenter' && rest.startsWith('/api/v2/')) {
        res.writeHead(404, { 'content-type': 'text/html;charset=UTF-8' });
        res.end('<html><body><h1>Page Not Found</h1></body></html>');
        return;
      }
    } else if (options.jira) answer = jiraAnswer(options.jira, method, url.pathname, url.searchParams, body);
    if (!answer) {
      unmatched.push(`${method} ${url.pathname}`);
      answer = { status: 404, body: { message: `no recorded payload for ${method} ${url.pathname}` } };
    }
    res.writeHead(answer.status, { 'content-type': 'application/json;charset=UTF-8' });
    res.end(JSON.stringify(answer.body));
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  return new Promise((resolveUpstream) =>
    server.listen(0, '127.0.0.1', () =>
      resolveUpstream({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        unmatched,
        seen,
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}
