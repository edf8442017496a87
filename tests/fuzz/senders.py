"""Two ways to send a FuzzRequest: Flask's test client (in-process, cheap) and a raw HTTP/1.1
connection to a live server (byte for byte: any method, raw path, any Host header)."""

from __future__ import annotations

import http.client
from typing import Callable
from urllib.parse import unquote_to_bytes

from werkzeug.datastructures import Headers

from tests.fuzz.checks import Answer
from tests.fuzz.strategies import FuzzRequest

Send = Callable[[FuzzRequest], Answer]


def client_sender(app) -> Send:
    """Send through `app.test_client()`, with the path and Host put into the WSGI environ as a WSGI
    server would (PATH_INFO percent-decoded, as latin-1): the test client would otherwise read a
    path like `//..` as a host name and IDNA-encode a 300-character Host, failing on its own side."""
    client = app.test_client()

    def send(request: FuzzRequest) -> Answer:
        path, _, query = request.target.partition("?")
        headers = [(k, v) for k, v in request.headers if k.lower() != "host"]
        overrides = {"PATH_INFO": unquote_to_bytes(path).decode("latin-1"), "REQUEST_URI": request.target,
                     "RAW_URI": request.target}
        overrides.update({"HTTP_HOST": v for k, v in request.headers if k.lower() == "host"})
        response = client.open("/", method=request.method, headers=headers, query_string=query or None,
                               data=request.body or None, environ_overrides=overrides)
        return Answer(response.status_code, response.headers, response.get_data())

    return send


def connection_sender(host_port: str, timeout: float) -> Send:
    """Send over a fresh connection to host:port per request (a crash cannot poison the next one)."""
    host, port = host_port.rsplit(":", 1)

    def send(request: FuzzRequest) -> Answer:
        connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
        try:
            connection.putrequest(request.method, request.target, skip_host=True, skip_accept_encoding=True)
            if "host" not in {name.lower() for name, _ in request.headers}:
                connection.putheader("Host", host_port)
            for name, value in request.headers:
                connection.putheader(name, value.encode("utf-8"))
            if request.body or request.method in ("POST", "PUT"):
                connection.putheader("Content-Length", str(len(request.body)))
            connection.endheaders(request.body or None)
            response = connection.getresponse()
            return Answer(response.status, Headers(response.getheaders()), response.read())
        finally:
            connection.close()

    return send
