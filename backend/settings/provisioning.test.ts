// The provisioning files and the docker compose stack, checked the way Grafana reads them: YAML with
// environment variables expanded as Grafana's provisioning loader does, each data source run through the
// backend's settings parser, with the [aws] server options docker-compose.yaml gives Grafana.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { parseSettings } from './parse';
import { readAwsServerOptions } from './awsServer';
import type { AwsServerOptions } from './types';
import type { DataSourceInstanceSettings } from '../protocol/types';
import type { SigilJsonData, SigilSecureJsonData } from '../../src/shared/settings';
import { PLUGIN_ID } from '../version';

const ROOT = resolve(__dirname, '../..');
/** What docker-compose.yaml mounts: the one example data source a first start creates. */
const MOUNTED_DIR = join(ROOT, 'provisioning/datasources');
/** One file per auth mode, for admins to copy. */
const PROVISIONING_DIR = join(ROOT, 'provisioning/examples');
const COMPOSE_FILE = join(ROOT, 'docker-compose.yaml');

// Every settings key, checked against the types at compile time, so a typo'd key in a file is caught.
const JSON_KEYS = [
  'authType',
  'defaultRegion',
  'profile',
  'assumeRoleArn',
  'externalId',
  'endpoint',
  'service',
  'allowedUrls',
  'timeoutSeconds',
  'maxResponseBytes',
  'testUrl',
  'sigV4Auth',
  'sigV4AuthType',
  'sigV4Region',
  'sigV4AssumeRoleArn',
  'sigV4ExternalId',
  'sigV4Profile',
] as const satisfies ReadonlyArray<keyof SigilJsonData>;
const SECURE_KEYS = [
  'accessKey',
  'secretKey',
  'sessionToken',
  'sigV4AccessKey',
  'sigV4SecretKey',
] as const satisfies ReadonlyArray<keyof SigilSecureJsonData>;
// Fails to compile when SigilJsonData / SigilSecureJsonData gain a key that is not listed above.
const allJsonKeysListed: Exclude<keyof SigilJsonData, (typeof JSON_KEYS)[number]> extends never ? true : false = true;
const allSecureKeysListed: Exclude<keyof SigilSecureJsonData, (typeof SECURE_KEYS)[number]> extends never
  ? true
  : false = true;
/** Grafana-aws-sdk's alias for defaultRegion, accepted by the parser. */
const JSON_KEY_ALIASES = ['region'];

/** Keys of one entry of `datasources:` in Grafana's provisioning format (apiVersion 1). */
const DATASOURCE_KEYS = [
  'name',
  'type',
  'access',
  'orgId',
  'uid',
  'url',
  'user',
  'database',
  'basicAuth',
  'basicAuthUser',
  'withCredentials',
  'isDefault',
  'jsonData',
  'secureJsonData',
  'version',
  'editable',
];
const FILE_KEYS = ['apiVersion', 'datasources', 'deleteDatasources', 'prune'];

/**
 * Grafana's provisioning interpolation (pkg/services/provisioning/values): split on `$$` (a literal `$`),
 * expand `$__env{NAME}`, then `${NAME}` and `$NAME` like Go's os.ExpandEnv (unset = empty).
 */
export function expandGrafanaEnv(value: string, env: Record<string, string | undefined>): string {
  return value
    .split('$$')
    .map((part) =>
      part
        .replace(/\$__env\{([^}]*)\}/g, (_, name: string) => env[name.trim()] ?? '')
        .replace(
          /\$\{([^}]*)\}|\$([A-Za-z0-9_]+)/g,
          (_, braced?: string, bare?: string) => env[(braced ?? bare) as string] ?? '',
        ),
    )
    .join('$');
}

function expandDeep(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === 'string') return expandGrafanaEnv(value, env);
  if (Array.isArray(value)) return value.map((v) => expandDeep(v, env));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandDeep(v, env)]));
  }
  return value;
}

