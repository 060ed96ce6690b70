// Every log line of the outgoing path names its data source (uid and name), so an admin can tell which
// one a refused URL, an error answer, a retry or a credential refresh belongs to.
import type { Logger } from '../log';

type Lines = Partial<Pick<Logger, 'debug' | 'info' | 'warn'>> & { child?: Logger['child'] };

export function forDataSource<T extends Lines>(log: T, module: string, settings: { uid: string; name: string }): T {
  return (log.child ? log.child(module, { uid: settings.uid, name: settings.name }) : log) as T;
}
