// What the handlers need from the rest of the backend, injected by the composition root (and by tests).
import type { InstanceProvider } from '../instances/types';
import type { Logger } from '../log';
import type { Redactor } from '../redaction';

export type { DataSourceInstance, InstanceProvider } from '../instances/types';

export interface HandlerDeps {
  instances: InstanceProvider;
  /** The process's redactor: the engine masks answers with it before they become frames or previews. */
  redactor: Pick<Redactor, 'mask' | 'maskHeaders'>;
  log?: Logger;
}
