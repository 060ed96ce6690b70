// What Grafana's plugin validator checks on a plugin folder, checked on dist/ as `npm run build` leaves it
// (the release zip is that folder): README links absolute (the validator's brokenlinks check follows relative
// links into the repository, which a zip does not have), LICENSE and CHANGELOG shipped, plugin.json valid
// against Grafana's plugin.json schema (a committed copy, e2e/plugin-schema/), screenshots and logos present.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const ROOT = resolve(__dirname, '..');
const DIST = join(ROOT, 'dist');

interface PluginJson {
  info: {
    author: { url?: string };
    links?: Array<{ name: string; url: string }>;
    logos: { small: string; large: string };
    screenshots?: Array<{ name: string; path: string }>;
  };
  dependencies: { grafanaDependency: string };
}

const read = (path: string) => readFileSync(path, 'utf8');

/** Every link and image target in Markdown (inline and reference style) and in HTML attributes. */
function linkTargets(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const inline = [...withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
  const reference = [...withoutCode.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]);
  const html = [...withoutCode.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]);
  return [...inline, ...reference, ...html];
}

beforeAll(() => {
  if (!existsSync(join(DIST, 'plugin.json'))) throw new Error('dist/ is missing: run `npm run build` first');
});

describe("README (shipped in dist/, shown on Grafana's plugin page)", () => {
  const readmes = { 'README.md': read(join(ROOT, 'README.md')), 'dist/README.md': read(join(DIST, 'README.md')) };

  // Absolute https URLs, or Grafana's own absolute path to the plugin folder's files (the screenshot).
  const ABSOLUTE = /^(https:\/\/[^/\s]+\.[a-z]{2,}(\/|#|$)|\/public\/plugins\/sigil-awsapi-datasource\/)/;

  it.each(Object.keys(readmes))('%s links only to absolute URLs', (name) => {
    const targets = linkTargets(readmes[name as keyof typeof readmes]);
    expect(targets.length).toBeGreaterThan(0); // the screenshot at least: the check is never vacuous
    expect(targets.filter((t) => !ABSOLUTE.test(t))).toEqual([]);
  });

  it.each(Object.keys(readmes))('%s names no made-up project address', (name) => {
    expect(readmes[name as keyof typeof readmes]).not.toMatch(/github\.com\/sigil/);
  });

  it('finds relative links when there are some (the check can fail)', () => {
    expect(linkTargets('[a](docs/x.md) ![b](../img.png) <a href="c.md">c</a>\n[d]: ./d.md')).toEqual([
      'docs/x.md',
      '../img.png',
      './d.md',
      'c.md',
    ]);
  });

  it('keeps the two set-up commands at the very top', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readmes['README.md'])?.[1] ?? '';
    expect(readmes['README.md'].indexOf('```sh')).toBeLessThan(200);
    expect(firstBlock).toContain('npm ci && npm run build && docker compose up');
    expect(firstBlock).toContain('npm ci && npm test');
  });

  it('has the sections admins need, and the anchor the config editor links to', () => {
    const headings = [...readmes['README.md'].matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(
      expect.arrayContaining([
        'Install',
        'Platforms',
        'Grafana server settings (`[aws]`)',
        'Configuring a data source',
        'IAM permissions: least privilege',
      ]),
    );
    expect(headings.some((h) => h.startsWith('Troubleshooting'))).toBe(true);
    // Ten numbered SigV4 failures.
    const troubleshooting = readmes['README.md'].split(/^## Troubleshooting.*$/m)[1].split(/^## /m)[0];
    expect([...troubleshooting.matchAll(/^ ?\d+\. \*\*/gm)]).toHaveLength(10);
  });

  it('is the same file in dist/ (the build copies it)', () => {
    expect(readmes['dist/README.md']).toBe(readmes['README.md']);
  });
});

describe('LICENSE and CHANGELOG in the plugin folder', () => {
  it('ships the full Apache-2.0 text that package.json names', () => {
    const pkg = JSON.parse(read(join(ROOT, 'package.json'))) as { license: string; version: string };
    expect(pkg.license).toBe('Apache-2.0');
    const license = read(join(DIST, 'LICENSE'));
    expect(license).toBe(read(join(ROOT, 'LICENSE')));
    expect(license).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(license).toContain('END OF TERMS AND CONDITIONS');
    expect(license.length).toBeGreaterThan(10_000);
  });

  it('ships a changelog with an Unreleased section and an entry for the current version', () => {
    const pkg = JSON.parse(read(join(ROOT, 'package.json'))) as { version: string };
    const changelog = read(join(DIST, 'CHANGELOG.md'));
    expect(changelog).toBe(read(join(ROOT, 'CHANGELOG.md')));
    expect(changelog).toMatch(/^## Unreleased$/m);
    expect(changelog).toMatch(new RegExp(`^## ${pkg.version.replace(/\./g, '\\.')} \\(\\d{4}-\\d{2}-\\d{2}\\)$`, 'm'));
    expect(linkTargets(changelog).filter((t) => !t.startsWith('https://'))).toEqual([]);
  });
});

describe("plugin.json against Grafana's schema", () => {
  const schema = JSON.parse(read(join(ROOT, 'e2e/plugin-schema/plugin.schema.json'))) as object;
  // The schema's patterns escape `-`, which ECMAScript allows only without the u flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  const errors = (json: unknown) =>
    validate(json) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

  it.each(['src/plugin.json', 'dist/plugin.json'])('%s is valid', (path) => {
    expect(errors(JSON.parse(read(join(ROOT, path))))).toEqual([]);
  });

  it('refuses what the schema forbids (the check can fail)', () => {
    const valid = JSON.parse(read(join(DIST, 'plugin.json'))) as PluginJson & Record<string, unknown>;
    expect(errors({ ...valid, unknownKey: true })).toEqual([' must NOT have additional properties']);
    expect(errors({ ...valid, info: { ...valid.info, author: { url: 'not a url' } } })).toEqual([
      '/info/author/url must match format "uri"',
    ]);
    expect(errors({ ...valid, dependencies: { grafanaDependency: 'eleven' } })).toHaveLength(1);
  });

  it('links nowhere that does not exist, and has a Grafana version range', () => {
    const plugin = JSON.parse(read(join(DIST, 'plugin.json'))) as PluginJson;
    // Sigil has no public web address yet: no author URL or info links until it has one.
    expect(plugin.info.author.url).toBeUndefined();
    for (const link of plugin.info.links ?? []) expect(link.url).toMatch(/^https:\/\//);
    expect(plugin.dependencies.grafanaDependency).toMatch(/^>=\d+\.\d+\.\d+$/);
  });

  it('names screenshots and logos that exist in the plugin folder', () => {
    const plugin = JSON.parse(read(join(DIST, 'plugin.json'))) as PluginJson;
    const screenshots = plugin.info.screenshots ?? [];
    expect(screenshots.length).toBeGreaterThanOrEqual(1);
    for (const { name, path } of screenshots) {
      expect(name.length).toBeGreaterThan(0);
      const png = readFileSync(join(DIST, path));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeGreaterThan(10_000);
    }
    for (const logo of [plugin.info.logos.small, plugin.info.logos.large]) {
      expect(statSync(join(DIST, logo)).size).toBeGreaterThan(0);
      expect(read(join(DIST, logo))).toContain('<svg');
    }
  });
});
