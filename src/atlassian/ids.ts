// Ids go into URL paths only when their shape is an id's: `encodeURIComponent` leaves `.` and `..`
// alone, and a URL parser then walks up to another endpoint (POST /issue/../comment → POST /comment).
import { AtlassianError } from './errors';

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\x00-\x1f\x7f]/g;

/** An encoded path segment, or a bad-request error for segments that are empty, dot-only or hold control characters. */
export function pathSegment(segment: string): string {
  if (!segment || /^\.{1,2}$/.test(segment.trim()) || new RegExp(CONTROL.source).test(segment))
    throw new AtlassianError(`"${segment.replace(CONTROL, '?')}" is not an id; nothing was sent.`, {
      kind: 'badRequest',
      host: '',
    });
  return encodeURIComponent(segment);
}

/** A UUID (cloud ids, form ids). */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** A cloud id as Atlassian issues them: a UUID. */
export function isCloudId(value: string): boolean {
  return isUuid(value);
}
