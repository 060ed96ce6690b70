import jsonata from 'jsonata';
import { CATALOGUE, awsUrl, defaultQueryFor, entryQuery, families, findEntry } from './index';
import { coverageProblem } from './coverage';
import { DEFAULT_QUERY, validateQuery, type SigilQuery } from '../shared/query';
import { fillBlank, fillBlanks, findBlanks } from '../shared/blanks';

const AWS = { defaultRegion: 'eu-west-1' };
const EMULATOR = { endpoint: 'http://127.0.0.1:5000', defaultRegion: 'us-east-1' };

function examples(entry: (typeof CATALOGUE)[number]): Record<string, string> {
  return Object.fromEntries(entry.blanks.map((b) => [b.name, b.example]));
}

/** Time macros and dashboard variables replaced by a number, as the backend would before parsing JSON. */
function withoutMacros(text: string): string {
  return text.replace(/\$\{[^}]*\}|\$__\w+/g, '1700000000');
}

describe('the catalogue', () => {
  it('has every entry the issue asks for, each id once', () => {
    const ids = CATALOGUE.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      'sts.get_caller_identity',
      'cloudwatch.get_metric_data',
      'cloudwatch.get_metric_statistics',
      'cloudwatch.list_metrics',
      'cloudwatch.describe_alarms',
      'logs.filter_log_events',
      'logs.start_query',
      'logs.get_query_results',
      'costexplorer.get_cost_and_usage',
      'ec2.describe_instances',
      's3.list_buckets',
      's3.list_objects_v2',
      's3.get_object_csv',
      's3.get_object_json',
      'dynamodb.scan',
      'dynamodb.query',
      'lambda.list_functions',
      'sqs.list_queues',
      'sqs.get_queue_attributes',
      'sns.list_topics',
      'kinesis.list_streams',
      'iam.list_users',
      'amp.query_range',
      'amp.query',
      'apigateway.get',
    ]) {
      expect(findEntry(id)?.id).toBe(id);
    }
    expect(families().map((f) => f.family)).toEqual([
      'STS',
      'CloudWatch',
      'CloudWatch Logs',
      'Cost Explorer',
      'EC2',
      'S3',
      'DynamoDB',
      'Lambda',
      'SQS',
      'SNS',
      'Kinesis',
      'IAM',
      'Amazon Managed Prometheus',
      'API Gateway',
    ]);
  });

  describe.each(CATALOGUE.map((e) => [e.id, e] as const))('%s', (_id, entry) => {
    const onAws = entryQuery(entry, AWS) as SigilQuery;

    it('documents exactly the blanks its query holds', () => {
      expect(
        findBlanks(onAws)
          .map((b) => b.name)
          .sort(),
      ).toEqual(entry.blanks.map((b) => b.name).sort());
    });

    // object_token and marker pagination are accepted by validateQuery once the engine follows them (queryshape branch).
    const pending = ['object_token', 'marker'].includes(entry.query.pagination?.mode ?? 'none');
    const check = (q: SigilQuery) => validateQuery(q).filter((p) => !(pending && p.path === 'pagination.mode'));

    it('is refused while a blank is empty, naming it, and valid once filled', () => {
      for (const blank of entry.blanks) {
        const others = Object.fromEntries(Object.entries(examples(entry)).filter(([k]) => k !== blank.name));
        expect(check({ ...fillBlanks(onAws, others), refId: 'A' }).map((p) => p.message)).toEqual([
          expect.stringContaining(`{{${blank.name}}}`),
        ]);
      }
      expect(check({ ...fillBlanks(onAws, examples(entry)), refId: 'A' })).toEqual([]);
    });

    it('has a JSON body that is JSON once macros are resolved, and root selectors that compile', () => {
      const filled = fillBlanks(onAws, examples(entry));
      if (filled.bodyType === 'json') {
        expect(() => JSON.parse(withoutMacros(filled.body ?? ''))).not.toThrow();
      }
      if (filled.rootSelector) {
        expect(() => jsonata(filled.rootSelector as string)).not.toThrow();
      }
    });

    it('goes to its AWS endpoint, or to the custom endpoint as a path signed for its service', () => {
      expect(onAws.url).toBe(awsUrl(entry, entry.region ?? 'eu-west-1'));
      expect(onAws.url).toMatch(/^https:\/\/[^/]+\.amazonaws\.com\//);
      expect(onAws.service).toBe(entry.service);
      const onEmulator = entryQuery(entry, EMULATOR);
      expect(onEmulator.url).toBe(`/${entry.path.replace(/^\//, '')}`);
      expect(onEmulator.service).toBe(entry.service);
    });
  });
});

