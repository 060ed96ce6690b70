import type { SigilQuery } from '../../src/shared/query';
import { inferColumnType } from './infer';
import { runQuery } from './engine';
import { emptyXmlListsAsLists } from './parse/xmlLists';
import { parseXml } from './parse/xml';
import { FakeProxy, JSON_HEADERS, XML_HEADERS } from './testing';
import type { Field } from '../frames/model';

const T = Date.UTC(2024, 4, 1, 10, 0, 0);

describe('inferColumnType on text values (XML, CSV)', () => {
  it.each([
    // name, values, type, format
    ['Size', ['8', '1024', '0'], 'number', undefined],
    ['Value', ['-1.5', '2e3', '0.25'], 'number', undefined],
    ['Price', ['2.50', '3.25', '10.00'], 'number', undefined], // fixed-point: trailing zeros are formatting
    ['Healthy', ['true', 'FALSE', 'True'], 'boolean', undefined],
    ['LastModified', ['2024-05-01T10:00:00.000Z', '2024-05-01T11:30:00Z'], 'time', 'iso'],
    ['Day', ['2024-05-01', '2024-05-02'], 'time', 'iso'],
    ['When', ['2024-05-01 10:00:00', '2024-05-01T10:00:00+02:00'], 'time', 'iso'],
    ['Timestamp', ['1714557600', '1714557660'], 'time', 'epoch_s'],
    ['EventTime', ['1714557600123', '1714557660000'], 'time', 'epoch_ms'],
    ['created_at', ['1714557600.5'], 'time', 'epoch_s'],
    ['Count', ['1714557600', '1714557660'], 'number', undefined], // not a time name: a number
    ['with blanks', ['1', '', '3'], 'number', undefined],
    // must stay strings
    ['Zip', ['02139', '10001'], 'string', undefined],
    ['code', ['007', '123'], 'string', undefined], // an id with leading zeros
    ['Engine', ['1.10', '1.9', '2.0'], 'string', undefined], // version numbers
    ['Version', ['1.10'], 'string', undefined],
    ['InstanceId', ['1234', '5678'], 'string', undefined],
    ['Account', ['123456789012'], 'string', undefined],
    ['OwnerID', ['42'], 'string', undefined],
    ['Big', ['123456789012345678901'], 'string', undefined], // too long for a float64
    ['mixed', ['1', 'two', '3'], 'string', undefined],
    ['flags', ['true', '1'], 'string', undefined],
    ['times', ['2024-05-01T10:00:00Z', 'soon'], 'string', undefined],
    ['Year', ['2024-13-01'], 'string', undefined],
    ['Leap', ['2024-02-29', '2023-02-29'], 'string', undefined], // 2023 has no 29 February
    ['none', ['', ''], 'string', undefined],
  ] as const)('%s %j -> %s %s', (name, values, type, timeFormat) => {
    expect(inferColumnType(name, values, 'text')).toEqual(timeFormat ? { type, timeFormat } : { type });
  });
});

describe('inferColumnType on typed values (JSON)', () => {
  it.each([
    ['n', [1, 2.5, null], 'number', undefined],
    ['Timestamps', [1714557600, 1714557660], 'time', 'epoch_s'],
    ['timestamp', [1714557600123], 'time', 'epoch_ms'],
    ['ingestionTime', [1714557600123], 'time', 'epoch_ms'],
    ['Start', ['2024-05-01', '2024-05-02'], 'time', 'iso'],
    ['at', ['2024-05-01T10:00:00Z'], 'time', 'iso'],
    ['s', ['8', '9'], 'string', undefined], // JSON text stays text: the API chose a string
    ['b', [true, false], 'boolean', undefined],
    ['m', [1, 'x'], 'string', undefined],
    ['o', [{ a: 1 }], 'string', undefined],
  ] as const)('%s %j -> %s %s', (name, values, type, timeFormat) => {
    expect(inferColumnType(name, values, 'typed')).toEqual(timeFormat ? { type, timeFormat } : { type });
  });
});

function engine(contentType: string, body: string) {
  const proxy = new FakeProxy(() => ({ headers: { 'content-type': contentType }, body }));
  return (q: Partial<SigilQuery>) =>
    runQuery(
      { refId: 'A', url: 'https://x.amazonaws.com/', ...q },
      { proxy, settings: {}, timeRange: { fromMs: 0, toMs: 1 }, intervalMs: 1000 },
    );
}
const summary = (fields: Field[]) => fields.map((f) => [f.name, f.type, f.values]);

