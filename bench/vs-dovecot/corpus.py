"""A seeded corpus of realistic mail, written as Maildir, and its manifest.

The same seed always gives the same bytes, so runs on different days compare. Messages are plain
text, multipart/alternative and, in a few percent, multipart/mixed with a 100 KB-2 MB attachment;
headers carry RFC 2047 encoded words (UTF-8, GB2312), threads carry In-Reply-To and References.
Files use LF line ends as delivery agents write them; names carry S= and W= as Dovecot's do.

The manifest records, per folder, every message's file name, sizes and dates, and the number of
messages a benchmark search must find, so a scenario can check that the server did the work.
"""

import base64
import json
import os
import random
import time
from dataclasses import dataclass, field

# Words planted for the SEARCH scenarios; the word pool below never contains them.
TEXT_MARKER = "quokka"
SUBJECT_MARKER = "invoice"
# SEARCH ... SINCE this day. No message is dated within a day of it, so time zones cannot matter.
SINCE_DAY = "1-Jan-2025"
_SINCE_EPOCH = 1735689600  # 2025-01-01T00:00:00Z
_FIRST_DATE = 1640995200  # 2022-01-01
_LAST_DATE = 1780272000  # 2026-06-01

_WORDS = (
    "the of and to in is that for it as was with be by on not he this are or his from at which but "
    "have an they you were her she there been one all we their has would when if so no will more "
    "about can said them what out up other into than then some could time these two may first "
    "only new very also any after years over most where people just made before through back "
    "meeting report budget project server mail draft review deadline quarter schedule release "
    "build deploy customer contract figures numbers agenda notes follow update "
    "weekend holiday travel ticket train hotel dinner lunch coffee garden weather summer winter"
).split()
_NAMES = [
    ("Alice Martin", "alice.martin"), ("Bob Chen", "bob.chen"), ("Carol Diaz", "carol"),
    ("Dmitri Ivanov", "dmitri"), ("Émilie Dubois", "emilie"), ("José Álvarez", "jose"),
    ("王小明", "wang.xiaoming"), ("李华", "lihua"), ("Jürgen Müller", "juergen"),
    ("Fatima Zahra", "fatima"), ("Kenji Sato", "kenji"), ("Olga Petrova", "olga"),
]
_DOMAINS = ["example.org", "example.com", "mail.example.net", "lists.example.org"]
_SUBJECTS_NON_ASCII = ["Grüße aus München", "会议纪要", "Café à 10h", "季度报告", "Ñandú sighting"]


@dataclass
class Message:
    name: str
    lf_size: int  # bytes in the file
    crlf_size: int  # RFC822.SIZE: bytes with CRLF line ends
    date: int
    has_text_marker: bool
    has_subject_marker: bool


@dataclass
class Folder:
    name: str  # IMAP name, "INBOX" or a Maildir++ name without the leading dot
    messages: list = field(default_factory=list)


def _encoded_word(text, charset="UTF-8"):
    raw = text.encode("gb2312" if charset == "GB2312" else "utf-8")
    return f"=?{charset}?B?{base64.b64encode(raw).decode()}?="


def _address(rng):
    name, local = rng.choice(_NAMES)
    domain = rng.choice(_DOMAINS)
    if name.isascii():
        return f"{name} <{local}@{domain}>"
    charset = "GB2312" if any("\u4e00" <= c <= "\u9fff" for c in name) and rng.random() < 0.5 else "UTF-8"
    return f"{_encoded_word(name, charset)} <{local}@{domain}>"


def _sentence(rng, words):
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + "."


