"""The client workloads, each run the same way against both servers.

A scenario is a function of a Context that does the work, checks it against the corpus manifest
(message counts, byte counts, search hits) and returns how many units it did; a failed check
raises BenchError, so a broken run cannot look fast. `setup` runs untimed before each run and
`teardown` untimed after it.
"""

import asyncio
import os
import re
import subprocess
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

import corpus
from client import IMAP, POP3, BenchError
from servers import PASSWORD

HEADER_FIELDS = ("From To Cc Bcc Subject Date Message-ID Priority X-Priority References Newsgroups "
                 "In-Reply-To Content-Type Reply-To")
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
_EXISTS = re.compile(rb"^\* (\d+) EXISTS")


@dataclass
class Context:
    server: object
    manifest: dict
    corpus_mail: str
    run: int
    owner: tuple  # uid, gid
    notes: dict = field(default_factory=dict)  # extra figures a scenario reports (memory per connection)

    def folder(self, key):
        return self.manifest["folders"][key]

    def port(self, name):
        return self.server.ports[name]


@dataclass
class Scenario:
    name: str
    unit: str  # what `run` counts: "messages", "logins", "selects", ...
    description: str
    run: Callable[[Context], int]
    setup: Optional[Callable[[Context], None]] = None
    teardown: Optional[Callable[[Context], None]] = None  # untimed, after each run
    kind: str = "throughput"  # or "select" (latency of one operation) or "memory"
    runs: Optional[int] = None  # overrides the run count (the idle scenario is long)


def imap_session(ctx, user, tls=False):
    session = IMAP(ctx.port("imaps" if tls else "imap"), tls)
    session.login(user, PASSWORD)
    return session


def select(session, mailbox, expected):
    untagged = session.command(f'SELECT "{mailbox}"')
    exists = [int(m.group(1)) for text, _ in untagged if (m := _EXISTS.match(text))]
    if exists != [expected]:
        raise BenchError(f"SELECT {mailbox}: EXISTS {exists}, expected {expected}")


def in_parallel(clients, work):
    """Runs work(index) for each client on a thread of its own; raises the first failure."""
    errors = []

    def client(index):
        try:
            work(index)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise BenchError(f"{len(errors)} of {clients} clients failed: {errors[0]}")


# --- POP3 ------------------------------------------------------------------------------------

def pop3_download(tls):
    def run(ctx):
        folder = ctx.folder("small/INBOX")
        session = POP3(ctx.port("pop3s" if tls else "pop3"), tls)
        session.login("small", PASSWORD)
        count, octets = map(int, session.command("STAT").split()[1:3])
        if (count, octets) != (folder["count"], folder["crlf_bytes"]):
            raise BenchError(f"STAT {count} {octets}, expected {folder['count']} {folder['crlf_bytes']}")
        uidl = session.multiline("UIDL")
        listing = session.multiline("LIST")
        if uidl.count(b"\r\n") - 1 != count or listing.count(b"\r\n") - 1 != count:
            raise BenchError("UIDL or LIST did not list every message")
        received = 0
        for number in range(1, count + 1):
            received += session.message_octets(f"RETR {number}")
        session.quit()
        if received != folder["crlf_bytes"]:
            raise BenchError(f"RETR gave {received} octets, expected {folder['crlf_bytes']}")
        return count
    return run


# --- SELECT ----------------------------------------------------------------------------------

def fresh_user(user, ctx):
    return f"fresh-{user}-{ctx.run}"


def remove_tree(path):
    """rm -rf, again if a server was still writing into the tree (an index written after the
    session ended) while it was removed."""
    for attempt in range(10):
        if subprocess.run(["rm", "-rf", path], stderr=subprocess.DEVNULL).returncode == 0:
            return
        time.sleep(0.2)
    subprocess.run(["rm", "-rf", path], check=True)


def copy_user(ctx, source, target):
    path = ctx.server.mail_path(target)
    remove_tree(path)
    subprocess.run(["cp", "-al", os.path.join(ctx.corpus_mail, source), path], check=True)
    for directory, _, _ in os.walk(path):
        os.chown(directory, *ctx.owner)


