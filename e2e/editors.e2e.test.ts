// The editors in a real browser (Debian's chromium through playwright-core): the harness page in e2e/browser/
// mounts ConfigEditor and QueryEditor with a fake Grafana runtime. Each auth mode is filled in as a user would,
// and the resulting jsonData / secureJsonData are read back; one pass uses the keyboard only. The config
// layout is checked in light and dark theme. Screenshots of both editors go to e2e/.work/screenshots/ (never
// a tracked file) and are compared with a size range and, for the config editor, with the screenshot the
// plugin ships (src/img/) within a pixel tolerance.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { buildHarness, HARNESS_OUT } from './browser/harnessBuild';
import { pixelDifference, pngSize, screenshotPath } from './browser/screenshots';
import { launchChromium, serveFiles, type Browser, type StaticSite } from './browser/chromium';

const ROOT = resolve(__dirname, '..');
const SHIPPED_IMG = join(ROOT, 'src/img');

interface HarnessState {
  options: {
    jsonData: Record<string, unknown>;
    secureJsonData?: Record<string, string>;
    secureJsonFields: Record<string, boolean>;
  };
  query: Record<string, unknown>;
  requests: Array<{ url: string; method?: string; data: Record<string, unknown> }>;
  runs: number;
}

// @grafana/ui loads its icons from Grafana's public/build/img/icons/; the package ships the same files.
const ICONS = join(ROOT, 'node_modules/@grafana/ui/dist/public/img/icons');
const ICON_PREFIX = 'public/build/img/icons/';

let site: StaticSite;
let browser: Browser;
let context: BrowserContext;
let base: string;