def _paragraphs(rng, size, marker):
    """Plain text of about `size` bytes, lines under 78 characters."""
    lines, line, width = [], [], 0
    for word in rng.choices(_WORDS, k=size // 5 + 1):
        line.append(word)
        width += len(word) + 1
        if width > 70:
            lines.append(" ".join(line))
            line, width = [], 0
            if rng.random() < 0.12:
                lines.append("")
    if line:
        lines.append(" ".join(line))
    if marker:
        lines.insert(rng.randrange(len(lines) + 1), f"Did you see the {TEXT_MARKER} at the zoo?")
    return "\n".join(lines) + "\n"


def _quoted_printable(text):
    out = []
    for line in text.split("\n"):
        encoded = "".join(c if (32 < ord(c) < 127 and c != "=") or c == " " else
                          "".join(f"={b:02X}" for b in c.encode("utf-8")) for c in line)
        while len(encoded) > 75:
            cut = 75
            while encoded[cut - 1] == "=" or encoded[cut - 2] == "=":
                cut -= 1
            out.append(encoded[:cut] + "=")
            encoded = encoded[cut:]
        out.append(encoded)
    return "\n".join(out)


def _base64_lines(data):
    encoded = base64.b64encode(data).decode()
    return "\n".join(encoded[i:i + 76] for i in range(0, len(encoded), 76)) + "\n"


def _text_part(rng, size, marker, subtype="plain"):
    text = _paragraphs(rng, size, marker)
    if subtype == "html":
        text = "<html><body>\n" + "".join(f"<p>{p}</p>\n" for p in text.split("\n\n")) + "</body></html>\n"
    roll = rng.random()
    if roll < 0.1:
        return (f"Content-Type: text/{subtype}; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
                + _base64_lines(text.encode()))
    if roll < 0.4:
        text = text.replace(" the ", " thé ", 3)
        return (f"Content-Type: text/{subtype}; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
                + _quoted_printable(text) + "\n")
    return f"Content-Type: text/{subtype}; charset=us-ascii\nContent-Transfer-Encoding: 7bit\n\n" + text


def _message(rng, number, date, thread, marker_text, marker_subject):
    """One message's text (LF line ends) and whether its subject has SUBJECT_MARKER."""
    message_id = f"<{number}.{rng.getrandbits(40):x}@{rng.choice(_DOMAINS)}>"
    if thread and rng.random() < 0.4:
        root_subject, references = thread[rng.randrange(len(thread))]
        subject = "Re: " + root_subject
        refs = references
        in_reply_to = references[-1]
        thread.append((root_subject, (references + [message_id])[-8:]))
    else:
        if rng.random() < 0.15:
            root_subject = rng.choice(_SUBJECTS_NON_ASCII)
        else:
            root_subject = _sentence(rng, rng.randint(3, 8))[:-1]
        if marker_subject:
            root_subject = f"{SUBJECT_MARKER.capitalize()} {rng.randint(1000, 99999)} {root_subject}"
        subject, refs, in_reply_to = root_subject, [], None
        thread.append((root_subject, [message_id]))
        if len(thread) > 200:
            del thread[:100]
    subject_marker = SUBJECT_MARKER in subject.lower()
    subject_header = subject if subject.isascii() else _encoded_word(subject)

    when = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(date))
    headers = []
    for hop in range(rng.randint(2, 4)):
        headers.append(f"Received: from mx{hop}.{rng.choice(_DOMAINS)} (mx{hop}.example.net [192.0.2.{rng.randint(1, 254)}])\n"
                       f"\tby mail.example.org (Postfix) with ESMTPS id {rng.getrandbits(48):X}\n"
                       f"\tfor <user@example.org>; {when}")
    headers += [
        "Return-Path: <bounce@example.net>",
        f"From: {_address(rng)}",
        f"To: {_address(rng)}" + (f", {_address(rng)}" if rng.random() < 0.3 else ""),
    ]
    if rng.random() < 0.2:
        headers.append(f"Cc: {_address(rng)}")
    headers += [f"Subject: {subject_header}", f"Date: {when}", f"Message-ID: {message_id}"]
    if in_reply_to:
        headers += [f"In-Reply-To: {in_reply_to}", "References: " + "\n ".join(refs)]
    if rng.random() < 0.1:
        headers.append("X-Priority: 3 (Normal)")
    headers.append("MIME-Version: 1.0")

    body_size = int(min(60000, max(300, rng.lognormvariate(8.6, 0.7))))  # median about 5.4 KB
    kind = rng.random()
    if kind < 0.6:
        part = _text_part(rng, body_size, marker_text)
        head, _, body = part.partition("\n\n")
        return "\n".join(headers) + "\n" + head + "\n\n" + body, subject_marker
    boundary = f"=_bench_{rng.getrandbits(64):016x}"
    alternative = (f"--{boundary}\n" + _text_part(rng, body_size, marker_text) + f"\n--{boundary}\n"
                   + _text_part(rng, body_size, marker_text, "html") + f"\n--{boundary}--\n")
    if kind < 0.98:
        return ("\n".join(headers) + f"\nContent-Type: multipart/alternative; boundary=\"{boundary}\"\n\n"
                + "This is a multi-part message in MIME format.\n\n" + alternative), subject_marker
    outer = f"=_mixed_{rng.getrandbits(64):016x}"
    attachment_size = int(100_000 * (20 ** rng.random()))  # 100 KB to 2 MB, log-uniform
    filename = rng.choice(["report.pdf", "photo.jpg", "slides.pptx", "数据.xlsx"])
    disposition = f'attachment; filename="{filename}"' if filename.isascii() else \
        f"attachment;\n filename*=UTF-8''{''.join(f'%{b:02X}' for b in filename.encode())}"
    return ("\n".join(headers) + f"\nContent-Type: multipart/mixed; boundary=\"{outer}\"\n\n"
            + f"--{outer}\nContent-Type: multipart/alternative; boundary=\"{boundary}\"\n\n" + alternative
            + f"\n--{outer}\nContent-Type: application/octet-stream; name=\"{filename}\"\n"
            + f"Content-Transfer-Encoding: base64\nContent-Disposition: {disposition}\n\n"
            + _base64_lines(rng.randbytes(attachment_size)) + f"\n--{outer}--\n"), subject_marker