/** Names of the environment variables the values of a parsed file refer to (comments do not count). */
function referencedEnvVars(value: unknown, names = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    for (const m of value.replace(/\$\$/g, '').matchAll(/\$__env\{([^}]*)\}|\$\{([^}]*)\}|\$([A-Za-z0-9_]+)/g)) {
      names.add((m[1] ?? m[2] ?? m[3]).trim());
    }
  } else if (value && typeof value === 'object') {
    Object.values(value).forEach((v) => referencedEnvVars(v, names));
  }
  return names;
}

interface ProvisionedDataSource {
  name?: unknown;
  type?: unknown;
  uid?: unknown;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Everything wrong with one provisioning file's text; empty when Grafana and the backend accept it. */
export function checkProvisioningFile(
  text: string,
  env: Record<string, string | undefined>,
  server: AwsServerOptions,
): string[] {
  const problems: string[] = [];
  const doc = parse(text) as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object') return ['the file is empty or not a YAML mapping'];
  for (const key of Object.keys(doc)) {
    if (!FILE_KEYS.includes(key)) problems.push(`unknown top-level key "${key}"`);
  }
  if (doc.apiVersion !== 1) problems.push(`apiVersion must be 1 (got ${JSON.stringify(doc.apiVersion)})`);
  if (!Array.isArray(doc.datasources) || doc.datasources.length === 0) {
    problems.push('datasources must be a non-empty list');
    return problems;
  }
  for (const raw of doc.datasources as ProvisionedDataSource[]) {
    const ds = expandDeep(raw, env) as ProvisionedDataSource;
    const where = `data source ${JSON.stringify(ds.name ?? ds.uid ?? '?')}`;
    for (const key of Object.keys(ds)) {
      if (!DATASOURCE_KEYS.includes(key)) problems.push(`${where}: unknown key "${key}"`);
    }
    if (ds.type !== PLUGIN_ID) problems.push(`${where}: type must be ${PLUGIN_ID} (got ${JSON.stringify(ds.type)})`);
    if (typeof ds.uid !== 'string' || !/^[a-zA-Z0-9_-]{1,40}$/.test(ds.uid))
      problems.push(`${where}: uid must be 1-40 letters, digits, - or _`);
    if (typeof ds.name !== 'string' || ds.name.trim() === '') problems.push(`${where}: name is required`);
    const jsonData = ds.jsonData ?? {};
    const secure = ds.secureJsonData ?? {};
    for (const key of Object.keys(jsonData)) {
      if (!(JSON_KEYS as readonly string[]).includes(key) && !JSON_KEY_ALIASES.includes(key)) {
        problems.push(`${where}: unknown jsonData key "${key}"`);
      }
    }
    for (const [key, value] of Object.entries(secure)) {
      if (!(SECURE_KEYS as readonly string[]).includes(key))
        problems.push(`${where}: unknown secureJsonData key "${key}"`);
      if (typeof value !== 'string') problems.push(`${where}: secureJsonData.${key} must be a string`);
    }
    const settings: DataSourceInstanceSettings = {
      id: 1,
      uid: String(ds.uid),
      name: String(ds.name),
      url: typeof ds.url === 'string' ? ds.url : '',
      user: '',
      database: '',
      basicAuthEnabled: false,
      basicAuthUser: '',
      jsonData,
      jsonDataRaw: JSON.stringify(jsonData),
      decryptedSecureJsonData: Object.fromEntries(Object.entries(secure).map(([k, v]) => [k, String(v)])),
      lastUpdatedMS: 0,
      apiVersion: '',
    };
    try {
      parseSettings(settings, server, {});
    } catch (err) {
      problems.push(`${where}: ${(err as Error).message}`);
    }
  }
  return problems;
}

/** The YAML files of a folder; a folder without any is an error, so no test passes on an empty list. */
function provisioningFiles(dir = PROVISIONING_DIR): string[] {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  if (files.length === 0) throw new Error(`${dir} has no provisioning files`);
  return files;
}

/** docker compose's own interpolation of the compose file: ${VAR}, ${VAR:-default}, ${VAR-default}. */
function expandCompose(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\{([A-Za-z0-9_]+)(?:(:?-)([^}]*))?\}/g, (_, name: string, op?: string, fallback?: string) => {
    const value = env[name];
    if (op === ':-') return value ? value : (fallback ?? '');
    if (op === '-') return value ?? fallback ?? '';
    return value ?? '';
  });
}

