// Blanks: named placeholders such as `{{TableName}}` that a catalogue entry leaves for the author to fill.
// A query that still holds one is refused (by the editor and the backend, through validateQuery) with the
// blank's name, so an unfilled entry never reaches AWS as a literal `{{TableName}}`.

/** The parts of a query model that may hold blanks (structural, so that query.ts can import this file). */
interface KeyValue {
  key: string;
  value: string;
}
export interface BlankFields {
  url?: string;
  params?: KeyValue[];
  headers?: KeyValue[];
  bodyType?: string;
  body?: string;
  form?: KeyValue[];
  rootSelector?: string;
  uql?: string;
}

const BLANK = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** Where in the query text may hold blanks, and how a value is written there. */
type Context = 'url' | 'json' | 'text';

interface Place {
  path: string;
  text: string;
  context: Context;
}

function pairPlaces(name: string, pairs: KeyValue[] | undefined): Place[] {
  return (pairs ?? []).flatMap((p, i) => [
    { path: `${name}[${i}].key`, text: p.key, context: 'text' as const },
    { path: `${name}[${i}].value`, text: p.value, context: 'text' as const },
  ]);
}

function places(q: BlankFields): Place[] {
  return [
    { path: 'url', text: q.url ?? '', context: 'url' },
    ...pairPlaces('params', q.params),
    ...pairPlaces('headers', q.headers),
    { path: 'body', text: q.body ?? '', context: q.bodyType === 'json' ? 'json' : 'text' },
    ...pairPlaces('form', q.form),
    { path: 'rootSelector', text: q.rootSelector ?? '', context: 'text' },
    { path: 'uql', text: q.uql ?? '', context: 'text' },
  ];
}

export interface Blank {
  name: string;
  /** Parts of the query that hold it, e.g. `url`, `body`, `form[2].value`. */
  paths: string[];
}

/** The blanks still in the query, in order of first appearance. */
export function findBlanks(q: BlankFields): Blank[] {
  const found = new Map<string, string[]>();
  for (const place of places(q)) {
    for (const m of place.text.matchAll(BLANK)) {
      const paths = found.get(m[1]) ?? [];
      if (!paths.includes(place.path)) paths.push(place.path);
      found.set(m[1], paths);
    }
  }
  return [...found].map(([name, paths]) => ({ name, paths }));
}

/** One problem per unfilled blank, at the first part of the query that holds it. */
export function blankProblems(q: BlankFields): Array<{ path: string; message: string }> {
  return findBlanks(q).map((b) => ({
    path: b.paths[0],
    message: `fill in the blank {{${b.name}}} (in ${b.paths.join(', ')})`,
  }));
}

/**
 * In a URL the value is percent-encoded, except `/` (S3 keys, API paths) and `$`, `{`, `}`, `:`, `,` (so a
 * dashboard variable such as `${bucket}` still works); in a JSON body it is escaped for a JSON string (blanks
 * there sit inside quotes); elsewhere (params, headers, form, selectors) it is kept as typed: the backend
 * encodes those when it sends them.
 */
function encodeFor(context: Context, value: string): string {
  if (context === 'url') {
    return encodeURIComponent(value).replace(/%(2F|24|7B|7D|3A|2C)/gi, (e) => decodeURIComponent(e));
  }
  if (context === 'json') {
    return JSON.stringify(value).slice(1, -1);
  }
  return value;
}

function fillText(text: string, name: string, value: string, context: Context): string {
  return text.replace(BLANK, (whole, found: string) => (found === name ? encodeFor(context, value) : whole));
}

/** The query with every `{{name}}` replaced by `value`, written the way each part of the query needs. */
export function fillBlank<Q extends BlankFields>(q: Q, name: string, value: string): Q {
  const pairs = (pairs: KeyValue[] | undefined) =>
    pairs?.map((p) => ({ key: fillText(p.key, name, value, 'text'), value: fillText(p.value, name, value, 'text') }));
  const text = (t: string | undefined, context: Context) =>
    t === undefined ? undefined : fillText(t, name, value, context);
  return {
    ...q,
    url: text(q.url, 'url'),
    params: pairs(q.params),
    headers: pairs(q.headers),
    body: text(q.body, q.bodyType === 'json' ? 'json' : 'text'),
    form: pairs(q.form),
    rootSelector: text(q.rootSelector, 'text'),
    uql: text(q.uql, 'text'),
  };
}

/** Fills several blanks at once. */
export function fillBlanks<Q extends BlankFields>(q: Q, values: Record<string, string>): Q {
  return Object.entries(values).reduce((acc, [name, value]) => fillBlank(acc, name, value), q);
}
