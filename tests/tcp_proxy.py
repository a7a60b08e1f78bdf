"""A TCP proxy in threads, between the app and the PostgreSQL test server (and
helpers for the team server's fault tests): stopping it is the server going away
(listener closed, every connection cut), starting it again on the same port is
the server coming back.

With ``password``, the proxy is also a server that wants one (the test server
trusts everyone): it answers the client's start-up with PostgreSQL's
"cleartext password" request, refuses a wrong password as a server does
(SQLSTATE 28P01), and with the right one hands the connection over to the real
server (which then says "authentication ok")."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading

from sqlalchemy.engine import make_url

from annotator.storage import team
from tests.postgres import _conninfo, connect

_SSL_REQUEST = 80877103
_GSS_REQUEST = 80877104


def _read(sock: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


class TcpProxy:
    def __init__(self, target: tuple[str, int], port: int = 0,
                 password: str | None = None) -> None:
        self.target = target
        self.port = port
        self.password = password
        #: The passwords clients sent (to check what reached the "server").
        self.passwords: list[str] = []
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    @classmethod
    def to_test_server(cls, password: str | None = None) -> TcpProxy:
        """A proxy (not started) to the PostgreSQL test server."""
        info = _conninfo()
        return cls((info["host"], info["port"]), password=password)

    def start(self) -> TcpProxy:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._spawn(self._accept_loop, listener)
        return self

    def stop(self) -> None:
        """Close the listener and cut every connection (the server is gone)."""
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                listener.close()
        with self._lock:
            sockets = list(self._sockets)
            self._sockets.clear()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []

    def url(self, location: str) -> str:
        """``location`` (a test project's URL) through this proxy."""
        from sqlalchemy.engine import make_url
        return make_url(location).set(host="127.0.0.1", port=self.port).render_as_string(
            hide_password=False)

    def _spawn(self, target, *args) -> None:  # type: ignore[no-untyped-def]
        thread = threading.Thread(target=target, args=args, name="test-proxy", daemon=True)
        self._threads.append(thread)
        thread.start()

    def _keep(self, *socks: socket.socket) -> None:
        with self._lock:
            self._sockets.update(socks)

    def _accept_loop(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return          # closed: stopped
            self._keep(client)
            self._spawn(self._serve, client)

    def _serve(self, client: socket.socket) -> None:
        try:
            startup = self._handshake(client) if self.password is not None else b""
            if startup is None:
                client.close()
                return
            upstream = socket.create_connection(self.target, timeout=5)
            upstream.settimeout(None)
            self._keep(upstream)
            if startup:
                upstream.sendall(startup)
        except OSError:
            with contextlib.suppress(OSError):
                client.close()
            return
        self._spawn(self._pump, upstream, client)
        self._pump(client, upstream)

    def _handshake(self, client: socket.socket) -> bytes | None:
        """Ask the client's password; its start-up message when it is right."""
        while True:
            (length,) = struct.unpack("!i", _read(client, 4))
            body = _read(client, length - 4)
            (code,) = struct.unpack("!i", body[:4])
            if code in (_SSL_REQUEST, _GSS_REQUEST):
                client.sendall(b"N")
                continue
            startup = struct.pack("!i", length) + body
            break
        client.sendall(b"R" + struct.pack("!ii", 8, 3))       # cleartext password, please
        kind = _read(client, 1)
        (length,) = struct.unpack("!i", _read(client, 4))
        given = _read(client, length - 4).rstrip(b"\0").decode()
        if kind != b"p":
            return None
        self.passwords.append(given)
        if given == self.password:
            return startup
        fields = (b"SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user "
                  b"\"someone\"\0\0")
        client.sendall(b"E" + struct.pack("!i", len(fields) + 4) + fields)
        return None

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()
            with self._lock:
                self._sockets.discard(sock)


def terminate_app_connections(location: str) -> int:
    """End the server's backends of Annotator's connections to ``location``'s
    database (as an administrator would); how many."""
    database = make_url(location).database
    with connect() as connection:
        rows = connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
            "application_name = %s AND datname = %s AND pid <> pg_backend_pid()",
            (team.APPLICATION_NAME, database)).fetchall()
    return len(rows)


def stored_claim_ids(location: str) -> set[str]:
    """The claims on the server, read through a plain driver connection."""
    url = make_url(location)
    options = url.query["options"]
    schema = str(options).split("search_path=")[1].split()[0]
    with connect(url.database) as connection:
        return {row[0] for row in connection.execute(f'SELECT id FROM "{schema}".claims')}


