"""A TCP relay in a thread, to take a database server away from a running app and back.

The app connects to the relay's port instead of the server's. `cut()` closes the
listening socket and every relayed connection, as a dead network path or a
restarted server would: pooled connections break in mid-life and new ones are
refused. `restore()` listens again on the same port.

All sockets are touched by the relay's thread only; `cut()`, `restore()` and
`relayed()` hand their work to it and wait for the answer.
"""

import queue
import selectors
import socket
import threading
from concurrent.futures import Future

CHUNK = 65536
SELECT_SECONDS = 0.05
SOCKET_TIMEOUT_SECONDS = 10


class TcpProxy:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.host = "127.0.0.1"
        self._selector = selectors.DefaultSelector()
        self._listener = self._listen(0)
        self.port = self._listener.getsockname()[1]
        self._peers: dict[socket.socket, socket.socket] = {}
        self._commands: queue.Queue = queue.Queue()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="tcp-proxy", daemon=True)

    def __enter__(self) -> "TcpProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._call(self._stop)
        self._thread.join(SOCKET_TIMEOUT_SECONDS)

    def cut(self) -> None:
        """Refuse new connections and close every relayed one."""
        self._call(self._cut)

    def restore(self) -> None:
        """Accept connections again, on the same port."""
        self._call(self._restore)

    def relayed(self) -> int:
        """How many connections are being relayed now."""
        return self._call(lambda: len(self._peers) // 2)

    # Everything below runs in the relay's thread.

    def _call(self, work):
        done: Future = Future()
        self._commands.put((work, done))
        return done.result(timeout=SOCKET_TIMEOUT_SECONDS)

    def _listen(self, port: int) -> socket.socket:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, port))
        listener.listen()
        self._selector.register(listener, selectors.EVENT_READ)
        return listener

    def _run(self) -> None:
        while not self._stopping:
            for key, _events in self._selector.select(SELECT_SECONDS):
                if key.fileobj is self._listener:
                    self._accept()
                elif key.fileobj in self._peers:  # not closed earlier in this round
                    self._relay(key.fileobj)
            while not self._commands.empty():
                work, done = self._commands.get()
                try:
                    done.set_result(work())
                except Exception as error:  # noqa: BLE001  (handed to the caller)
                    done.set_exception(error)
        self._selector.close()

    def _accept(self) -> None:
        client, _address = self._listener.accept()
        try:
            server = socket.create_connection(self.target, timeout=SOCKET_TIMEOUT_SECONDS)
        except OSError:
            client.close()
            return
        for sock, peer in ((client, server), (server, client)):
            sock.settimeout(SOCKET_TIMEOUT_SECONDS)
            self._peers[sock] = peer
            self._selector.register(sock, selectors.EVENT_READ)

    def _relay(self, sock: socket.socket) -> None:
        peer = self._peers[sock]
        try:
            data = sock.recv(CHUNK)
            if data:
                peer.sendall(data)
                return
        except OSError:
            pass
        self._close_pair(sock)

    def _close_pair(self, sock: socket.socket) -> None:
        peer = self._peers.pop(sock)
        del self._peers[peer]
        for each in (sock, peer):
            self._selector.unregister(each)
            each.close()

    def _close_listener(self) -> None:
        if self._listener is not None:
            self._selector.unregister(self._listener)
            self._listener.close()
            self._listener = None

    def _cut(self) -> None:
        self._close_listener()
        while self._peers:
            self._close_pair(next(iter(self._peers)))

    def _restore(self) -> None:
        if self._listener is None:
            self._listener = self._listen(self.port)

    def _stop(self) -> None:
        self._cut()
        self._stopping = True
