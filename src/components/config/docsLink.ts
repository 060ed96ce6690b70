// Where the admin documentation is: the plugin's own page in Grafana, which shows the README shipped in the
// plugin folder (Sigil has no public web address). Relative to Grafana's root, so a sub-path install works.
import { config } from '@grafana/runtime';

export const PLUGIN_PAGE_PATH = '/plugins/sigil-awsapi-datasource';

/** The config editor's "Read the documentation" link: the README's "Configuring a data source" part. */
export function configDocsUrl(): string {
  return `${config.appSubUrl ?? ''}${PLUGIN_PAGE_PATH}`;
}