interface ComposeService {
  image?: string;
  environment?: Record<string, string> | string[];
  volumes?: Array<string | { source: string; target: string }>;
}

function loadCompose(hostEnv: Record<string, string | undefined>): {
  grafana: ComposeService;
  env: Record<string, string>;
} {
  const doc = parse(expandCompose(readFileSync(COMPOSE_FILE, 'utf8'), hostEnv)) as {
    services?: Record<string, ComposeService>;
  };
  const grafana = doc.services?.grafana;
  if (!grafana) throw new Error('docker-compose.yaml has no services.grafana');
  const env: Record<string, string> = {};
  if (Array.isArray(grafana.environment)) {
    for (const entry of grafana.environment) {
      const i = entry.indexOf('=');
      env[i < 0 ? entry : entry.slice(0, i)] = i < 0 ? '' : entry.slice(i + 1);
    }
  } else {
    // Compose interpolates inside the YAML string, so `${VAR:-}` is an empty string there, never YAML's null.
    for (const [k, v] of Object.entries(grafana.environment ?? {})) env[k] = v === null ? '' : String(v);
  }
  return { grafana, env };
}

function mounts(service: ComposeService): Array<{ source: string; target: string }> {
  return (service.volumes ?? []).map((v) => {
    if (typeof v !== 'string') return v;
    const [source, target] = v.split(':');
    return { source, target };
  });
}

/** The [aws] options Grafana forwards to the plugin (grafanaConfig keys), from the GF_AWS_* variables. */
function forwardedAwsOptions(env: Record<string, string>): AwsServerOptions {
  const forwarded = (env.GF_AWS_FORWARD_SETTINGS_TO_PLUGINS ?? '').split(',').map((s) => s.trim());
  if (!forwarded.includes(PLUGIN_ID)) return readAwsServerOptions({}, {});
  const config: Record<string, string> = {};
  if (env.GF_AWS_ALLOWED_AUTH_PROVIDERS) config.AWS_AUTH_AllowedAuthProviders = env.GF_AWS_ALLOWED_AUTH_PROVIDERS;
  if (env.GF_AWS_ASSUME_ROLE_ENABLED) config.AWS_AUTH_AssumeRoleEnabled = env.GF_AWS_ASSUME_ROLE_ENABLED;
  if (env.GF_AWS_EXTERNAL_ID) config.AWS_AUTH_EXTERNAL_ID = env.GF_AWS_EXTERNAL_ID;
  if (env.GF_AWS_SESSION_DURATION) config.AWS_AUTH_SESSION_DURATION = env.GF_AWS_SESSION_DURATION;
  return readAwsServerOptions(config, {});
}

/** Grafana's default `[aws] forward_settings_to_plugins` (conf/defaults.ini). */
const GRAFANA_DEFAULT_FORWARD_LIST = [
  'cloudwatch',
  'grafana-athena-datasource',
  'grafana-redshift-datasource',
  'grafana-x-ray-datasource',
  'grafana-timestream-datasource',
  'grafana-iot-sitewise-datasource',
  'grafana-iot-twinmaker-app',
  'grafana-opensearch-datasource',
  'aws-datasource-provisioner',
  'elasticsearch',
  'prometheus',
];

