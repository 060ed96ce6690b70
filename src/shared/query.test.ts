import { DEFAULT_QUERY, resolveQuery, validateQuery, joinUrl, awsQueryForm } from './query';

describe('shared query model', () => {
  it('the default query is valid and runnable: STS GetCallerIdentity as XML', () => {
    expect(validateQuery({ refId: 'A', ...DEFAULT_QUERY })).toEqual([]);
    expect(resolveQuery({ refId: 'A', ...DEFAULT_QUERY })).toMatchObject({
      method: 'POST',
      bodyType: 'form',
      format: 'xml',
      form: awsQueryForm('GetCallerIdentity', '2011-06-15'),
    });
  });

  it('fills defaults: GET without a body, POST with one, methods upper-cased', () => {
    expect(resolveQuery({ refId: 'A', url: 'x' })).toMatchObject({
      queryType: 'http',
      method: 'GET',
      format: 'auto',
      pagination: { mode: 'none', maxPages: 10, maxRows: 100000 },
    });
    expect(resolveQuery({ refId: 'A', bodyType: 'json' }).method).toBe('POST');
    expect(resolveQuery({ refId: 'A', method: 'put' as 'PUT' }).method).toBe('PUT');
  });

  it('names the part of the query to fix', () => {
    const problems = validateQuery({
      refId: 'A',
      url: 'ftp://x',
      method: 'GET',
      bodyType: 'raw',
      format: 'uql',
      uql: ' ',
      service: 'SQS!',
      region: 'mars',
      headers: [
        { key: 'X-Amz-Date', value: '1' },
        { key: 'bad header', value: '' },
      ],
      columns: [{ selector: '', type: 'date' as 'time' }],
      pagination: { mode: 'next_token', tokenTarget: 'body', maxPages: 0, maxRows: 1.5 },
    });
    expect(problems.map((p) => p.path)).toEqual([
      'url',
      'headers[0].key',
      'headers[1].key',
      'bodyType',
      'columns[0].selector',
      'columns[0].type',
      'service',
      'region',
      'uql',
      'pagination.tokenPath',
      'pagination.tokenField',
      'pagination.tokenTarget',
      'pagination.maxPages',
      'pagination.maxRows',
    ]);
  });

  it('echo queries are not checked as HTTP queries', () => {
    expect(validateQuery({ refId: 'A', queryType: 'echo' })).toEqual([]);
  });

  it('joins paths to endpoints keeping the endpoint path', () => {
    expect(joinUrl('https://h/ws/', '/api/v1/query')).toBe('https://h/ws/api/v1/query');
  });
});
