// dist/module.js, as `npm run build` leaves it, loaded in chromium the way Grafana loads plugins: an AMD
// module given React and @grafana/* by the host (e2e/browser/amdHost.tsx). Proves, with the shared packages of
// the newest Grafana (the project's own) and of the oldest one plugin.json's grafanaDependency names
// (e2e/browser/compat/), that the bundle's externals are what such a host provides, that it exports a
// DataSourcePlugin, and that both editors mount and work. Prints the mount time per Grafana version.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import {
  amdHostOut,
  buildCompatAmdHost,
  buildHarness,
  CURRENT_GRAFANA,
  OLDEST_GRAFANA,
  type GrafanaHost,
} from './browser/harnessBuild';
import { launchChromium, serveFiles, type Browser, type StaticSite } from './browser/chromium';
import type { AmdState } from './browser/amdHost';

const ROOT = resolve(__dirname, '..');
const DIST = join(ROOT, 'dist');

it("plugin.json's grafanaDependency starts at the oldest Grafana proven here", () => {
  const plugin = JSON.parse(readFileSync(join(ROOT, 'src/plugin.json'), 'utf8')) as {
    dependencies: { grafanaDependency: string };
  };
  expect(plugin.dependencies.grafanaDependency).toBe(`>=${OLDEST_GRAFANA.version}`);
});

describe.each([
  ['newest', CURRENT_GRAFANA],
  ['oldest', OLDEST_GRAFANA],
] as Array<[string, GrafanaHost]>)('%s Grafana', (_which, host) => {
  let site: StaticSite;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'module.js'))) throw new Error('dist/module.js is missing: run `npm run build` first');
    await (host.compatDir ? buildCompatAmdHost(host) : buildHarness());
    const out = amdHostOut(host);
    // The host page at /, the plugin folder at /dist/.
    site = await serveFiles((path) => (path.startsWith('dist/') ? [DIST, path.slice('dist/'.length)] : [out, path]));
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${site.origin}/amd.html`);
    await page.waitForFunction(() => window.amd?.mounted || window.amd?.error !== undefined, undefined, {
      timeout: 60_000,
    });
  }, 600_000); // the first run installs the compat packages (npm ci)

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  const amd = (): Promise<AmdState> => page.evaluate(() => window.amd);

  it(`plays Grafana ${host.version}, asks it only for modules it provides, and gets a data source plugin`, async () => {
    const state = await amd();
    expect(state.host.grafana).toBe(host.version);
    expect(state.error).toBeUndefined();
    expect(state.missing).toEqual([]);
    expect(state.deps).toEqual(expect.arrayContaining(['react', '@grafana/data', '@grafana/ui', '@grafana/runtime']));
    expect(state.exports).toContain('plugin');
    expect(pageErrors).toEqual([]);
    // A number to report, not a target: printed, never asserted.
    process.stdout.write(
      `plugin-module: Grafana ${host.version} (React ${state.host.react}): editors mounted in ${state.mountMs?.toFixed(0)} ms\n`,
    );
  });

  it('mounts the exported ConfigEditor and edits settings through it', async () => {
    await page.getByLabel(/^Authentication provider/).waitFor();
    await page.getByLabel(/^Service name/).fill('monitoring');
    await page.waitForFunction(() => window.amd.options?.jsonData.service === 'monitoring');
    await page.getByLabel(/^Authentication provider/).click();
    await page.keyboard.type('Access & secret');
    await page.keyboard.press('Enter');
    await page.getByLabel(/^Access key ID/).waitFor();
    await page.getByLabel(/^Assume Role ARN/).fill('arn:aws:iam:1:role/x');
    await expect(
      page.getByText(/^Assume Role ARN "arn:aws:iam:1:role\/x" is not an IAM role ARN/).count(),
    ).resolves.toBe(1);
    expect((await amd()).options?.jsonData).toMatchObject({
      service: 'monitoring',
      authType: 'keys',
      assumeRoleArn: 'arn:aws:iam:1:role/x',
    });
    expect(pageErrors).toEqual([]);
  });

  it("mounts the exported QueryEditor with the data source's default query, and edits it", async () => {
    const before = (await amd()).query ?? {};
    expect(before).toMatchObject({ refId: 'A', method: 'POST', format: 'xml' });
    // The field that shows the default query's URL, whatever its label: edit it and see the query change.
    const url = String(before.url);
    const field = page.locator(`section[aria-label="Query"] input[value="${url}"]`).first();
    await expect(field.inputValue()).resolves.toBe(url);
    await field.fill(`${url}?Action=GetCallerIdentity`);
    await page.waitForFunction((expected) => window.amd.query?.url === expected, `${url}?Action=GetCallerIdentity`);
    expect(pageErrors).toEqual([]);
  });
});
