import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseUql, evaluateUql, UqlError } from './index';

const listMetrics = readFileSync(path.join(__dirname, '../testdata/listMetrics.json'), 'utf8');
const listMetricsXml = readFileSync(path.join(__dirname, '../testdata/listMetrics.xml'), 'utf8');

const people = JSON.stringify([
  {
    id: 1,
    name: { firstName: 'john', lastName: 'doe' },
    dob: '1985-01-01',
    city: 'chennai',
    age: 39,
    salary: 100,
    tags: ['a', 'b'],
  },
  {
    id: 2,
    name: { firstName: 'alice', lastName: 'bob' },
    dob: '1990-12-31',
    city: 'london',
    age: 33,
    salary: 300,
    tags: [],
  },
  {
    id: 3,
    name: { firstName: 'Mary', lastName: 'Ann' },
    dob: '2001-06-15',
    city: 'london',
    age: 23,
    salary: 200,
    tags: ['c'],
  },
  { id: 4, name: { firstName: 'raj', lastName: 'k' }, dob: null, city: 'chennai', age: null, salary: 50, tags: ['a'] },
]);

async function run(query: string, text = people, contentType = 'application/json') {
  return evaluateUql(parseUql(query), { text, contentType });
}

describe('UQL: the seed query from the Infinity AWS documentation', () => {
  const seed = `parse-json
| scope "ListMetricsResponse.ListMetricsResult.Metrics"
| mv-expand "dimension"="Dimensions"
| project "Namespace", "MeasureName", "Dimension Name"="dimension.Name", "Dimension Value"="dimension.Value"`;

  it('gives Infinity columns, one row per dimension', async () => {
    const rows = await run(seed, listMetrics);
    expect(rows.map((r) => Object.keys(r))).toEqual(
      Array(4).fill(['Namespace', 'MeasureName', 'Dimension Name', 'Dimension Value']),
    );
    expect(rows).toEqual([
      { Namespace: 'AWS/EC2', MeasureName: null, 'Dimension Name': 'InstanceId', 'Dimension Value': 'i-0abc' },
      { Namespace: 'AWS/EC2', MeasureName: null, 'Dimension Name': 'AutoScalingGroupName', 'Dimension Value': 'web' },
      { Namespace: 'AWS/SQS', MeasureName: null, 'Dimension Name': 'QueueName', 'Dimension Value': 'orders' },
      { Namespace: 'AWS/Lambda', MeasureName: null, 'Dimension Name': 'FunctionName', 'Dimension Value': 'resize' },
    ]);
  });

  it('runs on the XML answer once parse-xml converts it (member lists become arrays)', async () => {
    const rows = await run(seed.replace('parse-json', 'parse-xml'), listMetricsXml, 'text/xml');
    expect(rows.map((r) => r['Dimension Value'])).toEqual(['i-0abc', 'web', 'orders']);
  });
});

