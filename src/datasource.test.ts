import { setTemplateSrv, type TemplateSrv } from '@grafana/runtime';
import type { DataSourceInstanceSettings, ScopedVars } from '@grafana/data';
import { SigilDataSource } from './datasource';
import type { SigilJsonData } from './shared/settings';
import type { SigilQuery } from './shared/query';

function dataSource(): SigilDataSource {
  return new SigilDataSource({
    id: 1,
    uid: 'sigil',
    type: 'sigil-awsapi-datasource',
    name: 'Sigil',
    access: 'proxy',
    readOnly: false,
    jsonData: { defaultRegion: 'eu-west-1' },
    meta: {} as DataSourceInstanceSettings<SigilJsonData>['meta'],
  });
}

// A template service that knows $region and $ns, and the scoped $instance of a repeated panel.
const templateSrv = {
  replace: (text: string, scoped?: ScopedVars) =>
    text
      .replace(/\$region/g, 'eu-west-1')
      .replace(/\$ns/g, 'AWS/EC2')
      .replace(/\$instance/g, String(scoped?.instance?.value ?? '$instance')),
} as unknown as TemplateSrv;

beforeAll(() => setTemplateSrv(templateSrv));

describe('SigilDataSource', () => {
  it('expands template variables in every text part of the request', () => {
    const query: SigilQuery = {
      refId: 'A',
      url: 'https://monitoring.$region.amazonaws.com/',
      params: [{ key: 'Namespace', value: '$ns' }],
      headers: [{ key: 'X-Region', value: '$region' }],
      body: '{"ns": "$ns"}',
      form: [{ key: 'InstanceId', value: '$instance' }],
      rootSelector: 'Metrics[Namespace="$ns"]',
      uql: 'parse-json | where "Region" == "$region"',
      format: 'json',
    };
    const out = dataSource().applyTemplateVariables(query, { instance: { text: 'i-1', value: 'i-1' } });
    expect(out).toEqual({
      refId: 'A',
      url: 'https://monitoring.eu-west-1.amazonaws.com/',
      params: [{ key: 'Namespace', value: 'AWS/EC2' }],
      headers: [{ key: 'X-Region', value: 'eu-west-1' }],
      body: '{"ns": "AWS/EC2"}',
      form: [{ key: 'InstanceId', value: 'i-1' }],
      rootSelector: 'Metrics[Namespace="AWS/EC2"]',
      uql: 'parse-json | where "Region" == "eu-west-1"',
      format: 'json',
    });
    // The stored query is not changed.
    expect(query.url).toContain('$region');
  });

  it('leaves absent parts absent', () => {
    expect(dataSource().applyTemplateVariables({ refId: 'B', url: 'https://x/' }, {})).toEqual({
      refId: 'B',
      url: 'https://x/',
      params: undefined,
      headers: undefined,
      body: undefined,
      form: undefined,
      rootSelector: undefined,
      uql: undefined,
    });
  });

  it('defaults a new query to STS GetCallerIdentity', () => {
    expect(dataSource().getDefaultQuery()).toMatchObject({
      url: 'https://sts.amazonaws.com/',
      form: [
        { key: 'Action', value: 'GetCallerIdentity' },
        { key: 'Version', value: '2011-06-15' },
      ],
      format: 'xml',
    });
  });

  it('skips hidden queries and queries without a URL', () => {
    const ds = dataSource();
    expect(ds.filterQuery({ refId: 'A', url: 'https://x/' })).toBe(true);
    expect(ds.filterQuery({ refId: 'A', url: 'https://x/', hide: true })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', url: '  ' })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', queryType: 'echo' })).toBe(true);
  });
});
