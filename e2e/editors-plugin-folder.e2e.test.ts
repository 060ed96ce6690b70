// The plugin folder docker-compose.yaml mounts (./dist -> /var/lib/grafana/plugins/<id>), as `npm run build`
// leaves it: what Grafana needs to load the frontend and start the backend.
import { accessSync, closeSync, constants, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(__dirname, '..');
const DIST = join(ROOT, 'dist');

describe('dist/ as the mounted plugin folder', () => {
  const pluginJson = JSON.parse(readFileSync(join(DIST, 'plugin.json'), 'utf8')) as {
    id: string;
    backend: boolean;
    executable: string;
    info: { version: string; updated: string };
  };

  it('is mounted under the plugin id', () => {
    const compose = parse(readFileSync(join(ROOT, 'docker-compose.yaml'), 'utf8')) as {
      services: { grafana: { volumes: string[] } };
    };
    expect(compose.services.grafana.volumes).toContain(`./dist:/var/lib/grafana/plugins/${pluginJson.id}:ro`);
  });

  it('has plugin.json with the build placeholders filled in', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(pluginJson.id).toBe('sigil-awsapi-datasource');
    expect(pluginJson.backend).toBe(true);
    expect(pluginJson.info.version).toBe(pkg.version);
    expect(pluginJson.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('has module.js as an AMD module that takes React and @grafana/* from Grafana', () => {
    const moduleJs = readFileSync(join(DIST, 'module.js'), 'utf8');
    const deps = JSON.parse(/^define\((\[[^\]]*\])/.exec(moduleJs)?.[1] ?? 'null') as string[] | null;
    expect(deps).toEqual(
      expect.arrayContaining(['@grafana/data', '@grafana/runtime', '@grafana/ui', 'react', 'module']),
    );
    // JSX is compiled to React.createElement: Grafana shares react/jsx-runtime with plugins only from 12.3
    // (and 11.6.11, 12.0.10, 12.1.7, 12.2.5), so asking for it would break older Grafana versions.
    expect(deps?.filter((d) => d.startsWith('react/'))).toEqual([]);
    // Bundling React or @grafana/ui by mistake would make it megabytes.
    expect(moduleJs.length).toBeLessThan(200 * 1024);
    expect(statSync(join(DIST, 'img/logo.svg')).size).toBeGreaterThan(0);
  });

  it('has the backend executable Grafana starts on linux/amd64', () => {
    const exe = join(DIST, `${pluginJson.executable}_linux_amd64`);
    expect(() => accessSync(exe, constants.X_OK)).not.toThrow();
    // ELF, as the glibc (-ubuntu) Grafana image runs it.
    const head = Buffer.alloc(4);
    const fd = openSync(exe, 'r');
    readSync(fd, head, 0, 4, 0);
    closeSync(fd);
    expect(head).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  });
});