describe('entryQuery', () => {
  const cw = findEntry('cloudwatch.list_metrics')!;

  it('fills the region from the query, else the data source, and keeps China suffixes', () => {
    expect(entryQuery(cw, { defaultRegion: 'eu-west-2' }).url).toBe('https://monitoring.eu-west-2.amazonaws.com/');
    expect(entryQuery(cw, { defaultRegion: 'eu-west-2', region: 'ap-south-1' }).url).toBe(
      'https://monitoring.ap-south-1.amazonaws.com/',
    );
    expect(entryQuery(cw, {}).url).toBe('https://monitoring.us-east-1.amazonaws.com/');
    expect(entryQuery(cw, { defaultRegion: 'cn-north-1' }).url).toBe('https://monitoring.cn-north-1.amazonaws.com.cn/');
  });

  it('pins global services to their signing region', () => {
    expect(entryQuery(findEntry('iam.list_users')!, AWS)).toMatchObject({
      url: 'https://iam.amazonaws.com/',
      region: 'us-east-1',
      service: 'iam',
    });
  });

  it('uses a custom endpoint signed for another service only for that service', () => {
    const amp = { endpoint: 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1', service: 'aps' };
    expect(entryQuery(findEntry('amp.query_range')!, amp).url).toBe('/api/v1/query_range');
    expect(entryQuery(cw, amp).url).toBe('https://monitoring.us-east-1.amazonaws.com/');
    expect(entryQuery(findEntry('amp.query')!, AWS).url).toBe(
      'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/{{WorkspaceId}}/api/v1/query',
    );
  });

  it('does not share objects between queries made from one entry', () => {
    const a = entryQuery(cw, AWS);
    a.form?.push({ key: 'x', value: 'y' });
    expect(entryQuery(cw, AWS).form).toHaveLength(3);
  });
});

describe('the default query', () => {
  it('is STS GetCallerIdentity at STS global endpoint without a custom endpoint', () => {
    expect(defaultQueryFor({ defaultRegion: 'eu-west-1' })).toBe(DEFAULT_QUERY);
  });

  it('goes to the custom endpoint root, signed for sts, whatever service the data source signs for', () => {
    for (const service of ['', 'aps', 'monitoring']) {
      const q = defaultQueryFor({ endpoint: 'http://127.0.0.1:5000', service });
      expect(q).toMatchObject({ method: 'POST', url: '/', service: 'sts', region: '' });
      expect(q.form).toEqual(DEFAULT_QUERY.form);
      expect(validateQuery({ ...q, refId: 'A' })).toEqual([]);
    }
  });
});

describe('blanks', () => {
  const q: SigilQuery = {
    refId: 'A',
    url: 'https://s3.us-east-1.amazonaws.com/{{Bucket}}/{{Key}}',
    bodyType: 'json',
    body: '{"TableName": "{{Bucket}}"}',
    form: [{ key: 'Name', value: '{{ Key }}' }],
  };

  it('are found with where they are', () => {
    expect(findBlanks(q)).toEqual([
      { name: 'Bucket', paths: ['url', 'body'] },
      { name: 'Key', paths: ['url', 'form[0].value'] },
    ]);
  });

  it('are filled the way each part needs: URL-encoded (slashes and variables kept), JSON-escaped, or as typed', () => {
    const filled = fillBlank(fillBlank(q, 'Bucket', 'my "b"'), 'Key', 'reports/100% done?.csv');
    expect(filled.url).toBe('https://s3.us-east-1.amazonaws.com/my%20%22b%22/reports/100%25%20done%3F.csv');
    expect(filled.body).toBe('{"TableName": "my \\"b\\""}');
    expect(JSON.parse(filled.body as string)).toEqual({ TableName: 'my "b"' });
    expect(filled.form).toEqual([{ key: 'Name', value: 'reports/100% done?.csv' }]);
    expect(fillBlank(q, 'Bucket', '${bucket}').url).toBe('https://s3.us-east-1.amazonaws.com/${bucket}/{{Key}}');
  });

  it('left unfilled are refused by validateQuery, naming each blank and where it is', () => {
    expect(validateQuery(q).filter((p) => p.message.includes('blank'))).toEqual([
      { path: 'url', message: 'fill in the blank {{Bucket}} (in url, body)' },
      { path: 'url', message: 'fill in the blank {{Key}} (in url, form[0].value)' },
    ]);
  });
});

describe('a bare % in the URL', () => {
  it('is named as an invalid percent-encoding, not as dot segments or allowed URLs', () => {
    expect(validateQuery({ refId: 'A', url: '/bucket/100%.txt' })).toEqual([
      { path: 'url', message: 'the URL has a "%" that is not a percent-encoding ("%.t"); write a literal % as %25' },
    ]);
    expect(validateQuery({ refId: 'A', url: '/bucket/100%25.txt' })).toEqual([]);
  });
});

describe('coverageProblem', () => {
  it('names the URL to add to Allowed URLs', () => {
    expect(coverageProblem('https://monitoring.eu-west-1.amazonaws.com/', { defaultRegion: 'eu-west-1' })).toBe(
      'the data source does not allow https://monitoring.eu-west-1.amazonaws.com; add https://monitoring.eu-west-1.amazonaws.com/ to its Allowed URLs (Connection settings)',
    );
    expect(
      coverageProblem('https://monitoring.eu-west-1.amazonaws.com/', {
        allowedUrls: ['https://monitoring.eu-west-1.amazonaws.com/'],
      }),
    ).toBeUndefined();
  });

  it('allows what the backend always allows: the endpoint, STS, and paths under a prefix', () => {
    expect(coverageProblem('https://sts.amazonaws.com/', {})).toBeUndefined();
    expect(coverageProblem('https://sts.eu-west-1.amazonaws.com/', { defaultRegion: 'eu-west-1' })).toBeUndefined();
    expect(
      coverageProblem('/api/v1/query', { endpoint: 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1' }),
    ).toBeUndefined();
    expect(
      coverageProblem('https://s3.us-east-1.amazonaws.com/b/k', {
        allowedUrls: ['https://s3.us-east-1.amazonaws.com/a'],
      }),
    ).toMatch(/add https:\/\/s3/);
    expect(coverageProblem('https://{{ApiId}}.execute-api.us-east-1.amazonaws.com/x', {})).toBeUndefined();
    expect(coverageProblem('/x', {})).toMatch(/no custom endpoint/);
  });
});

describe('preferredVisualisation', () => {
  it('is logs for FilterLogEvents, and refused when unknown', () => {
    expect(findEntry('logs.filter_log_events')?.query.preferredVisualisation).toBe('logs');
    const bad = { refId: 'A', url: '/', preferredVisualisation: 'pie' } as unknown as SigilQuery;
    expect(validateQuery(bad)).toEqual([
      { path: 'preferredVisualisation', message: 'preferredVisualisation must be one of logs, table, graph' },
    ]);
  });
});