// [query, expected rows (or a function of them)]
const valid: [string, unknown][] = [
  ['parse-json | project "id"', [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }]],
  ['parse-json | project "id", "first"="name.firstName" | limit 1', [{ id: 1, first: 'john' }]],
  ['parse-json | where "city" == \'london\' | project "id"', [{ id: 2 }, { id: 3 }]],
  ['parse-json | where "age" > 30 | project "id"', [{ id: 1 }, { id: 2 }]],
  ['parse-json | where "age" >= 33 and "city" != \'london\' | project "id"', [{ id: 1 }]],
  ['parse-json | where "age" < 30 or "city" == \'chennai\' | project "id"', [{ id: 1 }, { id: 3 }, { id: 4 }]],
  ['parse-json | where not ("city" == \'london\') | project "id"', [{ id: 1 }, { id: 4 }]],
  ['parse-json | where "city" in (\'london\', \'paris\') | project "id"', [{ id: 2 }, { id: 3 }]],
  ['parse-json | where "city" !in (\'london\') | project "id"', [{ id: 1 }, { id: 4 }]],
  ['parse-json | where "name.firstName" contains \'AL\' | project "id"', [{ id: 2 }]],
  ['parse-json | where "name.firstName" startswith \'ma\' | project "id"', [{ id: 3 }]],
  ['parse-json | where isnull("age") | project "id"', [{ id: 4 }]],
  ['parse-json | order by "salary" desc | project "id"', [{ id: 2 }, { id: 3 }, { id: 1 }, { id: 4 }]],
  ['parse-json | order by "city" asc, "age" desc | project "id"', [{ id: 1 }, { id: 4 }, { id: 2 }, { id: 3 }]],
  ['parse-json | order by "age" | project "id"', [{ id: 3 }, { id: 2 }, { id: 1 }, { id: 4 }]],
  ['parse-json | count', [{ Count: 4 }]],
  ['parse-json | where "city" == \'london\' | count', [{ Count: 2 }]],
  [
    'parse-json | summarize count() by "city"',
    [
      { city: 'chennai', count_: 2 },
      { city: 'london', count_: 2 },
    ],
  ],
  [
    'parse-json | summarize "n"=count(), "total"=sum("salary") by "city"',
    [
      { city: 'chennai', n: 2, total: 150 },
      { city: 'london', n: 2, total: 500 },
    ],
  ],
  ['parse-json | summarize avg("salary"), max("age"), min("age")', [{ avg_salary: 162.5, max_age: 39, min_age: 23 }]],
  ['parse-json | summarize dcount("city")', [{ dcount_city: 2 }]],
  [
    'parse-json | extend "full"=strcat("name.firstName", \' \', "name.lastName") | project "full" | limit 2',
    [{ full: 'john doe' }, { full: 'alice bob' }],
  ],
  [
    'parse-json | extend "up"=toupper("city"), "len"=strlen("city") | project "up", "len" | limit 1',
    [{ up: 'CHENNAI', len: 7 }],
  ],
  ['parse-json | extend "double"="salary" * 2 + 1 | project "double" | limit 2', [{ double: 201 }, { double: 601 }]],
  [
    'parse-json | extend "pct"=percentage("salary", 400), "r"=round(div("salary", 3), 2) | project "pct", "r" | limit 1',
    [{ pct: 25, r: 33.33 }],
  ],
  ['parse-json | extend "t"=todatetime("dob") | project "t" | limit 1', [{ t: new Date('1985-01-01T00:00:00Z') }]],
  ['parse-json | extend "t"=unixtime_seconds_todatetime(86400) | project "t" | limit 1', [{ t: new Date(86_400_000) }]],
  ['parse-json | project-away "name", "tags", "dob" | limit 1', [{ id: 1, city: 'chennai', age: 39, salary: 100 }]],
  ['parse-json | project-rename "town"="city" | project "town" | limit 1', [{ town: 'chennai' }]],
  [
    'parse-json | mv-expand "tag"="tags" | project "id", "tag"',
    [
      { id: 1, tag: 'a' },
      { id: 1, tag: 'b' },
      { id: 2, tag: null },
      { id: 3, tag: 'c' },
      { id: 4, tag: 'a' },
    ],
  ],
  ['parse-json | distinct "city"', [{ city: 'chennai' }, { city: 'london' }]],
  ['parse-json | take 2 | count', [{ Count: 2 }]],
  ['parse-json\n| jsonata "$[salary > 150]"\n| project "id"', [{ id: 2 }, { id: 3 }]],
  ['project "id" | limit 1', [{ id: 1 }]], // no parse-*: read by Content-Type
  ['parse-json | where "salary" / 100 % 2 == 1 | project "id"', [{ id: 1 }, { id: 2 }]],
  [
    'parse-json | extend "x"=iif("age" > 30, \'old\', \'young\') | project "x" | limit 3',
    [{ x: 'old' }, { x: 'old' }, { x: 'young' }],
  ],
  ['parse-json // comment\n| project "id" | limit 1', [{ id: 1 }]],
];

