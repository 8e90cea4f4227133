"""Small, fast IMAP and POP3 clients over blocking sockets, for measuring servers.

They speak just enough of each protocol to drive the scenarios and count what came back: a
response is read line by line, literals are read by their announced size, and callers get each
untagged response's text and literal bytes to check. Errors raise BenchError with the server's words.
"""

import re
import socket
import ssl

_LITERAL = re.compile(rb"\{(\d+)\}\r\n$")
_LITERAL_ANYWHERE = re.compile(rb"\{(\d+)\}\r\n")
_CHUNK = 1 << 18


class BenchError(Exception):
    pass


def tls_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


_CONTEXT = None


def connect(port, tls=False, host="127.0.0.1", timeout=600):
    global _CONTEXT
    sock = socket.create_connection((host, port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if tls:
        _CONTEXT = _CONTEXT or tls_context()
        sock = _CONTEXT.wrap_socket(sock)
    return sock


class LineReader:
    def __init__(self, sock):
        self.sock = sock
        self.buffer = bytearray()
        self.chunk = bytearray(_CHUNK)
        self.chunk_view = memoryview(self.chunk)
        self.start = 0
        self.received = 0

    def _fill(self):
        if self.start > 1 << 20:
            del self.buffer[:self.start]
            self.start = 0
        # Into one reused buffer: recv(_CHUNK) would allocate (and map) 256 KiB for every read.
        count = self.sock.recv_into(self.chunk)
        if not count:
            raise BenchError("connection closed by the server")
        self.received += count
        self.buffer += self.chunk_view[:count]

    def line(self):
        """The next line, CRLF included."""
        while True:
            end = self.buffer.find(b"\r\n", self.start)
            if end >= 0:
                line = self.buffer[self.start:end + 2]
                self.start = end + 2
                return line
            self._fill()

    def skip(self, count):
        """Passes over `count` bytes without copying them."""
        while len(self.buffer) - self.start < count:
            count -= len(self.buffer) - self.start
            self.start = len(self.buffer)
            self._fill()
        self.start += count

    def exactly(self, count):
        while len(self.buffer) - self.start < count:
            self._fill()
        data = bytes(self.buffer[self.start:self.start + count])
        self.start += count
        return data

    def until(self, terminator):
        """Bytes up to and including terminator."""
        end = self.find(terminator)
        data = bytes(self.buffer[self.start:end])
        self.start = end
        return data

    def find(self, terminator):
        """Where the next terminator ends in `buffer`, reading until it is there; `start` stays."""
        search_from = self.start
        while True:
            end = self.buffer.find(terminator, search_from)
            if end >= 0:
                return end + len(terminator)
            # _fill may move what is unread to the front of the buffer.
            search_from = max(0, len(self.buffer) - self.start - len(terminator))
            self._fill()
            search_from += self.start


class IMAP:
    """One IMAP connection. `command` returns the untagged responses as (text, [literals])."""

    def __init__(self, port, tls=False):
        self.sock = connect(port, tls)
        self.reader = LineReader(self.sock)
        self.greeting = self.reader.line()
        if not self.greeting.startswith(b"* OK"):
            raise BenchError(f"greeting: {self.greeting!r}")
        self.counter = 0

    def _tag(self):
        self.counter += 1
        return f"b{self.counter}".encode()

    def response(self, keep_literals=True):
        """One response: its text (literals left out) and its literals, or only their sizes
        without keep_literals (then they are not even copied)."""
        line = self.reader.line()
        if not line.endswith(b"}\r\n"):
            return line, []
        text, literals = [line], []
        while True:
            match = _LITERAL.search(line)
            if not match:
                return b"".join(text), literals
            size = int(match.group(1))
            if keep_literals:
                literals.append(self.reader.exactly(size))
            else:
                self.reader.skip(size)
                literals.append(size)
            line = self.reader.line()
            text.append(line)

    def command(self, text, on_untagged=None, keep_literals=True):
        """Sends a command and reads to its tagged completion, which must be OK. With on_untagged,
        each untagged response goes there instead of into the returned list."""
        tag = self._tag()
        self.sock.sendall(tag + b" " + text.encode() + b"\r\n")
        return self.complete(tag, on_untagged, keep_literals)

    def complete(self, tag, on_untagged=None, keep_literals=True):
        untagged = []
        prefix = tag + b" "
        while True:
            text, literals = self.response(keep_literals)
            if text.startswith(prefix):
                if not text.startswith(prefix + b"OK"):
                    raise BenchError(f"{tag.decode()}: {text[:300]!r}")
                return untagged
            if on_untagged is not None:
                on_untagged(text, literals)
            else:
                untagged.append((text, literals))

    def bulk(self, text):
        """Sends a command with a large answer (FETCH 1:*) and parses it in bulk: returns the
        untagged text with literals left out, and the literal sizes. Per-response Python work
        would otherwise be what a fast server waits for."""
        tag = self._tag()
        self.sock.sendall(tag + b" " + text.encode() + b"\r\n")
        reader, texts, sizes = self.reader, [], []
        while True:
            buffer, parsed_to = reader.buffer, reader.start
            # Text up to each literal whose bytes are all here, the literal passed over.
            while True:
                match = _LITERAL_ANYWHERE.search(buffer, parsed_to)
                if not match or match.end() + int(match.group(1)) > len(buffer):
                    break
                texts.append(bytes(buffer[parsed_to:match.start()]))
                sizes.append(int(match.group(1)))
                parsed_to = match.end() + int(match.group(1))
            reader.start = parsed_to
            if not match:
                # No literal pending: done once the tagged line is complete.
                if buffer.startswith(tag + b" ", parsed_to):
                    at = parsed_to
                else:
                    at = buffer.find(b"\r\n" + tag + b" ", parsed_to)
                    at = at + 2 if at >= 0 else -1
                line_end = buffer.find(b"\r\n", at) if at >= 0 else -1
                if line_end >= 0:
                    texts.append(bytes(buffer[parsed_to:at]))
                    completion = bytes(buffer[at:line_end + 2])
                    reader.start = line_end + 2
                    if not completion.startswith(tag + b" OK"):
                        raise BenchError(f"{tag.decode()}: {completion[:300]!r}")
                    return b"".join(texts), sizes
            reader._fill()

    def login(self, user, password):
        self.command(f'LOGIN "{user}" "{password}"')

    def append(self, mailbox, message, flags="\\Seen"):
        """APPEND with a synchronizing literal, as most clients send it."""
        tag = self._tag()
        self.sock.sendall(tag + f' APPEND "{mailbox}" ({flags}) {{{len(message)}}}\r\n'.encode())
        line = self.reader.line()
        if not line.startswith(b"+"):
            raise BenchError(f"APPEND: expected a continuation, got {line!r}")
        self.sock.sendall(message + b"\r\n")
        return self.complete(tag)

    def logout(self):
        try:
            self.command("LOGOUT")
        finally:
            self.sock.close()


class POP3:
    def __init__(self, port, tls=False):
        self.sock = connect(port, tls)
        self.reader = LineReader(self.sock)
        self.greeting = self._status()

    def _status(self):
        line = self.reader.line()
        if not line.startswith(b"+OK"):
            raise BenchError(f"POP3: {line!r}")
        return line

    def command(self, text):
        self.sock.sendall(text.encode() + b"\r\n")
        return self._status()

    def multiline(self, text):
        """The body of a multi-line response, still dot-stuffed, with its final ".\\r\\n"."""
        self.command(text)
        if self.reader.exactly(3) == b".\r\n":
            return b".\r\n"
        self.reader.start -= 3
        return self.reader.until(b"\r\n.\r\n")

    def message_octets(self, text):
        """Sends RETR or TOP and counts the octets of the message in the answer, dot-stuffing undone
        and terminator removed, in the read buffer: the message is not copied out of it (twice, as
        before), which was most of this client's time per message."""
        self.command(text)
        reader = self.reader
        if reader.exactly(3) == b".\r\n":
            return 0
        reader.start -= 3
        end = reader.find(b"\r\n.\r\n")
        buffer, start = reader.buffer, reader.start
        body_end = end - 3  # the CRLF before the final ".\r\n" ends the message's last line
        octets = body_end - start - buffer.count(b"\r\n..", start, body_end) - (1 if buffer.startswith(b"..", start) else 0)
        reader.start = end
        return octets

    def login(self, user, password):
        self.command(f"USER {user}")
        self.command(f"PASS {password}")

    def quit(self):
        try:
            self.command("QUIT")
        finally:
            self.sock.close()
