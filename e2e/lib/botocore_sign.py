"""Independent SigV4 signer for the signature cross-check: signs each request of a JSON list (stdin) with
botocore at a fixed time and prints the Authorization headers as a JSON list."""
import base64
import datetime
import json
import sys

import botocore.auth
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

cases = json.load(sys.stdin)
out = []
for case in cases:
    fixed = datetime.datetime.strptime(case["date"], "%Y%m%dT%H%M%SZ")
    botocore.auth.get_current_datetime = lambda fixed=fixed: fixed
    creds = Credentials(case["accessKey"], case["secretKey"], case.get("token"))
    body = base64.b64decode(case["body"]) if case.get("body") else b""
    req = AWSRequest(method=case["method"], url=case["url"], data=body, headers=case["headers"])
    signer = (S3SigV4Auth if case["service"] == "s3" else SigV4Auth)(creds, case["service"], case["region"])
    req.context["payload_signing_enabled"] = True
    signer.add_auth(req)
    out.append(req.headers["Authorization"])
print(json.dumps(out))
