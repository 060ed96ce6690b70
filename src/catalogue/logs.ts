import type { CatalogueEntry } from './types';
import { NO_PAGES, NO_SERIES, awsJson, str, time } from './protocols';

const HOST = { host: 'logs.{region}.amazonaws.com' };
const GROUP = { name: 'LogGroupName', description: 'Log group name', example: '/aws/lambda/my-function' };

export const logsEntries: CatalogueEntry[] = [
  {
    id: 'logs.filter_log_events',
    family: 'CloudWatch Logs',
    operation: 'FilterLogEvents',
    description:
      'Log events of a group in the dashboard range, for the logs panel (time, body, stream); all pages. Add "filterPattern" to the body to narrow them.',
    service: 'logs',
    endpoint: HOST,
    path: '/',
    query: {
      method: 'POST',
      headers: awsJson('1.1', 'Logs_20140328.FilterLogEvents'),
      bodyType: 'json',
      body: '{\n  "logGroupName": "{{LogGroupName}}",\n  "startTime": ${__from},\n  "endTime": ${__to}\n}',
      format: 'json',
      rootSelector: 'events',
      columns: [time('timestamp', 'epoch_ms', 'time'), str('message', 'body'), str('logStreamName', 'stream')],
      timeSeries: NO_SERIES,
      pagination: { mode: 'next_token', tokenPath: 'nextToken', tokenTarget: 'body', tokenField: 'nextToken' },
      preferredVisualisation: 'logs',
    },
    blanks: [GROUP],
    result: 'Logs: time, body, stream.',
    reference: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html',
  },
  {
    id: 'logs.start_query',
    family: 'CloudWatch Logs',
    operation: 'StartQuery',
    description:
      'Starts a Logs Insights query over the dashboard range and answers its queryId; read the rows with GetQueryResults (e.g. with the id in a dashboard variable).',
    service: 'logs',
    endpoint: HOST,
    path: '/',
    query: {
      method: 'POST',
      headers: awsJson('1.1', 'Logs_20140328.StartQuery'),
      bodyType: 'json',
      body: '{\n  "logGroupName": "{{LogGroupName}}",\n  "startTime": ${__from:date:seconds},\n  "endTime": ${__to:date:seconds},\n  "queryString": "fields @timestamp, @message | sort @timestamp desc | limit 100"\n}',
      format: 'json',
      rootSelector: '',
      columns: [str('queryId')],
      timeSeries: NO_SERIES,
      pagination: NO_PAGES,
    },
    blanks: [GROUP],
    result: 'One row: queryId.',
    reference: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_StartQuery.html',
  },
  {
    id: 'logs.get_query_results',
    family: 'CloudWatch Logs',
    operation: 'GetQueryResults',
    description:
      'The rows of a Logs Insights query started with StartQuery: one column per field of the query (the @ptr field left out).',
    service: 'logs',
    endpoint: HOST,
    path: '/',
    query: {
      method: 'POST',
      headers: awsJson('1.1', 'Logs_20140328.GetQueryResults'),
      bodyType: 'json',
      body: '{\n  "queryId": "{{QueryId}}"\n}',
      format: 'json',
      // Each result is a list of {field, value}: merged into one row.
      rootSelector: 'results.$merge($[field != "@ptr"].{field: value})',
      columns: [],
      timeSeries: NO_SERIES,
      pagination: NO_PAGES,
    },
    blanks: [
      {
        name: 'QueryId',
        description: 'The queryId StartQuery answered',
        example: '12ab3456-12ab-123a-789e-1234567890ab',
      },
    ],
    result: 'Table: one column per field of the Insights query (e.g. @timestamp, @message).',
    reference: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetQueryResults.html',
  },
];
