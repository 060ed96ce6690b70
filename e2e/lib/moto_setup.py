"""Seeds a fresh moto server with the identities the end-to-end tests sign with, then turns IAM
authentication on (POST /moto-api/reset-auth with 0), so every later request must carry a valid SigV4
signature from keys moto issued and be allowed by IAM policy. Prints one JSON object on stdout."""
import json
import sys
import urllib.request

import boto3

endpoint, region, external_id = sys.argv[1], sys.argv[2], sys.argv[3]
session = boto3.Session(aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap", region_name=region)
iam = session.client("iam", endpoint_url=endpoint)
account = "123456789012"

def user_with_keys(name, policy):
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName=f"{name}-policy", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {"arn": f"arn:aws:iam::{account}:user/{name}", "accessKeyId": key["AccessKeyId"],
            "secretAccessKey": key["SecretAccessKey"]}

admin = user_with_keys("sigil-admin", {"Version": "2012-10-17",
                                       "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
# The data source user may only assume the role (and ask who it is): anything else needs the role.
user = user_with_keys("sigil-user", {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["sts:AssumeRole", "sts:GetCallerIdentity"], "Resource": "*"}]})
trust = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"AWS": [user["arn"], admin["arn"]]}, "Action": "sts:AssumeRole",
    "Condition": {"StringEquals": {"sts:ExternalId": external_id}}}]}
role = iam.create_role(RoleName="sigil-reader", AssumeRolePolicyDocument=json.dumps(trust),
                       MaxSessionDuration=43200)["Role"]
iam.put_role_policy(RoleName="sigil-reader", PolicyName="read-all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))

req = urllib.request.Request(f"{endpoint}/moto-api/reset-auth", data=b"0", method="POST",
                             headers={"Content-Type": "text/plain"})
with urllib.request.urlopen(req) as resp:
    resp.read()

print(json.dumps({"account": account, "admin": admin, "user": user,
                  "role": {"arn": role["Arn"], "externalId": external_id}}))
