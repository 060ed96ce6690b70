import type { CatalogueEntry } from './types';
import { NO_SERIES, queryForm, str } from './protocols';

export const snsEntries: CatalogueEntry[] = [
  {
    id: 'sns.list_topics',
    family: 'SNS',
    operation: 'ListTopics',
    description: 'Every topic of the region (ARN and name); all pages.',
    service: 'sns',
    endpoint: { host: 'sns.{region}.amazonaws.com' },
    path: '/',
    query: {
      method: 'POST',
      bodyType: 'form',
      form: queryForm('ListTopics', '2010-03-31'),
      format: 'xml',
      rootSelector:
        'ListTopicsResponse.ListTopicsResult.Topics.{"TopicName": $split(TopicArn, ":")[-1], "TopicArn": TopicArn}',
      columns: [str('TopicName'), str('TopicArn')],
      timeSeries: NO_SERIES,
      pagination: {
        mode: 'next_token',
        tokenPath: 'ListTopicsResponse.ListTopicsResult.NextToken',
        tokenTarget: 'body',
        tokenField: 'NextToken',
      },
    },
    blanks: [],
    result: 'Table: TopicName, TopicArn.',
    reference: 'https://docs.aws.amazon.com/sns/latest/api/API_ListTopics.html',
  },
];
