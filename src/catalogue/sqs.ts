import type { CatalogueEntry } from './types';
import { NO_PAGES, awsJson, num, str, time } from './protocols';

const HOST = { host: 'sqs.{region}.amazonaws.com' };

export const sqsEntries: CatalogueEntry[] = [
  {
    id: 'sqs.list_queues',
    family: 'SQS',
    operation: 'ListQueues',
    description: 'Every queue of the region (URL and name); all pages.',
    service: 'sqs',
    endpoint: HOST,
    path: '/',
    query: {
      method: 'POST',
      headers: awsJson('1.0', 'AmazonSQS.ListQueues'),
      bodyType: 'json',
      body: '{\n  "MaxResults": 1000\n}',
      format: 'json',
      rootSelector: 'QueueUrls.{"QueueName": $split($, "/")[-1], "QueueUrl": $}',
      columns: [str('QueueName'), str('QueueUrl')],
      timeSeries: { enabled: false },
      pagination: { mode: 'next_token', tokenPath: 'NextToken', tokenTarget: 'body', tokenField: 'NextToken' },
    },
    blanks: [],
    result: 'Table: QueueName, QueueUrl.',
    reference: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html',
  },
  {
    id: 'sqs.get_queue_attributes',
    family: 'SQS',
    operation: 'GetQueueAttributes',
    description: 'Depth and settings of one queue: messages visible, in flight and delayed.',
    service: 'sqs',
    endpoint: HOST,
    path: '/',
    query: {
      method: 'POST',
      headers: awsJson('1.0', 'AmazonSQS.GetQueueAttributes'),
      bodyType: 'json',
      body: '{\n  "QueueUrl": "{{QueueUrl}}",\n  "AttributeNames": ["All"]\n}',
      format: 'json',
      rootSelector: 'Attributes',
      columns: [
        str('QueueArn'),
        num('ApproximateNumberOfMessages', 'Messages'),
        num('ApproximateNumberOfMessagesNotVisible', 'In flight'),
        num('ApproximateNumberOfMessagesDelayed', 'Delayed'),
        num('VisibilityTimeout'),
        time('CreatedTimestamp', 'epoch_s', 'Created'),
      ],
      timeSeries: { enabled: false },
      pagination: NO_PAGES,
    },
    blanks: [
      {
        name: 'QueueUrl',
        description: 'Queue URL (from ListQueues)',
        example: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders',
      },
    ],
    result: 'One row: QueueArn, Messages, In flight, Delayed, VisibilityTimeout, Created.',
    reference: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html',
  },
];
