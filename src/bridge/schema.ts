// Tool parameters as plain JSON Schema (compact in tools/list, no nullable unions that some
// clients reject) plus the validator that checks calls against them. Validation is lenient where
// models commonly are sloppy (numbers as strings, comma lists for arrays, JSON strings for
// objects) and precise where it matters: every refusal names the argument and what it expects.

export interface Param {
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
  readonly description?: string;
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly items?: Param;
  /** Accepted in calls but not advertised (legacy spellings of mcp-atlassian). */
  readonly hidden?: boolean;
}

export type Params = Readonly<Record<string, Param>>;

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

const str = (description?: string, extra: Partial<Param> = {}): Param => ({ type: 'string', description, ...extra });
const int = (description: string | undefined, minimum?: number, maximum?: number): Param => ({
  type: 'integer',
  description,
  minimum,
  maximum,
});
const bool = (description?: string, extra: Partial<Param> = {}): Param => ({ type: 'boolean', description, ...extra });
const obj = (description?: string): Param => ({ type: 'object', description });
const list = (description?: string): Param => ({ type: 'array', description, items: { type: 'string' } });
/** An array of JSON objects (a JSON array string is accepted too). */
const objList = (description?: string): Param => ({ type: 'array', description, items: { type: 'object' } });
const oneOf = (values: readonly string[], description?: string): Param => ({
  type: 'string',
  enum: values,
  description,
});
export const p = { str, int, bool, obj, list, objList, oneOf };

/** The inputSchema for tools/list. */
export function jsonSchema(params: Params, required: readonly string[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [name, param] of Object.entries(params)) {
    if (!param.hidden) properties[name] = paramSchema(param);
  }
  return required.length > 0 ? { type: 'object', properties, required } : { type: 'object', properties };
}

function paramSchema(param: Param): Record<string, unknown> {
  const out: Record<string, unknown> = { type: param.type };
  if (param.description) out.description = param.description;
  if (param.enum) out.enum = param.enum;
  if (param.minimum !== undefined) out.minimum = param.minimum;
  if (param.maximum !== undefined) out.maximum = param.maximum;
  if (param.items) out.items = paramSchema(param.items);
  return out;
}

/** Checks and coerces arguments; throws InputError naming the first bad argument. */
export function validate(
  args: Record<string, unknown> | undefined,
  params: Params,
  required: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args ?? {})) {
    const param = params[name];
    if (!param) {
      const guess = closest(
        name,
        Object.keys(params).filter((k) => !params[k]!.hidden),
      );
      throw new InputError(
        `Unknown argument \`${name}\`.${guess ? ` Did you mean \`${guess}\`?` : ''} Accepted: ${Object.keys(params)
          .filter((k) => !params[k]!.hidden)
          .join(', ')}.`,
      );
    }
    if (value === null || value === undefined) continue;
    out[name] = coerce(name, value, param);
  }
  for (const name of required) {
    const value = out[name];
    if (value === undefined || (typeof value === 'string' && value.trim() === '')) {
      throw new InputError(
        `Missing required argument \`${name}\`${params[name]?.description ? ` (${params[name].description})` : ''}.`,
      );
    }
  }
  return out;
}

function coerce(name: string, value: unknown, param: Param): unknown {
  const bad = (expected: string): never => {
    const shown =
      typeof value === 'string'
        ? JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
        : JSON.stringify(value)?.slice(0, 60);
    throw new InputError(`Invalid argument \`${name}\`: expected ${expected}, got ${shown}.`);
  };
  switch (param.type) {
    case 'string': {
      let text: string;
      if (typeof value === 'string') text = value;
      else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
      else if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number'))
        text = value.join(',');
      else return bad('a string');
      if (param.enum && !param.enum.includes(text)) {
        const folded = param.enum.find((e) => e.toLowerCase() === text.toLowerCase());
        if (folded) return folded;
        return bad(`one of ${param.enum.join(', ')}`);
      }
      return text;
    }
    case 'integer':
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      const range = rangeText(param);
      if (typeof n !== 'number' || !Number.isFinite(n) || (param.type === 'integer' && !Number.isInteger(n)))
        return bad(`${param.type === 'integer' ? 'an integer' : 'a number'}${range}`);
      if ((param.minimum !== undefined && n < param.minimum) || (param.maximum !== undefined && n > param.maximum))
        return bad(`a number${range}`);
      return n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return bad('true or false');
    case 'array': {
      let items: unknown[];
      if (Array.isArray(value)) items = value;
      else if (typeof value === 'string') items = parseListString(value);
      else return bad(param.items?.type === 'object' ? 'an array of objects' : 'an array of strings');
      if (param.items?.type === 'object') {
        items.forEach((item, i) => {
          if (!item || typeof item !== 'object' || Array.isArray(item)) bad(`objects only (item ${i} is not)`);
        });
        return items;
      }
      return items
        .map((item, i) => {
          if (typeof item === 'string') return item.trim();
          if (typeof item === 'number') return String(item);
          return bad(`strings only (item ${i} is not)`);
        })
        .filter((item) => item !== '');
    }
    case 'object': {
      if (typeof value === 'object' && !Array.isArray(value)) return value;
      if (typeof value === 'string') {
        if (value.trim() === '') return {};
        try {
          const parsed: unknown = JSON.parse(value);
          if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
        } catch {
          // fall through to the message below
        }
      }
      return bad('a JSON object');
    }
  }
}

/** "a,b", "a, b" or a JSON array string. */
function parseListString(value: string): unknown[] {
  const trimmed = value.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // not JSON: treat as a comma list
    }
  }
  return trimmed.split(',');
}

function rangeText(param: Param): string {
  if (param.minimum !== undefined && param.maximum !== undefined)
    return ` between ${param.minimum} and ${param.maximum}`;
  if (param.minimum !== undefined) return ` ≥ ${param.minimum}`;
  if (param.maximum !== undefined) return ` ≤ ${param.maximum}`;
  return '';
}

/** The accepted name nearest to a misspelt one (issueKey → issue_key). */
function closest(name: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
  const exact = candidates.find((c) => norm(c) === norm(name));
  if (exact) return exact;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = distance(norm(name), norm(candidate));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
