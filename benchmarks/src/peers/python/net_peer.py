"""The Python peers of Weft's network sitting (benchmarks/compare-net.sh): asyncio and uvloop, each
through streams and through an asyncio.Protocol, serving HTTP/1.1 keep-alive "Hello, World!" or
TCP echo on 127.0.0.1 until killed.

The HTTP parsing is the one every peer does: a request is its head, up to and with its blank line
(\\r\\n\\r\\n). The streams handler is Weft's HelloHttp line for line (readuntil, write, drain);
the protocol counts the heads that end in each read and answers them with one write.

Usage: python3 net_peer.py http|echo streams|protocol PORT [--uvloop]; prints READY once it listens.
"""
import asyncio
import sys

RESPONSE = (b"HTTP/1.1 200 OK\r\n"
            b"Content-Type: text/plain\r\n"
            b"Content-Length: 13\r\n"
            b"\r\n"
            b"Hello, World!")
HEAD_END = b"\r\n\r\n"
ECHO_READ = 64 * 1024
BACKLOG = 4096  # the same as every other peer's, so that 256 connects at once are not dropped


async def http_streams(reader, writer):
    try:
        while True:
            await reader.readuntil(HEAD_END)
            writer.write(RESPONSE)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def echo_streams(reader, writer):
    try:
        while True:
            data = await reader.read(ECHO_READ)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


class HttpProtocol(asyncio.Protocol):
    """Counts the heads that end in each read, remembering a \\r\\n\\r\\n split over two reads."""

    def __init__(self):
        self.transport = None
        self.tail = b""

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        if self.tail:
            data = self.tail + data
        heads = data.count(HEAD_END)
        rest = data[data.rfind(HEAD_END) + 4:] if heads else data
        self.tail = _partial(rest)
        if heads:
            self.transport.write(RESPONSE * heads)


def _partial(data):
    """How much of a head's blank line the bytes end with (at most three bytes)."""
    for k in (3, 2, 1):
        if data.endswith(HEAD_END[:k]):
            return HEAD_END[:k]
    return b""


class EchoProtocol(asyncio.Protocol):
    def __init__(self):
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)


async def main(workload, api, port):
    loop = asyncio.get_running_loop()
    if api == "streams":
        handler = http_streams if workload == "http" else echo_streams
        server = await asyncio.start_server(handler, "127.0.0.1", port, backlog=BACKLOG)
    else:
        factory = HttpProtocol if workload == "http" else EchoProtocol
        server = await loop.create_server(factory, "127.0.0.1", port, backlog=BACKLOG)
    print("READY", server.sockets[0].getsockname(), flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--uvloop"]
    if len(args) != 3 or args[0] not in ("http", "echo") or args[1] not in ("streams", "protocol"):
        sys.exit("usage: net_peer.py http|echo streams|protocol PORT [--uvloop]")
    if "--uvloop" in sys.argv:
        import uvloop
        uvloop.install()
    asyncio.run(main(args[0], args[1], int(args[2])))
