import type { CatalogueEntry } from './types';
import { NO_PAGES, NO_SERIES, num, str, time } from './protocols';

const HOST = { host: 's3.{region}.amazonaws.com' };
const BUCKET = { name: 'Bucket', description: 'Bucket name', example: 'my-reports' };

export const s3Entries: CatalogueEntry[] = [
  {
    id: 's3.list_buckets',
    family: 'S3',
    operation: 'ListBuckets',
    description: 'Every bucket of the account with its creation date.',
    service: 's3',
    endpoint: HOST,
    path: '/',
    query: {
      method: 'GET',
      bodyType: 'none',
      format: 'xml',
      rootSelector: 'ListAllMyBucketsResult.Buckets.Bucket',
      columns: [str('Name'), time('CreationDate', 'iso', 'Created')],
      timeSeries: NO_SERIES,
      pagination: NO_PAGES,
    },
    blanks: [],
    result: 'Table: Name, Created.',
    reference: 'https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html',
  },
  {
    id: 's3.list_objects_v2',
    family: 'S3',
    operation: 'ListObjectsV2',
    description:
      'The objects of a bucket under a prefix (empty: all), with size and last change; all pages (continuation tokens).',
    service: 's3',
    endpoint: HOST,
    path: '{{Bucket}}',
    query: {
      method: 'GET',
      params: [
        { key: 'list-type', value: '2' },
        { key: 'prefix', value: '' },
      ],
      bodyType: 'none',
      format: 'xml',
      rootSelector: 'ListBucketResult.Contents',
      columns: [str('Key'), num('Size'), time('LastModified'), str('StorageClass')],
      timeSeries: NO_SERIES,
      pagination: {
        mode: 'next_token',
        tokenPath: 'ListBucketResult.NextContinuationToken',
        tokenTarget: 'param',
        tokenField: 'continuation-token',
      },
    },
    blanks: [BUCKET],
    result: 'Table: Key, Size, LastModified, StorageClass.',
    reference: 'https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html',
  },
  {
    id: 's3.get_object_csv',
    family: 'S3',
    operation: 'GetObject (CSV)',
    description:
      'A CSV file stored in S3, its header row naming the columns. Add typed columns to make numbers and times of text.',
    service: 's3',
    endpoint: HOST,
    path: '{{Bucket}}/{{Key}}',
    query: {
      method: 'GET',
      bodyType: 'none',
      format: 'csv',
      rootSelector: '',
      columns: [],
      timeSeries: NO_SERIES,
      pagination: NO_PAGES,
    },
    blanks: [BUCKET, { name: 'Key', description: 'Object key (path inside the bucket)', example: 'reports/daily.csv' }],
    result: 'Table: the CSV columns.',
    reference: 'https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html',
  },
  {
    id: 's3.get_object_json',
    family: 'S3',
    operation: 'GetObject (JSON)',
    description: 'A JSON file stored in S3: an array of objects (or set the root selector to the array inside it).',
    service: 's3',
    endpoint: HOST,
    path: '{{Bucket}}/{{Key}}',
    query: {
      method: 'GET',
      bodyType: 'none',
      format: 'json',
      rootSelector: '',
      columns: [],
      timeSeries: NO_SERIES,
      pagination: NO_PAGES,
    },
    blanks: [
      BUCKET,
      { name: 'Key', description: 'Object key (path inside the bucket)', example: 'reports/daily.json' },
    ],
    result: 'Table: one column per field, nested objects flattened.',
    reference: 'https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html',
  },
];
