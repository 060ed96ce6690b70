// What the query editors need of the data source: the backend data source's own methods (resource calls,
// template variables) and its settings (catalogue entries are placed on its endpoint and region). Typed
// structurally, so the editors do not import the data source module that registers them (no import cycle).
import type { DataSourceWithBackend } from '@grafana/runtime';
import type { SigilQuery } from '../shared/query';
import type { SigilJsonData } from '../shared/settings';

export type EditorDataSource = DataSourceWithBackend<SigilQuery, SigilJsonData> & { readonly jsonData: SigilJsonData };
