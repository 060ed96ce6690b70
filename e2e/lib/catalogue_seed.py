# Seeds moto with known data for every catalogue entry (run by e2e/catalogue.e2e.test.ts through
# Moto.python, so `session`, `endpoint` and `region` are defined and IAM auth is on). NOW_S is prepended.
# Prints one JSON object with what the tests need to know (queue URL, instance ids).
import datetime
import io
import json
import urllib.request
import zipfile

now = datetime.datetime.fromtimestamp(NOW_S, datetime.timezone.utc)
out = {}
c = lambda name: session.client(name, endpoint_url=endpoint)

cw = c("cloudwatch")
for ago, api, web in [(600, 10, 1), (300, 20, 2), (120, 30, 3)]:
    t = now - datetime.timedelta(seconds=ago)
    cw.put_metric_data(Namespace="Sigil/Test", MetricData=[
        {"MetricName": "Latency", "Dimensions": [{"Name": "Service", "Value": "api"}], "Timestamp": t, "Value": api},
        {"MetricName": "Latency", "Dimensions": [{"Name": "Service", "Value": "web"}], "Timestamp": t, "Value": web}])
cw.put_metric_alarm(AlarmName="sigil-latency-high", Namespace="Sigil/Test", MetricName="Latency", Statistic="Average",
                    Period=60, EvaluationPeriods=1, Threshold=25.0, ComparisonOperator="GreaterThanThreshold",
                    Dimensions=[{"Name": "Service", "Value": "api"}])

logs = c("logs")
logs.create_log_group(logGroupName="/sigil/app")
logs.create_log_stream(logGroupName="/sigil/app", logStreamName="web-1")
logs.put_log_events(logGroupName="/sigil/app", logStreamName="web-1", logEvents=[
    {"timestamp": (NOW_S - ago) * 1000, "message": msg} for ago, msg in [(900, "started"), (600, "GET /orders 200"), (300, "GET /orders 500")]])

# Cost Explorer answers come from a queue moto serves in order (it tracks no costs).
days = [(now - datetime.timedelta(days=d)).strftime("%Y-%m-%d") for d in (2, 1, 0)]
results = {"results": [{"ResultsByTime": [
    {"TimePeriod": {"Start": days[0], "End": days[1]}, "Estimated": False, "Total": {}, "Groups": [
        {"Keys": ["Amazon Simple Storage Service"], "Metrics": {"UnblendedCost": {"Amount": "1.25", "Unit": "USD"}}},
        {"Keys": ["AWS Lambda"], "Metrics": {"UnblendedCost": {"Amount": "0.5", "Unit": "USD"}}}]},
    {"TimePeriod": {"Start": days[1], "End": days[2]}, "Estimated": True, "Total": {}, "Groups": [
        {"Keys": ["Amazon Simple Storage Service"], "Metrics": {"UnblendedCost": {"Amount": "2.75", "Unit": "USD"}}},
        {"Keys": ["AWS Lambda"], "Metrics": {"UnblendedCost": {"Amount": "0", "Unit": "USD"}}}]}]}]}
req = urllib.request.Request(f"{endpoint}/moto-api/static/ce/cost-and-usage-results", data=json.dumps(results).encode(),
                             method="POST", headers={"Content-Type": "application/json"})
urllib.request.urlopen(req).read()
out["costDays"] = days

ec2 = c("ec2")
image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
instances = []
for name in ["sigil-web", "sigil-db"]:
    r = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                          TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}])
    instances.append({"id": r["Instances"][0]["InstanceId"], "name": name})
out["instances"] = instances

s3 = c("s3")
s3.create_bucket(Bucket="sigil-data")
s3.create_bucket(Bucket="sigil-logs")
s3.put_object(Bucket="sigil-data", Key="reports/daily.csv", Body=b"day,service,cost\n2024-05-01,s3,1.5\n2024-05-02,lambda,0.25\n")
s3.put_object(Bucket="sigil-data", Key="reports/daily.json", Body=json.dumps([{"day": "2024-05-01", "cost": 1.5, "tags": {"team": "a"}}, {"day": "2024-05-02", "cost": 0.25, "tags": {"team": "b"}}]).encode())
for i in range(3):
    s3.put_object(Bucket="sigil-data", Key=f"raw/part-{i}.bin", Body=b"x" * (i + 1))

ddb = c("dynamodb")
ddb.create_table(TableName="sigil-orders", BillingMode="PAY_PER_REQUEST",
                 KeySchema=[{"AttributeName": "customer", "KeyType": "HASH"}, {"AttributeName": "order", "KeyType": "RANGE"}],
                 AttributeDefinitions=[{"AttributeName": "customer", "AttributeType": "S"}, {"AttributeName": "order", "AttributeType": "N"}])
# 300 KB per item: DynamoDB (and moto) answer at most 1 MB per page, so Scan takes 4 pages and Query 2.
for i in range(12):
    ddb.put_item(TableName="sigil-orders", Item={"customer": {"S": f"c-{i % 3}"}, "order": {"N": str(i)},
                                                  "total": {"N": f"{i}.5"}, "paid": {"BOOL": i % 2 == 0},
                                                  "note": {"S": "n" * 300_000}})
scan_pages = [len(p["Items"]) for p in ddb.get_paginator("scan").paginate(TableName="sigil-orders")]
query_pages = [len(p["Items"]) for p in ddb.get_paginator("query").paginate(
    TableName="sigil-orders", KeyConditionExpression="customer = :c", ExpressionAttributeValues={":c": {"S": "c-1"}})]
out["dynamodb"] = {"scanPages": scan_pages, "queryPages": query_pages}

iam = c("iam")
role = iam.create_role(RoleName="sigil-lambda", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
for name in ["sigil-ops-1", "sigil-ops-2"]:
    iam.create_user(UserName=name)
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("index.py", "def handler(event, context):\n    return 1\n")
lam = c("lambda")
for name, memory in [("sigil-fn-a", 128), ("sigil-fn-b", 256)]:
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="index.handler",
                        Code={"ZipFile": buf.getvalue()}, MemorySize=memory, Timeout=30)

sqs = c("sqs")
urls = [sqs.create_queue(QueueName=n)["QueueUrl"] for n in ["sigil-jobs", "sigil-dead"]]
for body in ["a", "b", "c"]:
    sqs.send_message(QueueUrl=urls[0], MessageBody=body)
out["queueUrl"] = urls[0]

sns = c("sns")
for name in ["sigil-alerts", "sigil-deploys"]:
    sns.create_topic(Name=name)

kin = c("kinesis")
kin.create_stream(StreamName="sigil-clicks", ShardCount=1)

print(json.dumps(out))
