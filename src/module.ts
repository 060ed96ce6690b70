// Plugin entry point: Grafana loads dist/module.js and reads `plugin`.
import './publicPath';
import { DataSourcePlugin } from '@grafana/data';
import { SigilDataSource } from './datasource';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import type { SigilQuery } from './shared/query';
import type { SigilJsonData, SigilSecureJsonData } from './shared/settings';

export const plugin = new DataSourcePlugin<SigilDataSource, SigilQuery, SigilJsonData, SigilSecureJsonData>(
  SigilDataSource,
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
