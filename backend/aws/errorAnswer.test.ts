import { downstreamHttpError, parseAwsError } from './errorAnswer';

describe('AWS errors', () => {
  const res = (status: number, body: string, headers: Record<string, string> = {}) => ({
    status,
    headers,
    body: Buffer.from(body),
    url: 'https://x',
  });
  it('reads the JSON protocols', () => {
    expect(
      parseAwsError(res(400, '{"__type":"com.amazon.coral.validate#ValidationException","message":"bad period"}')),
    ).toEqual({ code: 'ValidationException', message: 'bad period' });
    expect(
      parseAwsError(res(400, '{"Message":"no"}', { 'x-amzn-ErrorType': 'AccessDeniedException:http://internal' })),
    ).toEqual({ code: 'AccessDeniedException', message: 'no' });
  });
  it('reads the Query and REST-XML protocols', () => {
    expect(
      parseAwsError(
        res(
          403,
          '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>',
        ),
      ),
    ).toEqual({ code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' });
    expect(
      parseAwsError(
        res(404, '<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>'),
      ),
    ).toEqual({ code: 'NoSuchBucket', message: 'The specified bucket does not exist' });
  });
  it('keeps the words of an HTML error page', () => {
    expect(
      parseAwsError(res(500, '<!doctype html>\n<title>500 Internal Server Error</title>\n<p>The server failed.</p>'))
        .message,
    ).toBe('500 Internal Server Error The server failed.');
  });

  it('falls back to the text, capped', () => {
    expect(parseAwsError(res(500, 'x'.repeat(1000))).message?.length).toBeLessThan(310);
  });
});

describe('the error for an AWS error answer', () => {
  it('keeps the status, says aws_answer from downstream, and words it as src/shared/aws.ts does', () => {
    const body = Buffer.from('<Error><Code>SlowDown</Code><Message>Reduce your\n request rate.</Message></Error>');
    const err = downstreamHttpError({ status: 503, headers: {}, body }, 's3.amazonaws.com');
    expect([err.kind, err.source, err.status]).toEqual(['aws_answer', 'downstream', 503]);
    expect(err.message).toBe('s3.amazonaws.com answered HTTP 503 SlowDown: Reduce your request rate.');
    expect(err.details).toEqual({ status: 503, awsCode: 'SlowDown' });
  });

  it('says only the status when the answer has no words', () => {
    const err = downstreamHttpError({ status: 504, headers: {}, body: Buffer.alloc(0) }, 'h');
    expect([err.kind, err.status, err.message]).toEqual(['aws_answer', 504, 'h answered HTTP 504']);
  });
});