beforeAll(async () => {
  await buildHarness();
  site = await serveFiles((path) =>
    path.startsWith(ICON_PREFIX) ? [ICONS, path.slice(ICON_PREFIX.length)] : [HARNESS_OUT, path || 'index.html'],
  );
  base = `${site.origin}/index.html`;
  browser = await launchChromium({ width: 1000, height: 900 });
  context = browser.context;
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function open(query: string): Promise<Page> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}?${query}`);
  await page.waitForSelector('main');
  expect(errors).toEqual([]);
  return page;
}

function state(page: Page): Promise<HarnessState> {
  return page.evaluate(
    () => JSON.parse(JSON.stringify((window as unknown as { sigil: unknown }).sigil)) as HarnessState,
  );
}

/** Picks an option of a @grafana/ui Select the way a user does: focus, type, Enter. */
async function choose(page: Page, label: RegExp, text: string): Promise<void> {
  await page.getByLabel(label).click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

describe('ConfigEditor in chromium', () => {
  it('access & secret key: secrets land in secureJsonData only', async () => {
    const page = await open('view=config');
    await choose(page, /^Authentication provider/, 'Access & secret');
    await page.getByLabel(/^Access key ID/).fill('AKIAIOSFODNN7EXAMPLE');
    await page.getByLabel(/^Secret access key/).fill('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    await choose(page, /^Default region/, 'eu-west-1');
    await page.getByLabel(/^Service name/).fill('monitoring');
    await page.getByRole('button', { name: 'Add allowed URL' }).click();
    await page.getByLabel('Allowed URL 1', { exact: true }).fill('https://monitoring.eu-west-1.amazonaws.com/');
    await page.getByLabel(/^Timeout/).fill('20');
    const { options } = await state(page);
    expect(options.jsonData).toEqual({
      authType: 'keys',
      defaultRegion: 'eu-west-1',
      service: 'monitoring',
      allowedUrls: ['https://monitoring.eu-west-1.amazonaws.com/'],
      timeoutSeconds: 20,
    });
    expect(options.secureJsonData).toEqual({
      accessKey: 'AKIAIOSFODNN7EXAMPLE',
      secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
    expect(JSON.stringify(options.jsonData)).not.toContain('EXAMPLEKEY');
    expect(await page.locator('[role="alert"]').count()).toBe(0);
    await page.close();
  });

  it('default chain with an assumed role and External ID', async () => {
    const page = await open('view=config');
    await expect(page.getByLabel(/^External ID/).count()).resolves.toBe(0);
    await page.getByLabel(/^Assume Role ARN/).fill('arn:aws:iam::123456789012:role/GrafanaReader');
    await page.getByLabel(/^External ID/).fill('sigil-ext-42');
    await choose(page, /^Default region/, 'us-west-2');
    const { options } = await state(page);
    expect(options.jsonData).toEqual({
      assumeRoleArn: 'arn:aws:iam::123456789012:role/GrafanaReader',
      externalId: 'sigil-ext-42',
      defaultRegion: 'us-west-2',
    });
    expect(options.secureJsonData).toEqual({});
    await page.close();
  });

  it('credentials profile, with a bad ARN reported inline in the backend words', async () => {
    const page = await open('view=config');
    await choose(page, /^Authentication provider/, 'Credentials file');
    await page.getByLabel(/^Credentials profile name/).fill('grafana-readonly');
    await page.getByLabel(/^Assume Role ARN/).fill('arn:aws:iam:123:role/x');
    await expect(page.getByText(/is not an IAM role ARN/).count()).resolves.toBe(1);
    const { options } = await state(page);
    expect(options.jsonData).toMatchObject({ authType: 'credentials', profile: 'grafana-readonly' });
    await page.close();
  });

  it('Amazon Managed Prometheus: service aps, the workspace as endpoint, EC2 role when the server allows it', async () => {
    const page = await open('view=config&providers=default,ec2_iam_role');
    await choose(page, /^Authentication provider/, 'EC2 IAM');
    await choose(page, /^Default region/, 'us-west-2');
    await page.getByLabel(/^Service name/).fill('aps');
    await page.getByLabel(/^Custom endpoint/).fill('https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1');
    await page.getByRole('button', { name: 'Add allowed URL' }).click();
    await page.getByLabel('Allowed URL 1', { exact: true }).fill('https://monitoring.us-west-2.amazonaws.com/');
    // A host for another service is flagged, not refused.
    await expect(page.getByText(/does not look like an endpoint of service "aps"/).count()).resolves.toBe(1);
    const { options } = await state(page);
    expect(options.jsonData).toEqual({
      authType: 'ec2_iam_role',
      defaultRegion: 'us-west-2',
      service: 'aps',
      endpoint: 'https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1',
      allowedUrls: ['https://monitoring.us-west-2.amazonaws.com/'],
    });
    await page.close();
  });

  it('follows the server options: only allowed providers, no Assume Role when disabled', async () => {
    const page = await open('view=config&providers=keys&assumeRole=false');
    await page.getByLabel(/^Authentication provider/).click();
    await expect(page.getByRole('option').allInnerTexts()).resolves.toEqual(['Access & secret key']);
    await page.keyboard.press('Escape');
    await expect(page.getByLabel(/^Assume Role ARN/).count()).resolves.toBe(0);
    await expect(page.getByLabel(/^Access key ID/).count()).resolves.toBe(1);
    await page.close();
  });

  it('shows stored secrets as configured and resets them', async () => {
    const page = await open('view=config&stored=keys');
    await expect(page.getByLabel(/^Secret access key/).inputValue()).resolves.toBe('configured');
    await page.getByRole('button', { name: 'Reset' }).nth(1).click();
    await page.getByLabel(/^Secret access key/).fill('new-secret');
    const { options } = await state(page);
    expect(options.secureJsonFields).toEqual({ accessKey: true, secretKey: false });
    expect(options.secureJsonData).toEqual({ secretKey: 'new-secret' });
    await page.close();
  });

  it('can be filled in with the keyboard only', async () => {
    const page = await open('view=config');
    const focusedLabel = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el) return '';
        const byFor = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : undefined;
        return (byFor ?? el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
      });
    /** Tab forward until the focused control's label starts with `label`. */
    const tabTo = async (label: string) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        if ((await focusedLabel()).startsWith(label)) return;
      }
      throw new Error(`Tab never reached "${label}"`);
    };
    await tabTo('Authentication provider');
    await page.keyboard.type('Access & secret');
    await page.keyboard.press('Enter');
    await tabTo('Access key ID');
    await page.keyboard.type('AKIAKEYBOARD');
    await tabTo('Secret access key');
    await page.keyboard.type('keyboard-secret');
    await tabTo('Assume Role ARN');
    await page.keyboard.type('arn:aws:iam::123456789012:role/Keyboard');
    await tabTo('External ID');
    await page.keyboard.type('kb-ext');
    await tabTo('Default region');
    await page.keyboard.type('ap-southeast-2');
    await page.keyboard.press('Enter');
    await tabTo('Service name');
    await page.keyboard.type('execute-api');
    await tabTo('Add allowed URL');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    if (!(await focusedLabel()).startsWith('Allowed URL 1')) {
      await tabTo('Allowed URL 1');
    }
    await page.keyboard.type('https://abc123.execute-api.ap-southeast-2.amazonaws.com/prod/');
    const { options } = await state(page);
    expect(options.jsonData).toEqual({
      authType: 'keys',
      assumeRoleArn: 'arn:aws:iam::123456789012:role/Keyboard',
      externalId: 'kb-ext',
      defaultRegion: 'ap-southeast-2',
      service: 'execute-api',
      allowedUrls: ['https://abc123.execute-api.ap-southeast-2.amazonaws.com/prod/'],
    });
    expect(options.secureJsonData).toEqual({ accessKey: 'AKIAKEYBOARD', secretKey: 'keyboard-secret' });
    await page.close();
  });
});

describe('QueryEditor in chromium', () => {
  it('starts with STS GetCallerIdentity and previews the raw answer through the resource route', async () => {
    const page = await open('view=query');
    await expect(page.getByLabel('URL', { exact: true }).inputValue()).resolves.toBe('https://sts.amazonaws.com/');
    await page.getByLabel('URL', { exact: true }).fill('https://sts.$region.amazonaws.com/');
    await page.getByRole('button', { name: /Run\/preview/ }).click();
    await page.getByText('HTTP 200').waitFor();
    const { requests, query } = await state(page);
    expect(query).toMatchObject({ url: 'https://sts.$region.amazonaws.com/', format: 'xml' });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      url: '/api/datasources/uid/sigil-e2e/resources/request',
      method: 'POST',
      data: {
        query: {
          url: 'https://sts.eu-west-1.amazonaws.com/',
          form: [
            { key: 'Action', value: 'GetCallerIdentity' },
            { key: 'Version', value: '2011-06-15' },
          ],
        },
      },
    });
    // The dashboard's time range goes along, for the backend's time macros (default: the last 6 hours).
    const range = requests[0].data.timeRange as { from: number; to: number };
    expect(range.to - range.from).toBe(6 * 3600 * 1000);
    await expect(page.getByText('POST https://sts.eu-west-1.amazonaws.com/').count()).resolves.toBe(1);
    await expect(page.getByLabel('Response body').innerText()).resolves.toContain('user/e2e');
    await page.close();
  });
});

describe('config layout, light and dark', () => {
  it.each(['light', 'dark'])(
    '%s: sections, full-width fields, bordered buttons, an empty region that reads as empty',
    async (theme) => {
      const page = await open(`view=config&theme=${theme}`);
      await expect(page.getByRole('heading').allInnerTexts()).resolves.toEqual([
        'Authentication',
        'Assume role',
        'Connection',
        'Allowed URLs',
        'Additional settings',
      ]);
      await page.getByRole('button', { name: 'Add allowed URL' }).click();
      const layout = await page.evaluate(() => {
        const section = document.querySelector('#config-editor') as HTMLElement;
        const width = (selector: string) =>
          (document.querySelector(selector) as HTMLElement).getBoundingClientRect().width;
        const border = (label: string) =>
          getComputedStyle(document.querySelector(`button[aria-label="${label}"]`) as HTMLElement).borderTopWidth;
        const add = Array.from(document.querySelectorAll('button')).find((b) =>
          b.textContent?.includes('Add allowed URL'),
        ) as HTMLElement;
        return {
          sectionWidth: section.getBoundingClientRect().width,
          inputs: ['#sigil-service', '#sigil-endpoint', '#sigil-assume-role-arn', '#sigil-test-url'].map(width),
          removeBorder: border('Remove allowed URL 1'),
          addBorder: getComputedStyle(add).borderTopWidth,
          background: getComputedStyle(document.body).backgroundColor,
        };
      });
      for (const w of layout.inputs) expect(w).toBeGreaterThan(layout.sectionWidth * 0.8);
      expect(layout.removeBorder).not.toBe('0px');
      expect(layout.addBorder).not.toBe('0px');
      // Grafana's theme background: near white in light, near black in dark.
      const [r] = (layout.background.match(/\d+/g) ?? ['0']).map(Number);
      expect(theme === 'light' ? r > 200 : r < 60).toBe(true);
      // The empty region: no value, and a placeholder that is not a region code.
      await expect(page.getByLabel(/^Default region/).inputValue()).resolves.toBe('');
      await expect(page.getByText('Choose or type a region').count()).resolves.toBe(1);
      // Nothing is reported before the admin has touched a field.
      await expect(page.locator('[role="alert"]').count()).resolves.toBe(0);
      await page.close();
    },
  );
});

describe('screenshots', () => {
  it.each(['light', 'dark'])('config and query editors, %s theme', async (theme) => {
    const config = await open(`view=config&theme=${theme}&stored=keys`);
    await config.getByLabel(/^Assume Role ARN/).fill('arn:aws:iam::123456789012:role/GrafanaReader');
    await config.getByLabel(/^External ID/).fill('sigil-ext-42');
    await config.getByLabel(/^Service name/).fill('monitoring');
    await config.getByRole('button', { name: 'Add allowed URL' }).click();
    await config.getByLabel('Allowed URL 1', { exact: true }).fill('https://monitoring.eu-west-1.amazonaws.com/');
    await config.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const configPng = await config
      .locator('#config-editor')
      .screenshot({ path: screenshotPath(`config-editor-${theme}.png`) });
    const configSize = pngSize(configPng);
    // The harness is 1000 px wide with 16 px padding; the editor is one column of full-width sections.
    expect(configSize.width).toBeGreaterThanOrEqual(900);
    expect(configSize.width).toBeLessThanOrEqual(1000);
    expect(configSize.height).toBeGreaterThanOrEqual(1000);
    expect(configSize.height).toBeLessThanOrEqual(2600);
    // The screenshot the plugin ships (plugin.json info.screenshots) still shows this editor.
    const shipped = readFileSync(join(SHIPPED_IMG, `screenshot-config-${theme}.png`));
    expect(pngSize(shipped)).toEqual(configSize);
    expect(await pixelDifference(config, configPng, shipped)).toBeLessThan(0.02);
    // ...and the comparison can fail: the other theme's screenshot differs in most pixels.
    const otherTheme = readFileSync(join(SHIPPED_IMG, `screenshot-config-${theme === 'light' ? 'dark' : 'light'}.png`));
    expect(await pixelDifference(config, configPng, otherTheme)).toBeGreaterThan(0.5);
    await config.close();

    const query = await open(`view=query&theme=${theme}`);
    await query.getByRole('button', { name: /Run\/preview/ }).click();
    await query.getByText('HTTP 200').waitFor();
    const querySize = pngSize(
      await query.locator('#query-editor').screenshot({ path: screenshotPath(`query-editor-${theme}.png`) }),
    );
    expect(querySize.width).toBeGreaterThanOrEqual(900);
    expect(querySize.height).toBeGreaterThanOrEqual(300);
    await query.close();
  });
});
