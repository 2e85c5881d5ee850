// Text out of JSON fields whose type Atlassian (or a caller) does not promise.

/**
 * A value as text: a string as it is, a number or boolean written out, anything else (an object,
 * an array, null, undefined) `fallback`. Never "[object Object]" in a message, key or label.
 */
export function textOf(value: unknown, fallback = ''): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fallback;
}
