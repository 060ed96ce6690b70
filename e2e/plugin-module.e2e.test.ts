// dist/module.js, as `npm run build` leaves it, loaded in chromium the way Grafana loads plugins: an AMD
// module given React and @grafana/* by the host (e2e/browser/amdHost.tsx). Proves the bundle's externals are
// exactly what a host provides, that it exports a DataSourcePlugin, and that its editors mount and work.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { buildHarness, HARNESS_OUT } from './browser/harnessBuild';
import { launchChromium, serveFiles, type Browser, type StaticSite } from './browser/chromium';
import type { AmdState } from './browser/amdHost';

const ROOT = resolve(__dirname, '..');
const DIST = join(ROOT, 'dist');

jest.setTimeout(60_000);

let site: StaticSite;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(DIST, 'module.js'))) throw new Error('dist/module.js is missing: run `npm run build` first');
  await buildHarness();
  // The harness build at /, the plugin folder at /dist/.
  site = await serveFiles((path) => (path.startsWith('dist/') ? [DIST, path.slice('dist/'.length)] : [HARNESS_OUT, path]));
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${site.origin}/amd.html`);
  await page.waitForFunction(() => window.amd?.mounted || window.amd?.error !== undefined, undefined, { timeout: 30_000 });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

const amd = (): Promise<AmdState> => page.evaluate(() => window.amd);

it('asks the host only for modules Grafana provides, and exports a data source plugin', async () => {
  const state = await amd();
  expect(state.error).toBeUndefined();
  expect(state.missing).toEqual([]);
  expect(state.deps).toEqual(expect.arrayContaining(['react', '@grafana/data', '@grafana/ui', '@grafana/runtime']));
  expect(state.exports).toContain('plugin');
  expect(pageErrors).toEqual([]);
});

it("mounts the exported editors; a new query is the data source's default (STS GetCallerIdentity)", async () => {
  await page.getByLabel(/^Authentication provider/).waitFor();
  expect(await page.getByLabel('URL', { exact: true }).inputValue()).toBe('https://sts.amazonaws.com/');
  expect((await amd()).query).toMatchObject({ refId: 'A', method: 'POST', format: 'xml' });
});

it('edits settings through the exported ConfigEditor', async () => {
  await page.getByLabel(/^Service name/).fill('monitoring');
  await page.waitForFunction(() => window.amd.options?.jsonData.service === 'monitoring');
  expect((await amd()).options?.jsonData.service).toBe('monitoring');
});
