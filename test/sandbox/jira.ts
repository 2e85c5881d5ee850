// The sandbox's Jira: per-site stores and the router the platform mounts at each Jira base. It serves
// /rest/api/{3,2,latest} (Cloud; /rest/api/2 only on Data Center), /rest/agile/1.0,
// /rest/software/1.0, /rest/servicedeskapi (Service Management) and /rest/dev-status/{1.0,latest}, and answers
// paths it does not serve with Jira's own RFC 7807 404.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { context, type SiteRecord } from './context';
import { agileRouter, softwareRouter } from './jira/agile';
import { jsonErrorHandler, noEndpoint } from './jira/http';
import { platformRouter } from './jira/routes';
import { serviceDeskRouter } from './jira/serviceDesk';
import { devStatusRouter } from './jira/toolbox';
import { createJiraStore, JiraStore, type JiraStoreOptions } from './jira/store';

export { createJiraStore, JiraStore };
export type { JiraStoreOptions };

/** Cloud sites serve v3 and v2; Data Center only v2 (and `latest`). */
function versionServed(req: Request, res: Response, next: NextFunction): void {
  const version = String(req.params.version ?? '');
  const served = context(res).site.flavour === 'datacenter' ? ['2', 'latest'] : ['2', '3', 'latest'];
  if (served.includes(version)) next();
  else noEndpoint(req, res);
}

function cloudOnly(req: Request, res: Response, next: NextFunction): void {
  if (context(res).site.flavour === 'cloud') next();
  else noEndpoint(req, res);
}

export function createJiraRouter(storeFor: (site: SiteRecord) => JiraStore): Router {
  const router = express.Router();
  const byContext = (ctx: { site: SiteRecord }): JiraStore => storeFor(ctx.site);
  // strict: false because some bodies are bare JSON strings (POST /issue/{key}/watchers).
  router.use('/rest', express.json({ strict: false, limit: '10mb' }));
  router.use('/rest/api/:version', versionServed, platformRouter(byContext));
  router.use('/rest/agile/1.0', agileRouter(byContext));
  router.use('/rest/software/1.0', cloudOnly, softwareRouter(byContext));
  router.use('/rest/servicedeskapi', serviceDeskRouter(byContext));
  router.use('/rest/dev-status/:version', devStatusRouter(byContext));
  router.use('/rest', noEndpoint);
  router.use(jsonErrorHandler);
  return router;
}