// A host with every variable the stack reads set, as a user following the README would have it.
const HOST_ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  SIGIL_EXTERNAL_ID: 'sigil-external-id-1',
  AMP_WORKSPACE_ID: 'ws-12345678-1234-1234-1234-123456789012',
};

describe('provisioning/examples', () => {
  // The compose stack's environment, plus the variables only the examples use (set when copying one).
  const grafanaEnv = {
    ...loadCompose(HOST_ENV).env,
    SIGIL_EXTERNAL_ID: HOST_ENV.SIGIL_EXTERNAL_ID,
    AMP_WORKSPACE_ID: HOST_ENV.AMP_WORKSPACE_ID,
  };
  const server = forwardedAwsOptions(grafanaEnv);

  it('has one file per auth mode', () => {
    expect(allJsonKeysListed && allSecureKeysListed).toBe(true);
    const docs = provisioningFiles().flatMap(
      (f) => parse(readFileSync(join(PROVISIONING_DIR, f), 'utf8')).datasources as ProvisionedDataSource[],
    );
    const modes = docs.map((d) => {
      const j = d.jsonData ?? {};
      if (j.sigV4Auth === true) return `prometheus-sigv4:${String(j.sigV4AuthType)}`;
      if (j.service === 'aps') return 'amp';
      if (j.assumeRoleArn && j.externalId) return 'assume-role+external-id';
      return String(j.authType);
    });
    expect(modes.sort()).toEqual([
      'amp',
      'assume-role+external-id',
      'credentials',
      'default',
      'keys',
      'prometheus-sigv4:keys',
    ]);
  });

  it.each(provisioningFiles())('%s is accepted by the settings parser with the compose stack environment', (file) => {
    expect(checkProvisioningFile(readFileSync(join(PROVISIONING_DIR, file), 'utf8'), grafanaEnv, server)).toEqual([]);
  });

  it('gives every data source its own uid and name, and none is the organisation default (safe to copy)', () => {
    const all = [MOUNTED_DIR, PROVISIONING_DIR].flatMap((dir) =>
      provisioningFiles(dir).flatMap(
        (f) => parse(readFileSync(join(dir, f), 'utf8')).datasources as ProvisionedDataSource[],
      ),
    );
    expect(all.length).toBe(7);
    expect(new Set(all.map((d) => d.uid)).size).toBe(all.length);
    expect(new Set(all.map((d) => d.name)).size).toBe(all.length);
    expect(all.filter((d) => d.isDefault === true)).toEqual([]);
  });

  it('keeps secrets out of the files: every secureJsonData value is an environment reference', () => {
    const secrets = provisioningFiles().flatMap((file) =>
      (parse(readFileSync(join(PROVISIONING_DIR, file), 'utf8')).datasources as ProvisionedDataSource[]).flatMap((d) =>
        Object.entries(d.secureJsonData ?? {}).map(([key, value]) => ({ file, key, value })),
      ),
    );
    expect(secrets.length).toBe(4); // keys and Prometheus sigV4 keys: an access key and a secret each
    for (const secret of secrets) {
      expect(secret).toEqual({ ...secret, value: expect.stringMatching(/^\$\{[A-Z0-9_]+\}$/) });
    }
  });

  it('puts the expanded secrets where the parser reads them', () => {
    const text = readFileSync(join(PROVISIONING_DIR, 'sigil-keys.yaml'), 'utf8');
    const ds = expandDeep(parse(text).datasources[0], grafanaEnv) as ProvisionedDataSource;
    expect(ds.secureJsonData).toEqual({
      accessKey: HOST_ENV.AWS_ACCESS_KEY_ID,
      secretKey: HOST_ENV.AWS_SECRET_ACCESS_KEY,
    });
    expect(ds.jsonData?.allowedUrls).toContain('https://monitoring.eu-west-1.amazonaws.com/');
  });

  describe('catches typos', () => {
    const keysFile = readFileSync(join(PROVISIONING_DIR, 'sigil-keys.yaml'), 'utf8');
    const assumeFile = readFileSync(join(PROVISIONING_DIR, 'sigil-assume-role.yaml'), 'utf8');

    it('in a jsonData key', () => {
      const typo = assumeFile.replace('assumeRoleArn:', 'assumeRoleARN:');
      expect(checkProvisioningFile(typo, grafanaEnv, server)).toEqual(
        expect.arrayContaining(['data source "Sigil (assume role)": unknown jsonData key "assumeRoleARN"']),
      );
    });

    it('in a secureJsonData key (the secret key is then missing)', () => {
      const problems = checkProvisioningFile(keysFile.replace('secretKey:', 'secretkey:'), grafanaEnv, server);
      expect(problems).toEqual(
        expect.arrayContaining([
          'data source "Sigil (access keys)": unknown secureJsonData key "secretkey"',
          expect.stringMatching(/Secret access key is required/),
        ]),
      );
    });

    it('in a value', () => {
      expect(
        checkProvisioningFile(keysFile.replace('authType: keys', 'authType: key'), grafanaEnv, server).join('\n'),
      ).toMatch(/Authentication provider "key" is not supported/);
      expect(
        checkProvisioningFile(
          assumeFile.replace('arn:aws:iam::123456789012:role/', 'arn:aws:iam:123456789012:role/'),
          grafanaEnv,
          server,
        ).join('\n'),
      ).toMatch(/not an IAM role ARN/);
    });

    it('in the plugin type, the apiVersion, or a data source key', () => {
      const text = keysFile
        .replace('type: sigil-awsapi-datasource', 'type: sigil-aws-datasource')
        .replace('apiVersion: 1', 'apiVersion: 2')
        .replace('editable: true', 'editible: true');
      expect(checkProvisioningFile(text, grafanaEnv, server)).toEqual(
        expect.arrayContaining([
          'apiVersion must be 1 (got 2)',
          'data source "Sigil (access keys)": type must be sigil-awsapi-datasource (got "sigil-aws-datasource")',
          'data source "Sigil (access keys)": unknown key "editible"',
        ]),
      );
    });

    it('in an environment variable name (the value expands to nothing)', () => {
      const typo = keysFile.replace('${AWS_ACCESS_KEY_ID}', '${AWS_ACCESS_KEY}');
      expect(checkProvisioningFile(typo, grafanaEnv, server).join('\n')).toMatch(/Access key ID is required/);
    });
  });

  it('expands variables the way Grafana does', () => {
    const env = { A: 'x', B_2: 'y' };
    expect(expandGrafanaEnv('${A}-$B_2-$$A-$__env{A}-${MISSING}.', env)).toBe('x-y-$A-x-.');
  });
});

