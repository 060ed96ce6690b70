import { setTemplateSrv, type TemplateSrv } from '@grafana/runtime';
import type { DataSourceInstanceSettings, ScopedVars } from '@grafana/data';
import { SigilDataSource, asVariableQuery } from './datasource';
import { fakeTemplateSrv } from './__tests__/fakeTemplateSrv';
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

describe('multi-value and "All" variables (Grafana replacement rules)', () => {
  const vars = fakeTemplateSrv([
    { name: 'instance', current: ['i-1', 'i-2'] },
    { name: 'queue', current: '$__all', options: ['q1', 'q2', 'q3'] },
    { name: 'bucket', current: '$__all', options: ['a', 'b'], allValue: '*' },
    { name: 'region', current: 'eu-west-1' },
    { name: 'note', current: 'say "hi"' },
  ]);
  beforeAll(() => setTemplateSrv(vars));
  afterAll(() => setTemplateSrv(templateSrv));

  it('repeats params and numbers AWS Query list members; joins elsewhere; explicit formats win', () => {
    const out = dataSource().applyTemplateVariables(
      {
        refId: 'A',
        url: 'https://sqs.$region.amazonaws.com/${queue}/$unknown',
        params: [
          { key: 'InstanceId', value: '$instance' },
          { key: 'Ids', value: '${instance:csv}' },
          { key: 'Label', value: 'q-$queue' },
          { key: 'Bucket', value: '$bucket' },
        ],
        headers: [{ key: 'X-Instances', value: '$instance' }],
        bodyType: 'form',
        form: [
          { key: 'Action', value: 'DescribeInstances' },
          { key: 'InstanceId.1', value: '[[instance]]' },
          { key: 'QueueUrls.member.1', value: '${queue}' },
          { key: 'Pipe', value: '${instance:pipe}' },
        ],
      },
      {},
    );
    expect(out.url).toBe('https://sqs.eu-west-1.amazonaws.com/q1,q2,q3/$unknown');
    expect(out.params).toEqual([
      { key: 'InstanceId', value: 'i-1' },
      { key: 'InstanceId', value: 'i-2' },
      { key: 'Ids', value: 'i-1,i-2' },
      { key: 'Label', value: 'q-q1,q2,q3' },
      { key: 'Bucket', value: '*' },
    ]);
    expect(out.headers).toEqual([{ key: 'X-Instances', value: 'i-1,i-2' }]);
    expect(out.form).toEqual([
      { key: 'Action', value: 'DescribeInstances' },
      { key: 'InstanceId.1', value: 'i-1' },
      { key: 'InstanceId.2', value: 'i-2' },
      { key: 'QueueUrls.member.1', value: 'q1' },
      { key: 'QueueUrls.member.2', value: 'q2' },
      { key: 'QueueUrls.member.3', value: 'q3' },
      { key: 'Pipe', value: 'i-1|i-2' },
    ]);
  });

  it('JSON bodies: ${var:json} gives a list, plain references are escaped for a JSON string', () => {
    const out = dataSource().applyTemplateVariables(
      {
        refId: 'A',
        url: 'https://x/',
        bodyType: 'json',
        body: '{"InstanceIds": ${instance:json}, "Note": "$note", "Joined": "$instance", "Queues": ${queue:json}}',
      },
      {},
    );
    expect(JSON.parse(out.body as string)).toEqual({
      InstanceIds: ['i-1', 'i-2'],
      Note: 'say "hi"',
      Joined: 'i-1,i-2',
      Queues: ['q1', 'q2', 'q3'],
    });
  });
});

describe('variable and annotation support', () => {
  it('registers a custom variable editor whose queries run as queryType variable', () => {
    const ds = dataSource();
    expect(ds.variables?.getType()).toBe('custom');
    expect(asVariableQuery('legacy text' as unknown as SigilQuery)).toMatchObject({
      queryType: 'variable',
      url: 'https://sts.amazonaws.com/',
    });
    expect(asVariableQuery({ refId: 'V', url: 'https://x/', variable: { valueField: 'Id' } })).toEqual({
      refId: 'V',
      url: 'https://x/',
      variable: { valueField: 'Id' },
      queryType: 'variable',
    });
  });

  it('turns an annotation target into an annotation query', () => {
    const ds = dataSource();
    const target: SigilQuery = { refId: 'Anno', url: 'https://logs/', annotation: { textField: 'message' } };
    expect(ds.annotations?.prepareQuery?.({ name: 'deploys', enable: true, iconColor: 'red', target })).toEqual({
      ...target,
      queryType: 'annotation',
    });
    expect(ds.annotations?.prepareQuery?.({ name: 'empty', enable: true, iconColor: 'red' })).toBeUndefined();
    expect(ds.annotations?.QueryEditor).toBeDefined();
  });
});
