import type { CatalogueEntry } from './types';
import { awsJson } from './protocols';

const HOST = { host: 'dynamodb.{region}.amazonaws.com' };
const TABLE = { name: 'TableName', description: 'Table name', example: 'orders' };
// DynamoDB's typed attributes ({"S": "x"}, {"N": "1"}, {"BOOL": true}) as plain values, numbers as numbers.
const PLAIN_ITEMS = 'Items.$merge($each($, function($v, $k) { {$k: $exists($v.N) ? $number($v.N) : $v.*[0]} }))';
const PAGES = {
  mode: 'object_token',
  tokenPath: 'LastEvaluatedKey',
  tokenTarget: 'body',
  tokenField: 'ExclusiveStartKey',
} as const;

const QUERY_BODY = `{
  "TableName": "{{TableName}}",
  "KeyConditionExpression": "#pk = :pk",
  "ExpressionAttributeNames": { "#pk": "{{PartitionKeyName}}" },
  "ExpressionAttributeValues": { ":pk": { "S": "{{PartitionKeyValue}}" } }
}`;

export const dynamodbEntries: CatalogueEntry[] = [
  {
    id: 'dynamodb.scan',
    family: 'DynamoDB',
    operation: 'Scan',
    description:
      'Every item of a table as a row (attributes as columns, numbers as numbers); all pages (LastEvaluatedKey → ExclusiveStartKey).',
    service: 'dynamodb',
    endpoint: HOST,
    path: '/',
    query: {
      method: 'POST',
      headers: awsJson('1.0', 'DynamoDB_20120810.Scan'),
      bodyType: 'json',
      body: '{\n  "TableName": "{{TableName}}"\n}',
      format: 'json',
      rootSelector: PLAIN_ITEMS,
      columns: [],
      timeSeries: { enabled: false },
      pagination: PAGES,
    },
    blanks: [TABLE],
    result: 'Table: one column per attribute.',
    reference: 'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html',
  },
  {
    id: 'dynamodb.query',
    family: 'DynamoDB',
    operation: 'Query',
    description:
      'The items with one partition key value (a string key); all pages. Add a sort key condition to KeyConditionExpression to narrow them.',
    service: 'dynamodb',
    endpoint: HOST,
    path: '/',
    query: {
      method: 'POST',
      headers: awsJson('1.0', 'DynamoDB_20120810.Query'),
      bodyType: 'json',
      body: QUERY_BODY,
      format: 'json',
      rootSelector: PLAIN_ITEMS,
      columns: [],
      timeSeries: { enabled: false },
      pagination: PAGES,
    },
    blanks: [
      TABLE,
      { name: 'PartitionKeyName', description: 'Name of the partition key attribute', example: 'customer' },
      { name: 'PartitionKeyValue', description: 'The partition key value (a string)', example: 'c-42' },
    ],
    result: 'Table: one column per attribute.',
    reference: 'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html',
  },
];