describe('docker-compose.yaml', () => {
  const { grafana, env } = loadCompose(HOST_ENV);
  const pluginJson = JSON.parse(readFileSync(join(ROOT, 'src/plugin.json'), 'utf8')) as {
    id: string;
    executable: string;
  };

  it("runs Grafana's default (Alpine) image, which the self-contained executables need nothing from", () => {
    expect(grafana.image).toMatch(/^grafana\/grafana(-enterprise)?:\d+\.\d+\.\d+$/);
  });

  it('mounts dist/ as the plugin folder named after the plugin id', () => {
    expect(pluginJson.id).toBe(PLUGIN_ID);
    const pluginMount = mounts(grafana).find((m) => m.target.startsWith('/var/lib/grafana/plugins/'));
    expect(pluginMount).toEqual({ source: './dist', target: `/var/lib/grafana/plugins/${PLUGIN_ID}` });
    // webpack writes module.js and plugin.json there; build-backend.mjs the executable Grafana starts.
    const webpackConfig = createRequire(__filename)(join(ROOT, 'webpack.config.js'))({}, { mode: 'production' }) as {
      output: { path: string };
    };
    expect(webpackConfig.output.path).toBe(join(ROOT, 'dist'));
    expect(pluginJson.executable).toBe('gpx_sigil');
  });

  it('mounts one example data source where Grafana reads data sources, and not as the org default', () => {
    const provisioningMount = mounts(grafana).find((m) => m.target === '/etc/grafana/provisioning/datasources');
    expect(provisioningMount?.source).toBe('./provisioning/datasources');
    expect(resolve(ROOT, provisioningMount?.source ?? '')).toBe(MOUNTED_DIR);
    const mounted = provisioningFiles(MOUNTED_DIR).flatMap(
      (f) => parse(readFileSync(join(MOUNTED_DIR, f), 'utf8')).datasources as ProvisionedDataSource[],
    );
    expect(mounted.map((d) => ({ type: d.type, isDefault: d.isDefault }))).toEqual([
      { type: PLUGIN_ID, isDefault: false },
    ]);
    // Nothing in the mounted folder mounts the examples by accident.
    expect(mounts(grafana).map((m) => m.source)).not.toContain('./provisioning/examples');
  });

  it.each(provisioningFiles(MOUNTED_DIR))(
    'mounted %s is accepted by the settings parser, with and without AWS variables on the host',
    (file) => {
      const text = readFileSync(join(MOUNTED_DIR, file), 'utf8');
      expect(checkProvisioningFile(text, env, forwardedAwsOptions(env))).toEqual([]);
      const bare = loadCompose({}).env;
      expect(checkProvisioningFile(text, bare, forwardedAwsOptions(bare))).toEqual([]);
    },
  );

  it("forwards the [aws] settings to Sigil and keeps Grafana's default list", () => {
    const forwarded = env.GF_AWS_FORWARD_SETTINGS_TO_PLUGINS.split(',').map((s) => s.trim());
    expect(forwarded).toEqual(expect.arrayContaining([...GRAFANA_DEFAULT_FORWARD_LIST, PLUGIN_ID]));
  });

  it('allows the unsigned plugin and forwards the [aws] options to it', () => {
    expect(env.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS.split(',').map((s) => s.trim())).toContain(PLUGIN_ID);
    expect(env.GF_AWS_FORWARD_SETTINGS_TO_PLUGINS.split(',').map((s) => s.trim())).toContain(PLUGIN_ID);
    const server = forwardedAwsOptions(env);
    expect(server.source).toBe('grafanaConfig');
    expect(server.warnings).toEqual([]);
    expect(server.allowedAuthProviders).toEqual(['default', 'keys', 'credentials', 'ec2_iam_role']);
    expect(server.assumeRoleEnabled).toBe(true);
  });

  it('passes every environment variable the provisioning files refer to', () => {
    const referenced = new Set<string>();
    provisioningFiles(MOUNTED_DIR).forEach((f) =>
      referencedEnvVars(parse(readFileSync(join(MOUNTED_DIR, f), 'utf8')), referenced),
    );
    expect([...referenced].sort()).toEqual(['AWS_REGION']);
    expect([...referenced].filter((name) => !(name in env))).toEqual([]);
  });

  it('with no AWS variables on the host, only the examples that need keys complain, naming the missing key', () => {
    const bare = loadCompose({}).env;
    expect(bare.AWS_REGION).toBe('us-east-1');
    const server = forwardedAwsOptions(bare);
    const problems = provisioningFiles().flatMap((f) =>
      checkProvisioningFile(readFileSync(join(PROVISIONING_DIR, f), 'utf8'), bare, server),
    );
    // One line per data source: the keys example and the Prometheus sigV4 keys example, each missing both keys.
    expect(problems).toEqual([
      expect.stringMatching(
        /^data source "Sigil \(access keys\)": .*Access key ID is required.*; Secret access key is required/,
      ),
      expect.stringMatching(
        /^data source "Sigil \(Prometheus SigV4 keys\)": .*Access key ID.* is required.*; Secret access key.* is required/,
      ),
    ]);
  });
});
