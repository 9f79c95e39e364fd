"""Prints, for each .eml file in DIR (sorted), one line: the decoded Subject, a tab, the
Message-ID, a tab, the recipient, a tab, whether it has Auto-Submitted. Uses Python's own email
package, independently of dondoc's MIME code. With --json as a second argument, one JSON object
per message instead: {"subject", "to", "body"} with the whole decoded text body. Run with
/usr/bin/python3."""
import email
import email.policy
import json
import os
import sys

directory = sys.argv[1]
for name in sorted(os.listdir(directory)):
    if not name.endswith(".eml"):
        continue
    with open(os.path.join(directory, name), "rb") as f:
        message = email.message_from_binary_file(f, policy=email.policy.default)
    text = message.get_body(preferencelist=("plain",)).get_content()
    if len(sys.argv) > 2 and sys.argv[2] == "--json":
        print(json.dumps({"subject": str(message["Subject"]), "to": str(message["To"]),
                          "body": text}, ensure_ascii=False))
        continue
    print("\t".join([str(message["Subject"]), str(message["Message-ID"]), str(message["To"]),
                     str(message["Auto-Submitted"]), text.splitlines()[0] if text else ""]))