def select_first(user):
    """A user whose Maildir the server has never seen: no index, no UID list."""
    def setup(ctx):
        copy_user(ctx, user, fresh_user(user, ctx))

    def run(ctx):
        session = imap_session(ctx, fresh_user(user, ctx))
        select(session, "INBOX", ctx.folder(f"{user}/INBOX")["count"])
        session.logout()
        return 1

    def teardown(ctx):
        remove_tree(ctx.server.mail_path(fresh_user(user, ctx)))
    return setup, run, teardown


def select_warm(user):
    def run(ctx):
        session = imap_session(ctx, user)
        select(session, "INBOX", ctx.folder(f"{user}/INBOX")["count"])
        session.logout()
        return 1
    return run


# --- FETCH -----------------------------------------------------------------------------------

def fetch_all(items, uid):
    def run(ctx):
        folder = ctx.folder("medium/INBOX")
        session = imap_session(ctx, "medium")
        select(session, "INBOX", folder["count"])
        text, _ = session.bulk(("UID FETCH" if uid else "FETCH") + f" 1:* ({items})")
        session.logout()
        seen = {"responses": text.count(b" FETCH ("), "sizes": sum(map(int, _SIZE.findall(text)))}
        if (seen["responses"], seen["sizes"]) != (folder["count"], folder["crlf_bytes"]):
            raise BenchError(f"FETCH: {seen}, expected {folder['count']} responses and {folder['crlf_bytes']} octets")
        return folder["count"]
    return run


def parallel_bodies(tls, clients=20, per_client=200):
    def run(ctx):
        folder = ctx.folder("medium/INBOX")

        def client(index):
            session = imap_session(ctx, "medium", tls)
            select(session, "INBOX", folder["count"])
            first = index * per_client + 1
            text, literal_sizes = session.bulk(f"FETCH {first}:{first + per_client - 1} (BODY.PEEK[])")
            session.logout()
            expected = sum(folder["crlf_sizes"][first - 1:first - 1 + per_client])
            if text.count(b" FETCH (") != per_client or sum(literal_sizes) != expected:
                raise BenchError(f"client {index}: {sum(literal_sizes)} octets in {text.count(b' FETCH (')} responses, "
                                 f"expected {expected} in {per_client}")
        in_parallel(clients, client)
        return clients * per_client
    return run


def parallel_largest(clients=20, count=10):
    """Every client fetches the `count` largest messages of the 100k INBOX (attachments of 1-2 MB):
    what the server holds per session must not grow with the message size."""
    def run(ctx):
        from servers import memory_kb
        folder = ctx.folder("large/INBOX")
        sizes = folder["crlf_sizes"]
        largest = sorted(sorted(range(len(sizes)), key=lambda i: -sizes[i])[:count])
        expected = sum(sizes[i] for i in largest)
        ctx.notes["rss_before_kb"] = memory_kb(ctx.server.pid)

        def client(index):
            session = imap_session(ctx, "large")
            select(session, "INBOX", folder["count"])
            text, literal_sizes = session.bulk("FETCH " + ",".join(str(i + 1) for i in largest) + " (BODY.PEEK[])")
            session.logout()
            if sum(literal_sizes) != expected or text.count(b" FETCH (") != count:
                raise BenchError(f"client {index}: {sum(literal_sizes)} octets in {text.count(b' FETCH (')} responses, "
                                 f"expected {expected} in {count}")
        in_parallel(clients, client)
        return clients * count
    return run


# --- SEARCH ----------------------------------------------------------------------------------

def search(criteria, expected_key):
    def run(ctx):
        folder = ctx.folder("medium/INBOX")
        session = imap_session(ctx, "medium")
        select(session, "INBOX", folder["count"])
        untagged = session.command(f"UID SEARCH {criteria}")
        hits = sum(len(text.split()) - 2 for text, _ in untagged if text.startswith(b"* SEARCH"))
        session.logout()
        if hits != folder[expected_key]:
            raise BenchError(f"SEARCH {criteria}: {hits} hits, expected {folder[expected_key]}")
        return 1
    return run


# --- STORE and EXPUNGE -----------------------------------------------------------------------

def store_user(ctx):
    return f"store-{ctx.run}"


