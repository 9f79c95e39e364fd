"""A real SMTP server for the integration tests (Debian's python3-aiosmtpd): every message it
accepts is written to DIR as <n>.eml, exactly as received, and a line to DIR/sessions.jsonl
saying whether the session was encrypted and who logged in; recipients whose address starts
with "refuse" are refused for good (550). Prints "listening PORT" once ready and runs until it
is terminated. Run with /usr/bin/python3.

Usage: smtp_sink.py DIR [PORT [MODE]]. MODE "starttls" or "tls" (implicit TLS) makes a
self-signed certificate for 127.0.0.1 with the openssl command, writes it to DIR/ca.pem for the
client to trust, and requires AUTH as dondoc / mat-khau-thu-nghiem."""
import asyncio
import json
import logging
import os
import signal
import socket
import ssl
import subprocess
import sys
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

LOGIN, PASSWORD = b"dondoc", b"mat-khau-thu-nghiem"


class Saver:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # A mailbox that does not exist, for the dead-letter tests.
        if address.startswith("refuse"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        path = os.path.join(self.directory, "%06d.eml" % self.count)
        encrypted = (session.ssl is not None
                     or server.transport.get_extra_info("ssl_object") is not None)
        login = session.auth_data.login.decode() if session.authenticated else None
        with open(os.path.join(self.directory, "sessions.jsonl"), "a") as f:
            f.write(json.dumps({"encrypted": encrypted, "login": login}) + "\n")
        with open(path + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(path + ".tmp", path)  # readers never see half a message
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        LOGIN, PASSWORD)
    # handled=False: aiosmtpd answers 535 itself
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


def tls_context(directory):
    cert, key = os.path.join(directory, "ca.pem"), os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def main():
    directory = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    mode = sys.argv[3] if len(sys.argv) > 3 else "none"
    if port == 0:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    options = {}
    if mode == "starttls":
        options = dict(tls_context=tls_context(directory), require_starttls=True,
                       authenticator=authenticate, auth_required=True)
    elif mode == "tls":
        # The whole connection is encrypted, which aiosmtpd's auth_require_tls does not see (and
        # warns about).
        warnings.simplefilter("ignore")
        logging.getLogger("mail.log").setLevel(logging.ERROR)
        options = dict(ssl_context=tls_context(directory), authenticator=authenticate,
                       auth_required=True, auth_require_tls=False)
    controller = Controller(Saver(directory), hostname="127.0.0.1", port=port, **options)
    controller.start()
    print("listening %d" % port, flush=True)
    signal.sigwait([signal.SIGTERM, signal.SIGINT])
    controller.stop()


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM, signal.SIGINT])
    main()
