// Error bodies in Atlassian's own shapes, so clients are tested against what they will really see.
import type { Response } from 'express';

/** Jira's ErrorCollection: `{ errorMessages: string[], errors: { field: message } }`. */
export function jiraError(
  res: Response,
  status: number,
  errorMessages: readonly string[],
  errors: Record<string, string> = {},
): void {
  // res.end, not res.send: Express would rewrite Jira's exact content type.
  res.status(status).setHeader('Content-Type', 'application/json;charset=UTF-8');
  res.end(JSON.stringify({ errorMessages, errors }));
}

const V2_CODES: Record<number, [string, string]> = {
  400: ['INVALID_REQUEST_PARAMETER', 'Bad Request'],
  401: ['UNAUTHORIZED', 'Unauthorized'],
  403: ['FORBIDDEN', 'Forbidden'],
  404: ['NOT_FOUND', 'Not Found'],
  409: ['CONFLICT', 'Conflict'],
  429: ['TOO_MANY_REQUESTS', 'Too Many Requests'],
  500: ['INTERNAL_SERVER_ERROR', 'Internal Server Error'],
};

/** Confluence v2: `{ errors: [{ status, code, title, detail }] }`. */
export function confluenceV2Error(res: Response, status: number, detail: string | null = null): void {
  const [code, title] = V2_CODES[status] ?? ['ERROR', 'Error'];
  res.status(status).json({ errors: [{ status, code, title, detail }] });
}

/** Confluence v1 (CQL search): `{ statusCode, message }`. */
export function confluenceV1Error(res: Response, status: number, message: string): void {
  res.status(status).json({
    statusCode: status,
    data: { authorized: status !== 401, valid: false, errors: [], successful: false },
    message,
  });
}

/** OAuth token endpoint: `{ error, error_description }`. */
export function oauthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).json({ error, error_description: description });
}
