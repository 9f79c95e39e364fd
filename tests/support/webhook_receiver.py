"""A real HTTP receiver for the webhook integration tests: answers 500 to the first FAIL
requests, then 200; writes one JSON line per request to DIR/requests.jsonl with its headers,
body, the status it answered, and whether the Standard Webhooks signature verified against
SECRET, checked here with Python's own hmac, independently of dondoc. Prints "listening PORT".
Usage: webhook_receiver.py DIR SECRET FAIL [STATUS]: STATUS (default 500) is what the failing
requests get, e.g. 410 or 429 (which comes with Retry-After: 1), or 0: no answer at all (the
request hangs). Run with /usr/bin/python3."""
import base64
import hashlib
import hmac
import http.server
import json
import os
import sys
import time

directory, secret, fail = sys.argv[1], sys.argv[2], int(sys.argv[3])
failure = int(sys.argv[4]) if len(sys.argv) > 4 else 500
key = base64.b64decode(secret[6:]) if secret.startswith("whsec_") else secret.encode()
seen = {"count": 0}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        seen["count"] += 1
        status = failure if seen["count"] <= fail else 200
        msg_id = self.headers.get("webhook-id", "")
        timestamp = self.headers.get("webhook-timestamp", "")
        expected = "v1," + base64.b64encode(
            hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
        ).decode()
        signatures = self.headers.get("webhook-signature", "").split(" ")
        record = {
            "status": status,
            "webhook_id": msg_id,
            "timestamp": timestamp,
            "verified": any(hmac.compare_digest(s, expected) for s in signatures),
            "body": body.decode("utf-8"),
        }
        with open(os.path.join(directory, "requests.jsonl"), "a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
        if status == 0:
            time.sleep(3600)  # until the test ends this server
        self.send_response(status)
        if status == 429:
            self.send_header("Retry-After", "1")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print("listening %d" % server.server_address[1], flush=True)
server.serve_forever()