describe('answers without columns', () => {
  it('XML: numbers, booleans, times and strings that must stay strings', async () => {
    const xml = `<ListBucketResult><Contents>
      <member><Key>a.csv</Key><Size>8</Size><LastModified>2024-05-01T10:00:00.000Z</LastModified><Public>false</Public><Zip>02139</Zip><Version>1.10</Version><ETag>"x"</ETag></member>
      <member><Key>b.csv</Key><Size>1024</Size><LastModified>2024-05-01T11:00:00.000Z</LastModified><Public>true</Public><Zip>10001</Zip><Version>1.9</Version><ETag>"y"</ETag></member>
    </Contents></ListBucketResult>`;
    const [frame] = await engine('text/xml', xml)({ rootSelector: 'ListBucketResult.Contents' });
    expect(summary(frame.fields)).toEqual([
      ['Key', 'string', ['a.csv', 'b.csv']],
      ['Size', 'number', [8, 1024]],
      ['LastModified', 'time', [T, T + 3_600_000]],
      ['Public', 'boolean', [false, true]],
      ['Zip', 'string', ['02139', '10001']],
      ['Version', 'string', ['1.10', '1.9']],
      ['ETag', 'string', ['"x"', '"y"']],
    ]);
  });

  it('CSV: the same rules, empty cells are missing values', async () => {
    const csv =
      'Date,Service,Cost,Billed,id,Build\n2024-05-01,EC2,1.50,true,0012,1.10\n2024-05-02,S3,,false,0013,1.9\n';
    const [frame] = await engine('text/csv', csv)({});
    expect(summary(frame.fields)).toEqual([
      ['Date', 'time', [Date.UTC(2024, 4, 1), Date.UTC(2024, 4, 2)]],
      ['Service', 'string', ['EC2', 'S3']],
      ['Cost', 'number', [1.5, null]],
      ['Billed', 'boolean', [true, false]],
      ['id', 'string', ['0012', '0013']],
      ['Build', 'string', ['1.10', '1.9']],
    ]);
  });

  it('XML: an empty list is an empty list, not ""', async () => {
    const xml = `<ListMetricsResponse><ListMetricsResult><Metrics>
      <member><MetricName>A</MetricName><Dimensions><member><Name>Q</Name><Value>1</Value></member></Dimensions></member>
      <member><MetricName>B</MetricName><Dimensions/></member>
    </Metrics></ListMetricsResult></ListMetricsResponse>`;
    const [frame] = await engine('text/xml', xml)({ rootSelector: 'ListMetricsResponse.ListMetricsResult.Metrics' });
    expect(frame.fields[1]).toEqual({
      name: 'Dimensions',
      type: 'string',
      values: ['[{"Name":"Q","Value":"1"}]', '[]'],
    });
    const ec2 = emptyXmlListsAsLists(
      parseXml('<R><instancesSet><item><instanceId>i-1</instanceId><tagSet/><name/></item></instancesSet></R>'),
    );
    expect(ec2).toEqual({ R: { instancesSet: [{ instanceId: 'i-1', tagSet: [], name: '' }] } });
    const [none] = await engine('text/xml', '<R><Items/></R>')({ rootSelector: 'R.Items' });
    expect(none.fields).toEqual([]);
    expect(none.meta?.notices).toBeUndefined();
  });

  it('a root selector that matches nothing says so', async () => {
    const [frame] = await engine(
      JSON_HEADERS['content-type'],
      '{"Metrics": [], "NextToken": null}',
    )({ rootSelector: 'Metric' });
    expect(frame.fields).toEqual([]);
    expect(frame.meta?.notices).toEqual([
      {
        severity: 'warning',
        text: 'root selector "Metric" matched nothing: the answer has no "Metric" (it has "Metrics", "NextToken"); check the path',
      },
    ]);
    const [xml] = await engine(XML_HEADERS['content-type'], '<A><B>1</B></A>')({ rootSelector: 'A.C' });
    expect(xml.meta?.notices?.[0].text).toBe(
      'root selector "A.C" matched nothing: "A" has no "C" (it has "B"); check the path',
    );
    // An empty list on the way, or a filter that keeps nothing, is an empty result, not a wrong path.
    const [emptyWay] = await engine(
      XML_HEADERS['content-type'],
      '<R><reservationSet/></R>',
    )({ rootSelector: 'R.reservationSet.instancesSet' });
    expect(emptyWay.meta?.notices).toBeUndefined();
    const [filtered] = await engine(
      JSON_HEADERS['content-type'],
      '{"Metrics": [{"N": "a"}]}',
    )({ rootSelector: 'Metrics[N="b"]' });
    expect(filtered.meta?.notices).toBeUndefined();
    const [empty] = await engine(JSON_HEADERS['content-type'], '{"Metrics": []}')({ rootSelector: 'Metrics' });
    expect(empty.meta?.notices).toBeUndefined();
  });
});