def messages(seed, count, first_date=_FIRST_DATE, last_date=_LAST_DATE):
    """Yields (date, flags, bytes, has_text_marker, has_subject_marker) for `count` messages in date order."""
    rng = random.Random(seed)
    thread = []
    step = (last_date - first_date) / max(count, 1)
    for number in range(count):
        date = int(first_date + number * step + rng.random() * step * 0.9)
        if abs(date - _SINCE_EPOCH) < 2 * 86400:
            date = _SINCE_EPOCH + 2 * 86400 + (date % 3600)
        marker_text = rng.random() < 0.01
        marker_subject = rng.random() < 0.03
        text, marker_subject = _message(rng, number, date, thread, marker_text, marker_subject)
        roll = rng.random()
        flags = "" if roll < 0.25 else "RS" if roll < 0.35 else "FS" if roll < 0.38 else "S"
        yield date, flags, text.encode("utf-8"), marker_text, marker_subject


def write_folder(path, name, seed, count, hostname="bench.example.org"):
    """Writes a Maildir folder at `path` with `count` messages in cur/; returns its Folder."""
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(path, sub), exist_ok=True)
    folder = Folder(name)
    for number, (date, flags, data, marker_text, marker_subject) in enumerate(messages(seed, count)):
        crlf_size = len(data) + data.count(b"\n")
        base = f"{date}.M{number}P{seed % 100000}.{hostname},S={len(data)},W={crlf_size}"
        file_name = f"{base}:2,{flags}"
        file_path = os.path.join(path, "cur", file_name)
        with open(file_path, "wb") as f:
            f.write(data)
        os.utime(file_path, (date, date))
        folder.messages.append(Message(file_name, len(data), crlf_size, date,
                                       marker_text, marker_subject))
    return folder


# The users of the benchmark, their INBOX size and Maildir++ folders (name, messages).
USERS = {
    "small": (1_000, [("Sent", 100), ("Archive", 200)]),
    "medium": (10_000, [("Sent", 500), ("Archive", 1_000), ("Lists.swift-dev", 800), ("Drafts", 0)]),
    "large": (100_000, [("Sent", 2_000), ("Archive", 5_000), ("Trash", 300)]),
}


def generate(root, seed=20261204, users=USERS):
    """Writes every user's Maildir under root/mail/<user> and root/manifest.json (skipped when present)."""
    manifest_path = os.path.join(root, "manifest.json")
    # As JSON keeps it (tuples become lists), to compare with a stored manifest.
    described = json.loads(json.dumps({u: [c, f] for u, (c, f) in users.items()}))
    if os.path.exists(manifest_path):
        with open(manifest_path) as f:
            manifest = json.load(f)
        if manifest.get("seed") == seed and manifest.get("users") == described:
            return manifest
    manifest = {"seed": seed, "users": described, "folders": {}}
    for user_number, (user, (inbox, folders)) in enumerate(users.items()):
        maildir = os.path.join(root, "mail", user)
        started = time.monotonic()
        for folder_number, (name, count) in enumerate([("INBOX", inbox)] + folders):
            path = maildir if name == "INBOX" else os.path.join(maildir, "." + name)
            folder = write_folder(path, name, seed + 1000 * user_number + folder_number, count)
            manifest["folders"][f"{user}/{name}"] = summarize(folder)
        print(f"corpus: {user}: {inbox} messages in INBOX, {len(folders)} more folders "
              f"({time.monotonic() - started:.1f} s)", flush=True)
    with open(manifest_path + ".tmp", "w") as f:
        json.dump(manifest, f)
    os.rename(manifest_path + ".tmp", manifest_path)
    return manifest


def summarize(folder):
    """What scenarios check against: counts, sizes in file order, search answers."""
    since = [m for m in folder.messages if m.date >= _SINCE_EPOCH]
    sizes = [m.crlf_size for m in folder.messages]
    return {
        "count": len(folder.messages),
        "crlf_sizes": sizes,
        "crlf_bytes": sum(sizes),
        "lf_bytes": sum(m.lf_size for m in folder.messages),
        "text_marker": sum(m.has_text_marker for m in folder.messages),
        "subject_marker_since": sum(m.has_subject_marker for m in since),
        "median_size": sorted(sizes)[len(sizes) // 2] if sizes else 0,
    }
