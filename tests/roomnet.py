"""A training room's network on one machine: phones and the trainer's laptop open the
server at a LAN address (192.168.1.20:PORT), and every byte still goes to loopback.

Chromium is pointed at a small HTTP proxy on 127.0.0.1; the proxy accepts requests only
for the room's address and forwards them, Host header unchanged, to the server on
127.0.0.1. Nothing here ever connects to any address but 127.0.0.1."""
import contextlib
import http.client
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate"}


def pipe(a: socket.socket, b: socket.socket):
    """Copy bytes both ways until either side closes."""
    def copy(src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    back = threading.Thread(target=copy, args=(b, a), daemon=True)
    back.start()
    copy(a, b)
    back.join(timeout=60)
    b.close()


class RoomProxy:
    """`with RoomProxy("192.168.1.20:8123", 8123) as proxy:` then `proxy.server` for
    Playwright's `proxy=` option."""

    def __init__(self, room_host: str, server_port: int):
        self.room_host, self.server_port = room_host, server_port
        self.forwarded = []  # (method, host, path) of every request passed on

    def __enter__(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def forward(self):
                url = urlsplit(self.path)
                host = url.netloc or self.headers.get("Host", "")
                if host != proxy.room_host:  # the room's address only; never anywhere else
                    self.send_error(403, "not the room's address")
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                headers["Host"] = host
                path = url.path + (f"?{url.query}" if url.query else "")
                conn = http.client.HTTPConnection("127.0.0.1", proxy.server_port, timeout=60)
                try:
                    conn.request(self.command, path or "/", body=body, headers=headers)
                    response = conn.getresponse()
                    data = response.read()
                finally:
                    conn.close()
                proxy.forwarded.append((self.command, host, path))
                self.send_response(response.status, response.reason)
                for k, v in response.getheaders():
                    if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_HEAD = forward

            def do_CONNECT(self):
                """A tunnel (Playwright's own requests ask for one): to the server on
                127.0.0.1, for the room's address only."""
                if self.path != proxy.room_host:
                    self.send_error(403, "not the room's address")
                    return
                upstream = socket.create_connection(("127.0.0.1", proxy.server_port), timeout=60)
                self.send_response(200, "Connection established")
                self.end_headers()
                proxy.forwarded.append(("CONNECT", self.path, ""))
                pipe(self.connection, upstream)
                self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.server = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
