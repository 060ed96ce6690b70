// What every browser-test harness page shares: the theme from the URL (`theme=light|dark`), a Sigil data
// source instance, and mounting the page's editors in Grafana's theme and global styles.
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import {
  createTheme,
  type DataSourceInstanceSettings,
  type DataSourcePluginMeta,
  type GrafanaTheme2,
} from '@grafana/data';
import { GlobalStyles, ThemeContext } from '@grafana/ui';
import { SigilDataSource } from '../../src/datasource';
import type { SigilJsonData } from '../../src/shared/settings';

export const params = new URLSearchParams(window.location.search);

export const theme: GrafanaTheme2 = createTheme({
  colors: { mode: params.get('theme') === 'dark' ? 'dark' : 'light' },
});

/** The data source the query editors get, as Grafana would build it from saved settings. */
export function harnessDataSource(defaultRegion: string): SigilDataSource {
  return new SigilDataSource({
    id: 1,
    uid: 'sigil-e2e',
    type: 'sigil-awsapi-datasource',
    name: 'Sigil',
    access: 'proxy',
    readOnly: false,
    jsonData: { defaultRegion } as SigilJsonData,
    meta: { id: 'sigil-awsapi-datasource' } as DataSourcePluginMeta<SigilJsonData>,
  } as DataSourceInstanceSettings<SigilJsonData>);
}

/** Renders the page into #root, themed as Grafana would. */
export function mountHarness(page: ReactNode): void {
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <ThemeContext.Provider value={theme}>
        <GlobalStyles />
        <main style={{ padding: 16, maxWidth: 1100 }}>{page}</main>
      </ThemeContext.Provider>
    </StrictMode>,
  );
}