describe('UQL: valid queries', () => {
  it.each(valid)('%s', async (query, expected) => {
    expect(await run(query)).toEqual(expected);
  });

  it('parses CSV with parse-csv and summarizes numeric text', async () => {
    const csv = 'country,population\nin,1400\nus,330\nin,5\n';
    expect(await run('parse-csv | summarize "p"=sum("population") by "country"', csv, 'text/csv')).toEqual([
      { country: 'in', p: 1405 },
      { country: 'us', p: 330 },
    ]);
  });
});

// [query, line, column, message fragment]
const invalid: [string, number, number, string][] = [
  ['', 1, 1, 'expected a command'],
  ['parse-jsn', 1, 1, 'expected a command'],
  ['parse-json | projct "a"', 1, 14, 'expected a command'],
  ['parse-json | project', 1, 21, 'expected a column name in double quotes, found the end of the query'],
  ['parse-json | project "a', 1, 22, 'is not closed'],
  ['parse-json | where "a" == \'x', 1, 27, 'string starting here is not closed'],
  ['parse-json\n| scope foo', 2, 9, 'the path to scope to'],
  ['parse-json | limit', 1, 19, 'a whole number of rows'],
  ['parse-json | limit 2.5', 1, 20, 'a whole number of rows'],
  ['parse-json | order "a"', 1, 20, '"by" after "order"'],
  ['parse-json | summarize "x"=median("a")', 1, 28, 'expected an aggregation'],
  ['parse-json | summarize sum()', 1, 24, 'sum() needs a column'],
  ['parse-json | summarize count("a")', 1, 24, 'count() takes no argument'],
  ['parse-json | extend "x"=nosuch("a")', 1, 25, 'unknown function nosuch()'],
  ['parse-json | extend "x"=tolower("a", "b")', 1, 25, 'tolower() takes 1 argument(s), got 2'],
  ['parse-json | extend "x"', 1, 24, '"=" and an expression'],
  ['parse-json | where "a" ==', 1, 26, 'expected a value'],
  ['parse-json | where ("a" == 1', 1, 29, 'expected ")"'],
  ['parse-json | where "a" in \'x\'', 1, 27, '"(" and a list of values'],
  ['parse-json project "a"', 1, 12, 'expected "|" before the next command'],
  ['parse-json |', 1, 13, 'expected a command'],
  ['parse-json | where "a" @ 1', 1, 24, 'unexpected character "@"'],
  ['parse-json | mv-expand "x"=', 1, 28, 'the array column to expand'],
  ['parse-json | where "a" == 12abc', 1, 29, 'right after the number'],
  ['parse-json |\n  project "a",\n  ', 3, 3, 'expected a column name'],
  ['parse-json | where "a" ! "b"', 1, 26, 'expected in or contains after "!"'],
  ['parse-json | jsonata 42', 1, 22, 'a JSONata expression in quotes'],
  ['parse-json | project-rename "a"', 1, 32, '"=" and the column to rename'],
  ['parse-json | where foo', 1, 20, 'expected a value'],
];

describe('UQL: invalid queries report where', () => {
  it.each(invalid)('%j', (query, line, column, fragment) => {
    let caught: unknown;
    try {
      parseUql(query);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UqlError);
    const err = caught as UqlError;
    expect(err.message).toContain(fragment);
    expect({ line: err.line, column: err.column }).toEqual({ line, column });
    expect(err.message).toContain(`line ${line}, column ${column}`);
    expect(err.source).toBe('plugin');
  });

  it('reports a parse failure of the answer at the parse-json command and the JSON line', async () => {
    await expect(run('parse-json\n| project "a"', '{"a":\n  [1,,2]}')).rejects.toThrow(
      /UQL error at line 1, column 1: parse: the answer is not valid JSON at line 2/,
    );
  });

  it('reports a bad JSONata expression at the jsonata command', async () => {
    await expect(run('parse-json\n| jsonata "$[age >"')).rejects.toThrow(
      /line 2, column 3: jsonata: .*not a valid JSONata/,
    );
  });
});
