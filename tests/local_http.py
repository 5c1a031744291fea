"""An HTTP server on 127.0.0.1 for the tests that fetch (URL imports, catalogue sync)."""

from __future__ import annotations

import threading
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class LocalServer:
    """Answers GET requests from a daemon thread with `respond(path, headers)`, which subclasses define
    and which returns (status, body, extra headers); Content-Type and Content-Length are set here.
    `base` is ``http://127.0.0.1:<port>``; `close()` stops the server."""

    content_type = "application/json"

    def __init__(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body, headers = server.respond(self.path, self.headers)
                self.send_response(status)
                for name, value in {"Content-Type": server.content_type, **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def respond(self, path: str, headers: Message) -> tuple[int, bytes, dict[str, str]]:
        raise NotImplementedError

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
