import type { CatalogueEntry } from './types';
import { awsJson, str, time } from './protocols';

export const kinesisEntries: CatalogueEntry[] = [
  {
    id: 'kinesis.list_streams',
    family: 'Kinesis',
    operation: 'ListStreams',
    description: 'Every data stream of the region with its status and mode; all pages.',
    service: 'kinesis',
    endpoint: { host: 'kinesis.{region}.amazonaws.com' },
    path: '/',
    query: {
      method: 'POST',
      headers: awsJson('1.1', 'Kinesis_20131202.ListStreams'),
      bodyType: 'json',
      body: '{}',
      format: 'json',
      rootSelector: 'StreamSummaries',
      columns: [
        str('StreamName'),
        str('StreamStatus', 'Status'),
        str('StreamModeDetails.StreamMode', 'Mode'),
        time('StreamCreationTimestamp', 'epoch_s', 'Created'),
      ],
      timeSeries: { enabled: false },
      pagination: { mode: 'next_token', tokenPath: 'NextToken', tokenTarget: 'body', tokenField: 'NextToken' },
    },
    blanks: [],
    result: 'Table: StreamName, Status, Mode, Created.',
    reference: 'https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListStreams.html',
  },
];