def store_setup(ctx):
    """A copy of the 10k user the server has already opened once, as a client would have. The copy
    is left to settle first (no change for 2 s), as a real mailbox is between a client's visits:
    both servers distrust directory times that are younger than that and list the folder again."""
    copy_user(ctx, "medium", store_user(ctx))
    time.sleep(2.5)
    session = imap_session(ctx, store_user(ctx))
    select(session, "INBOX", ctx.folder("medium/INBOX")["count"])
    session.logout()


def store_expunge(ctx):
    count = ctx.folder("medium/INBOX")["count"]
    session = imap_session(ctx, store_user(ctx))
    select(session, "INBOX", count)
    session.command("STORE 1:* +FLAGS (\\Seen)")
    unseen = session.command("SEARCH UNSEEN")
    if any(len(text.split()) > 2 for text, _ in unseen if text.startswith(b"* SEARCH")):
        raise BenchError("messages still unseen after STORE 1:* +FLAGS (\\Seen)")
    session.command("STORE 1:100 +FLAGS.SILENT (\\Deleted)")
    expunged = sum(1 for text, _ in session.command("EXPUNGE") if text.endswith(b" EXPUNGE\r\n"))
    session.command("NOOP")
    session.logout()
    if expunged != 100:
        raise BenchError(f"EXPUNGE removed {expunged} messages, expected 100")
    return count


def store_teardown(ctx):
    remove_tree(ctx.server.mail_path(store_user(ctx)))


# --- APPEND ----------------------------------------------------------------------------------

_APPEND_MESSAGES = None


def append_messages():
    """1,000 messages of about 10 KB, with CRLF line ends as clients send them."""
    global _APPEND_MESSAGES
    if _APPEND_MESSAGES is None:
        messages = []
        for _, _, data, _, _ in corpus.messages(seed=777, count=3000):
            if 6_000 <= len(data) <= 16_000:
                messages.append(data.replace(b"\n", b"\r\n"))
            if len(messages) == 1000:
                break
        _APPEND_MESSAGES = messages
    return _APPEND_MESSAGES


def append_folder(ctx):
    return f"Appended{ctx.run}"


def append_setup(ctx):
    append_messages()
    session = imap_session(ctx, "medium")
    session.command(f"CREATE {append_folder(ctx)}")
    session.logout()


def append(ctx):
    messages = append_messages()
    session = imap_session(ctx, "medium")
    for message in messages:
        session.append(append_folder(ctx), message)
    status = session.command(f"STATUS {append_folder(ctx)} (MESSAGES)")
    session.logout()
    if not any(f"(MESSAGES {len(messages)})".encode() in text for text, _ in status):
        raise BenchError(f"after APPEND: {status}")
    return len(messages)


def append_teardown(ctx):
    session = imap_session(ctx, "medium")
    session.command(f"DELETE {append_folder(ctx)}")
    session.logout()


# --- Logins ----------------------------------------------------------------------------------

def logins(clients, per_client):
    def run(ctx):
        def client(_):
            for _ in range(per_client):
                imap_session(ctx, "small").logout()
        in_parallel(clients, client)
        return clients * per_client
    return run


# --- Many idle clients -----------------------------------------------------------------------

def idle_clients(count):
    """`count` connections logged in with INBOX selected, all in IDLE; memory before and after."""
    def run(ctx):
        from servers import memory_kb
        rss_before, pss_before = memory_kb(ctx.server.pid), memory_kb(ctx.server.pid, proportional=True)
        expected = ctx.folder("small/INBOX")["count"]

        async def one(gate, writers):
            async with gate:
                reader, writer = await asyncio.open_connection("127.0.0.1", ctx.port("imap"))
                writers.append(writer)
                if not (await reader.readline()).startswith(b"* OK"):
                    raise BenchError("no greeting")
                for tag, command in ((b"a", f'LOGIN "small" "{PASSWORD}"'.encode()), (b"b", b"SELECT INBOX")):
                    writer.write(tag + b" " + command + b"\r\n")
                    exists = None
                    while True:
                        line = await reader.readline()
                        if not line:
                            raise BenchError("connection closed")
                        if (m := _EXISTS.match(line)):
                            exists = int(m.group(1))
                        if line.startswith(tag + b" "):
                            if not line.startswith(tag + b" OK"):
                                raise BenchError(line.decode(errors="replace"))
                            break
                if exists != expected:
                    raise BenchError(f"SELECT: EXISTS {exists}")
                writer.write(b"c IDLE\r\n")
                if not (await reader.readline()).startswith(b"+"):
                    raise BenchError("IDLE not accepted")

        async def main():
            gate, writers = asyncio.Semaphore(64), []
            try:
                results = await asyncio.gather(*(one(gate, writers) for _ in range(count)), return_exceptions=True)
                failures = [r for r in results if isinstance(r, BaseException)]
                if failures:
                    raise BenchError(f"{len(failures)} of {count} connections failed: {failures[0]!r}")
                await asyncio.sleep(1)
                ctx.notes["rss_kb_per_connection"] = (memory_kb(ctx.server.pid) - rss_before) / count
                ctx.notes["pss_kb_per_connection"] = (memory_kb(ctx.server.pid, proportional=True) - pss_before) / count
            finally:
                for writer in writers:
                    writer.close()
        asyncio.run(main())
        return count
    return run


