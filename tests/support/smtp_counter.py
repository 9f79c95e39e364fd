"""A real SMTP server for the delivery benchmark (Debian's python3-aiosmtpd) that keeps nothing
but counts: on SIGTERM it writes DIR/counts.json with the messages received and how many
distinct Message-IDs they carried, so that a message sent twice shows. Prints "listening PORT"
once ready. Run with /usr/bin/python3."""
import json
import os
import signal
import socket
import sys

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self):
        self.received = 0
        self.ids = set()

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        content = envelope.original_content or envelope.content
        head = content.split(b"\r\n\r\n", 1)[0]
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                self.ids.add(line[11:].strip())
                break
        return "250 OK"


def main():
    directory = sys.argv[1]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    print("listening %d" % port, flush=True)
    signal.sigwait([signal.SIGTERM, signal.SIGINT])
    controller.stop()
    with open(os.path.join(directory, "counts.json"), "w") as f:
        json.dump({"received": counter.received, "distinct": len(counter.ids)}, f)


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM, signal.SIGINT])
    main()
