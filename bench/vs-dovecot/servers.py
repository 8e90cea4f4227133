"""Roost and Dovecot, each configured for the benchmark, started and stopped here, and measured.

Both serve their own hard-linked copy of the corpus (cp -al: the same message bytes, separate
directories, so neither sees the other's index files), on loopback ports picked at start, with
the same passwd-file (SHA512-CRYPT), the same certificate and the same mail owner. CPU time and
memory are summed over the server's whole process tree: Dovecot's master, login, imap, pop3, auth
and helper processes (CPU of exited children counts through the master's cutime), Roost's one.
"""

import os
import pwd
import shutil
import socket
import subprocess
import time

MAIL_OWNER = "roostbench"
PASSWORD = "bench-secret"
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_mail_owner():
    """The unprivileged user both servers read and write mail as; created when missing."""
    try:
        entry = pwd.getpwnam(MAIL_OWNER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        "--user-group", MAIL_OWNER], check=True)
        entry = pwd.getpwnam(MAIL_OWNER)
    return entry.pw_uid, entry.pw_gid


def write_shared_files(work, users):
    """Certificate, key and passwd-file used by both servers."""
    os.makedirs(work, exist_ok=True)
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    if not os.path.exists(cert):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-days", "3650", "-subj", "/CN=localhost", "-keyout", key, "-out", cert],
                       check=True, capture_output=True)
    hashed = subprocess.run(["openssl", "passwd", "-6", "-salt", "roostbenchsalt", PASSWORD],
                            check=True, capture_output=True, text=True).stdout.strip()
    uid, gid = ensure_mail_owner()
    passwd = os.path.join(work, "users")
    with open(passwd, "w") as f:
        for user in users:
            f.write(f"{user}:{{SHA512-CRYPT}}{hashed}:{uid}:{gid}::::\n")
    for path in (cert, key, passwd):
        os.chmod(path, 0o644)
    return cert, key, passwd


def process_tree(root):
    """Pids of root and every descendant."""
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(name))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                pass
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, []))
    return pids


def cpu_seconds(root):
    """User+system CPU of the live tree plus what the root has reaped from exited children."""
    total = 0
    for pid in process_tree(root):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):  # exited since listed
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if pid == root:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime
    return total / _CLOCK_TICKS


def memory_kb(root, proportional=False):
    """Resident memory of the tree in KiB: RSS summed (shared pages counted in every process), or
    PSS (each shared page divided among the processes that map it)."""
    total = 0
    for pid in process_tree(root):
        try:
            if proportional:
                with open(f"/proc/{pid}/smaps_rollup") as f:
                    total += next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
            else:
                with open(f"/proc/{pid}/statm") as f:
                    total += int(f.read().split()[1]) * _PAGE_KB
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            pass
    return total


def wait_for_port(port, process, log, greeting, seconds=60):
    """Until the port accepts a connection and, for a plaintext port, sends its greeting."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; see {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                if not greeting or s.recv(100):
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port} within {seconds} s; see {log}")


class Server:
    """A running server: its name, ports, mail root and the pid whose tree is measured."""

    name = ""

    def __init__(self, work, mail_root, cert, key, passwd):
        self.work = os.path.join(work, self.name)
        self.mail_root = mail_root
        self.cert, self.key, self.passwd = cert, key, passwd
        self.ports = {p: free_port() for p in ("imap", "imaps", "pop3", "pop3s")}
        self.process = None
        self.log = os.path.join(self.work, "server.log")

    @property
    def pid(self):
        return self.process.pid

    def mail_path(self, user):
        return os.path.join(self.mail_root, user)

    def start(self):
        os.makedirs(self.work, exist_ok=True)
        config = self.write_config()
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(self.command(config), stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        for name, port in self.ports.items():
            wait_for_port(port, self.process, self.log, greeting=not name.endswith("s"))

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()


class Roost(Server):
    name = "roost"

    def __init__(self, roostd, *args):
        super().__init__(*args)
        self.roostd = roostd

    def write_config(self):
        path = os.path.join(self.work, "roostd.conf")
        with open(path, "w") as f:
            f.write(f"""[server]
listen = 127.0.0.1
shutdown_timeout = 2s
[tls]
certificate = {self.cert}
key = {self.key}
[pop3]
port = {self.ports['pop3']}
tls_port = {self.ports['pop3s']}
[imap]
port = {self.ports['imap']}
tls_port = {self.ports['imaps']}
special_folders = no
[limits]
max_connections = 10000
max_connections_per_ip = 10000
max_connections_per_user_ip = 10000
[mail]
location = {self.mail_root}/%u
owner_user = {MAIL_OWNER}
owner_group = {MAIL_OWNER}
[auth]
passwd_file = {self.passwd}
mechanisms = PLAIN LOGIN
""")
        return path

    def command(self, config):
        return [self.roostd, "--config", config]


class Dovecot(Server):
    name = "dovecot"

    def write_config(self):
        uid, gid = ensure_mail_owner()
        run = os.path.join(self.work, "run")
        os.makedirs(run, exist_ok=True)
        path = os.path.join(self.work, "dovecot.conf")
        # Defaults of Debian's Dovecot 2.3 except where the benchmark needs otherwise: loopback
        # ports, the shared users and certificate, Maildir++ with "." as Roost has it, limits high
        # enough for 2,000 connections, and login processes in Dovecot's documented
        # high-performance mode (service_count = 0), its faster configuration.
        with open(path, "w") as f:
            f.write(f"""base_dir = {run}
state_dir = {self.work}/state
log_path = {self.log}
protocols = imap pop3
listen = 127.0.0.1
ssl = yes
ssl_cert = <{self.cert}
ssl_key = <{self.key}
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = {uid}
mail_uid = {uid}
mail_gid = {gid}
mail_location = maildir:~
namespace inbox {{
  inbox = yes
  separator = .
}}
passdb {{
  driver = passwd-file
  args = scheme=SHA512-CRYPT {self.passwd}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={self.mail_root}/%u
}}
mail_max_userip_connections = 10000
default_client_limit = 12000
service imap {{
  process_limit = 10000
}}
service pop3 {{
  process_limit = 1000
}}
service auth {{
  client_limit = 40000
}}
service anvil {{
  client_limit = 40000
}}
service imap-urlauth-login {{
  process_limit = 1
}}
{self.login_service("imap")}{self.login_service("pop3")}""")
        os.makedirs(os.path.join(self.work, "state"), exist_ok=True)
        return path

    def login_service(self, protocol):
        """A login service with a plaintext and a TLS listener, in high-performance mode."""
        return f"""service {protocol}-login {{
  inet_listener {protocol} {{
    address = 127.0.0.1
    port = {self.ports[protocol]}
  }}
  inet_listener {protocol}s {{
    address = 127.0.0.1
    port = {self.ports[protocol + 's']}
    ssl = yes
  }}
  service_count = 0
  process_min_avail = {os.cpu_count()}
  process_limit = {os.cpu_count() * 2}
  vsz_limit = 1G
}}
"""

    def command(self, config):
        return ["dovecot", "-F", "-c", config]



def copy_mail(corpus_mail, target, uid, gid):
    """A hard-linked copy of the corpus Maildirs, owned (directories) by the mail owner."""
    if os.path.exists(target):
        shutil.rmtree(target)
    subprocess.run(["cp", "-al", corpus_mail, target], check=True)
    for directory, _, _ in os.walk(target):
        os.chown(directory, uid, gid)