def scenarios(idle_count=2000):
    first10k, first100k = select_first("medium"), select_first("large")
    return [
        Scenario("pop3-download", "messages", "POP3: login, STAT, UIDL, LIST, RETR of all 1,000 messages",
                 pop3_download(False)),
        Scenario("pop3s-download", "messages", "the same over POP3S", pop3_download(True)),
        Scenario("select-10k-first", "selects", "LOGIN + SELECT of a 10k INBOX never opened before",
                 first10k[1], setup=first10k[0], teardown=first10k[2], kind="select"),
        Scenario("select-10k-warm", "selects", "LOGIN + SELECT of the 10k INBOX", select_warm("medium"), kind="select"),
        Scenario("select-100k-first", "selects", "LOGIN + SELECT of a 100k INBOX never opened before",
                 first100k[1], setup=first100k[0], teardown=first100k[2], kind="select"),
        Scenario("select-100k-warm", "selects", "LOGIN + SELECT of the 100k INBOX", select_warm("large"), kind="select"),
        Scenario("header-fetch-10k", "messages", "first-sync UID FETCH 1:* (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (...)])",
                 fetch_all(f"UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS ({HEADER_FIELDS})]", uid=True)),
        Scenario("envelope-fetch-10k", "messages", "FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)",
                 fetch_all("UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE", uid=False)),
        Scenario("parallel-bodies", "messages", "20 clients, each FETCH of BODY.PEEK[] for 200 messages",
                 parallel_bodies(False)),
        Scenario("parallel-bodies-tls", "messages", "the same over IMAPS", parallel_bodies(True)),
        Scenario("parallel-largest", "messages", "20 clients, each FETCH of BODY.PEEK[] for the 10 largest messages (1-2 MB)",
                 parallel_largest()),
        Scenario("search-text-10k", "searches", f"UID SEARCH TEXT {corpus.TEXT_MARKER} on 10k messages",
                 search(f"TEXT {corpus.TEXT_MARKER}", "text_marker"), kind="select"),
        Scenario("search-subject-10k", "searches", f"UID SEARCH SUBJECT {corpus.SUBJECT_MARKER} SINCE {corpus.SINCE_DAY}",
                 search(f"SUBJECT {corpus.SUBJECT_MARKER} SINCE {corpus.SINCE_DAY}", "subject_marker_since"), kind="select"),
        Scenario("store-expunge-10k", "messages", "STORE 1:* +FLAGS (\\Seen), 100 \\Deleted + EXPUNGE on 10k",
                 store_expunge, setup=store_setup, teardown=store_teardown),
        Scenario("append-1000", "messages", "APPEND of 1,000 messages of about 10 KB", append,
                 setup=append_setup, teardown=append_teardown),
        Scenario("logins-sequential", "logins", "200 times connect, LOGIN, LOGOUT", logins(1, 200)),
        Scenario("logins-parallel", "logins", "20 clients, each 20 times connect, LOGIN, LOGOUT", logins(20, 20)),
        Scenario("idle-clients", "connections", f"{idle_count} connections logged in, INBOX selected, in IDLE",
                 idle_clients(idle_count), kind="memory", runs=2),
    ]
