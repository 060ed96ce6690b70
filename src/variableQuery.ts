// A dashboard variable's query: the request model with queryType `variable`; older text-only variable
// queries start from the default request.
import { DEFAULT_QUERY, type SigilQuery } from './shared/query';

/** A variable query stored by an older editor may be a plain string; it starts over as a new query. */
export function asVariableQuery(query: SigilQuery | string | undefined, refId = 'variable'): SigilQuery {
  const q: SigilQuery = typeof query === 'object' && query !== null ? query : { refId };
  const blank = q.url === undefined && q.queryType === undefined;
  return { ...(blank ? DEFAULT_QUERY : {}), ...q, queryType: 'variable' };
}
