import type { CatalogueEntry } from './types';
import { NO_SERIES, queryForm, str, time } from './protocols';

export const ec2Entries: CatalogueEntry[] = [
  {
    id: 'ec2.describe_instances',
    family: 'EC2',
    operation: 'DescribeInstances',
    description: 'Every instance of the region with its Name tag, type, state and private IP; all pages.',
    service: 'ec2',
    endpoint: { host: 'ec2.{region}.amazonaws.com' },
    path: '/',
    query: {
      method: 'POST',
      bodyType: 'form',
      form: queryForm('DescribeInstances', '2016-11-15'),
      format: 'xml',
      rootSelector:
        'DescribeInstancesResponse.reservationSet.instancesSet.{"InstanceId": instanceId, "Name": tagSet[key = "Name"].value, "Type": instanceType, "State": instanceState.name, "PrivateIp": privateIpAddress, "LaunchTime": launchTime}',
      columns: [str('InstanceId'), str('Name'), str('Type'), str('State'), str('PrivateIp'), time('LaunchTime')],
      timeSeries: NO_SERIES,
      pagination: {
        mode: 'next_token',
        tokenPath: 'DescribeInstancesResponse.nextToken',
        tokenTarget: 'body',
        tokenField: 'NextToken',
      },
    },
    blanks: [],
    result: 'Table: InstanceId, Name, Type, State, PrivateIp, LaunchTime.',
    reference: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html',
  },
];
