import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseJson } from './json';
import { parseXml } from './xml';
import { parseDelimited } from './csv';
import { parsePrometheus, seriesName } from './prometheus';
import { detectFormat } from './detect';

// Parsed documents are walked by known paths in these tests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

const data = (name: string) => readFileSync(path.join(__dirname, '../testdata', name), 'utf8');

describe('JSON', () => {
  it('parses and names line and column of a syntax error', () => {
    expect(parseJson('{"a":[1,2]}')).toEqual({ a: [1, 2] });
    expect(() => parseJson('{\n  "a": [1,\n  2,,]\n}')).toThrow(/not valid JSON at line 3, column 5/);
    expect(() => parseJson('{"a": 1')).toThrow(/not valid JSON at line 1, column 8/);
  });
});

describe('XML (AWS Query API answers)', () => {
  it('turns member lists into arrays, keeps text as text (account ids keep their zeros)', () => {
    const doc = parseXml(data('listMetrics.xml')) as Doc;
    const metrics = doc.ListMetricsResponse.ListMetricsResult.Metrics;
    expect(Array.isArray(metrics)).toBe(true);
    expect(metrics[1]).toEqual({
      Dimensions: [{ Name: 'QueueName', Value: 'orders' }],
      MetricName: 'NumberOfMessagesSent',
      Namespace: 'AWS/SQS',
    });
    const sts = parseXml(data('getCallerIdentity.xml')) as Doc;
    expect(sts.GetCallerIdentityResponse.GetCallerIdentityResult.Account).toBe('012345678901');
  });

  it('makes a one-member list an array too, and an empty list empty', () => {
    const doc = parseXml('<R><Items><member><a>1</a></member></Items><None/></R>') as Doc;
    expect(doc.R.Items).toEqual([{ a: '1' }]);
    expect(doc.R.None).toBe('');
  });

  it('names line and column of malformed XML', () => {
    expect(() => parseXml('<a>\n  <b></a>')).toThrow(/not valid XML at line 2, column/);
  });
});

describe('CSV/TSV', () => {
  it('reads a header and rows; names the line of an error', () => {
    expect(parseDelimited('a,b\n1,"x,y"\n', ',')).toEqual([{ a: '1', b: 'x,y' }]);
    expect(parseDelimited('a\tb\n1\t2\n', '\t')).toEqual([{ a: '1', b: '2' }]);
    expect(() => parseDelimited('a,b\n1,2,3\n', ',')).toThrow(/not valid CSV at line 2/);
    expect(() => parseDelimited('a,b\n1,"2\n', ',')).toThrow(/not valid CSV at line 2: Quote Not Closed/);
  });
});

describe('Prometheus API', () => {
  it('gives one frame per series with labels, float64 values, Prometheus names', () => {
    const frames = parsePrometheus(data('queryRange.json'));
    expect(frames).toHaveLength(2);
    const [a, b] = frames;
    expect(a.name).toBe('up{instance="a:9100", job="node"}');
    expect(a.meta).toEqual({ type: 'timeseries-multi', typeVersion: [0, 1] });
    expect(a.fields[0]).toEqual({ name: 'Time', type: 'time', values: [1714550400000, 1714550415000, 1714550430000] });
    expect(a.fields[1].labels).toEqual({ __name__: 'up', job: 'node', instance: 'a:9100' });
    expect(a.fields[1].values.slice(0, 2)).toEqual([1, 0]);
    expect(Number.isNaN(a.fields[1].values[2])).toBe(true);
    expect(b.fields[1].values).toEqual([Infinity, -Infinity, 0.25]);
  });

  it('reads vector, scalar and string results', () => {
    const vector = parsePrometheus(
      '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"x"},"value":[1.5,"2.5"]}]}}',
    );
    expect(vector[0].fields[0].values).toEqual([1500]);
    expect(vector[0].fields[1]).toMatchObject({ values: [2.5], labels: { job: 'x' } });
    expect(vector[0].name).toBe('{job="x"}');
    const scalar = parsePrometheus('{"status":"success","data":{"resultType":"scalar","result":[10,"3"]}}');
    expect(scalar[0].fields[1].values).toEqual([3]);
    const str = parsePrometheus('{"status":"success","data":{"resultType":"string","result":[10,"hi"]}}');
    expect(str[0].fields[1]).toEqual({ name: 'Value', type: 'string', values: ['hi'] });
  });

  it('passes warnings as notices and errors as downstream errors', () => {
    const w = parsePrometheus('{"status":"success","warnings":["partial"],"data":{"resultType":"vector","result":[]}}');
    expect(w[0].meta?.notices).toEqual([{ severity: 'warning', text: 'partial' }]);
    expect(() => parsePrometheus('{"status":"error","errorType":"bad_data","error":"parse error at char 3"}')).toThrow(
      /bad_data: parse error at char 3/,
    );
    expect(() =>
      parsePrometheus(
        '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"x"]]}]}}',
      ),
    ).toThrow(/data.result\[0\] sample 0: "x" is not a number/);
    expect(() => parsePrometheus('{"status":"success","data":{"resultType":"tensor"}}')).toThrow(/unknown resultType/);
  });

  it('names series without __name__ by labels only', () => {
    expect(seriesName({})).toBe('Value');
    expect(seriesName({ __name__: 'up' })).toBe('up');
  });
});

describe('format detection', () => {
  it.each([
    ['application/json', '', 'json'],
    ['application/x-amz-json-1.1', '', 'json'],
    ['text/xml; charset=utf-8', '', 'xml'],
    ['application/vnd.api+json', '', 'json'],
    ['text/csv', '', 'csv'],
    ['text/tab-separated-values', '', 'tsv'],
    [undefined, '  [1]', 'json'],
    ['text/plain', '<a/>', 'xml'],
  ])('%s %j -> %s', (ct, text, format) => {
    expect(detectFormat(ct, text)).toBe(format);
  });
  it('asks for a format when it cannot tell', () => {
    expect(() => detectFormat('text/plain', 'hello')).toThrow(/choose json, xml, csv or tsv/);
  });
});
