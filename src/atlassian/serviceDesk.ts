// Jira Service Management's REST API (/rest/servicedeskapi), the same paths on Cloud and Data Center:
// service desks, queues, request types and their fields, customer requests and their SLAs. Returns
// Atlassian's JSON as is; the bridge's tools shape it for models.
import type { Query } from './http';
import { pathSegment } from './ids';
import type { JiraApi, Json } from './jira';
import { multipartFiles, type UploadFile } from './multipart';

const ROOT = '/rest/servicedeskapi';
const READ = ['read:servicedesk-request'];
const WRITE = ['write:servicedesk-request'];
// Queues are agents' views: Cloud grants them with the Jira scopes, not the request ones.
const QUEUES = ['read:servicedesk-request', 'read:jira-work'];
// Some of these endpoints were experimental (queues among them); Atlassian ignores the opt-in elsewhere.
const OPT_IN = { 'X-ExperimentalApi': 'opt-in' };

/** JSM's paged envelope: `{ size, start, limit, isLastPage, values }`. */
export interface JsmPage {
  readonly size?: number;
  readonly start?: number;
  readonly limit?: number;
  readonly isLastPage?: boolean;
  readonly values?: Json[];
}

export class ServiceDeskApi {
  constructor(private readonly jira: JiraApi) {}

  private get<T = Json>(path: string, query: Query | undefined, scopes: string[], signal?: AbortSignal): Promise<T> {
    return this.jira.http.request<T>({ path: `${ROOT}${path}`, query, scopes, signal, headers: OPT_IN });
  }

  serviceDesks(start: number, limit: number, signal?: AbortSignal): Promise<JsmPage> {
    return this.get('/servicedesk', { start, limit }, READ, signal);
  }

  serviceDesk(id: string, signal?: AbortSignal): Promise<Json> {
    return this.get(`/servicedesk/${pathSegment(id)}`, undefined, READ, signal);
  }

  queues(serviceDeskId: string, start: number, limit: number, signal?: AbortSignal): Promise<JsmPage> {
    return this.get(
      `/servicedesk/${pathSegment(serviceDeskId)}/queue`,
      { includeCount: true, start, limit },
      QUEUES,
      signal,
    );
  }

  queue(serviceDeskId: string, queueId: string, signal?: AbortSignal): Promise<Json> {
    return this.get(
      `/servicedesk/${pathSegment(serviceDeskId)}/queue/${pathSegment(queueId)}`,
      { includeCount: true },
      QUEUES,
      signal,
    );
  }

  queueIssues(
    serviceDeskId: string,
    queueId: string,
    start: number,
    limit: number,
    signal?: AbortSignal,
  ): Promise<JsmPage> {
    return this.get(
      `/servicedesk/${pathSegment(serviceDeskId)}/queue/${pathSegment(queueId)}/issue`,
      { start, limit },
      QUEUES,
      signal,
    );
  }

  requestTypes(serviceDeskId: string, start: number, limit: number, signal?: AbortSignal): Promise<JsmPage> {
    return this.get(`/servicedesk/${pathSegment(serviceDeskId)}/requesttype`, { start, limit }, READ, signal);
  }

  requestTypeFields(serviceDeskId: string, requestTypeId: string, signal?: AbortSignal): Promise<Json> {
    return this.get(
      `/servicedesk/${pathSegment(serviceDeskId)}/requesttype/${pathSegment(requestTypeId)}/field`,
      undefined,
      READ,
      signal,
    );
  }

  /** A POST that creates an issue: never repeated by the HTTP layer. */
  createRequest(body: Json, signal?: AbortSignal): Promise<Json> {
    return this.jira.http.request<Json>({
      method: 'POST',
      path: `${ROOT}/request`,
      body,
      scopes: WRITE,
      signal,
      headers: OPT_IN,
    });
  }

  /**
   * Uploads files to a service desk as temporary attachments (multipart, field `file`); answers
   * `{temporaryAttachments: [{temporaryAttachmentId, fileName}]}`. A POST, so never repeated.
   */
  attachTemporaryFiles(serviceDeskId: string, files: readonly UploadFile[], signal?: AbortSignal): Promise<Json> {
    return this.jira.http.request<Json>({
      method: 'POST',
      path: `${ROOT}/servicedesk/${pathSegment(serviceDeskId)}/attachTemporaryFile`,
      rawBody: multipartFiles(files),
      headers: { ...OPT_IN, 'X-Atlassian-Token': 'no-check' },
      scopes: WRITE,
      signal,
    });
  }

  /** Turns temporary attachments into the request's own (public: the customer sees them). A POST, so never repeated. */
  addRequestAttachments(
    issueKey: string,
    temporaryAttachmentIds: readonly string[],
    isPublic: boolean,
    signal?: AbortSignal,
  ): Promise<Json> {
    return this.jira.http.request<Json>({
      method: 'POST',
      path: `${ROOT}/request/${pathSegment(issueKey)}/attachment`,
      body: { temporaryAttachmentIds, public: isPublic },
      scopes: WRITE,
      signal,
      headers: OPT_IN,
    });
  }

  request(issueKey: string, signal?: AbortSignal): Promise<Json> {
    return this.get(`/request/${pathSegment(issueKey)}`, undefined, READ, signal);
  }

  sla(issueKey: string, start: number, limit: number, signal?: AbortSignal): Promise<JsmPage> {
    return this.get(`/request/${pathSegment(issueKey)}/sla`, { start, limit }, READ, signal);
  }
}
