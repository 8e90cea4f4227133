"""Roost against Dovecot on one corpus: every scenario on both servers, alternating, medians.

Usage (as root; bench/vs-dovecot/run builds roostd in release mode first):
    python3 run.py --roostd PATH [--runs 5] [--only NAME,...] [--idle 2000] [--work DIR]
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import threading
import time
import resource
import traceback

import corpus
import scenarios as scenario_list
from servers import Roost, Dovecot, cpu_seconds, ensure_mail_owner, memory_kb, write_shared_files, copy_mail


class PeakMemory:
    """Samples the server tree's RSS every 200 ms while a scenario runs."""

    def __init__(self, pid):
        self.pid, self.peak, self.done = pid, 0, threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        while not self.done.is_set():
            self.peak = max(self.peak, memory_kb(self.pid))
            self.done.wait(0.2)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.done.set()
        self.thread.join()
        self.peak = max(self.peak, memory_kb(self.pid))


def measure(scenario, server, context):
    if scenario.setup:
        scenario.setup(context)
    cpu_before = cpu_seconds(server.pid)
    with PeakMemory(server.pid) as memory:
        started = time.monotonic()
        units = scenario.run(context)
        elapsed = time.monotonic() - started
    time.sleep(0.3)  # let exited Dovecot processes be reaped into the master's CPU time
    outcome = {"seconds": elapsed, "units": units, "cpu": cpu_seconds(server.pid) - cpu_before,
               "peak_rss_kb": memory.peak, **context.notes}
    if scenario.teardown:
        scenario.teardown(context)
    return outcome


def machine_facts(roostd):
    def output(*command):
        try:
            return subprocess.run(command, capture_output=True, text=True).stdout.strip()
        except OSError:
            return "?"
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    memory = next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": f"{os.cpu_count()} x {cpu}",
        "memory": f"{int(memory) // 1024 // 1024} GiB",
        "kernel": platform.release(),
        "filesystem": output("findmnt", "-no", "FSTYPE", "--target", os.path.dirname(roostd)),
        "dovecot": output("dovecot", "--version"),
        "roost": output("git", "-C", os.path.dirname(os.path.abspath(__file__)), "rev-parse", "--short", "HEAD"),
        "swift": output("swift", "--version").splitlines()[0] if output("swift", "--version") else "?",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--roostd", required=True, help="the release-built roostd binary")
    parser.add_argument("--work", default=os.environ.get("ROOST_BENCH_DIR", "/var/tmp/roost-bench"),
                        help="corpus, server copies and logs (several GB); default /var/tmp/roost-bench")
    parser.add_argument("--runs", type=int, default=5, help="runs per scenario and server (median reported)")
    parser.add_argument("--only", help="comma-separated scenario names")
    parser.add_argument("--idle", type=int, default=2000, help="connections of the idle-clients scenario")
    parser.add_argument("--results", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results.json"))
    arguments = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("run as root: both servers start as root, bind their ports and drop to the mail owner")

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    chosen = scenario_list.scenarios(arguments.idle)
    if arguments.only:
        names = arguments.only.split(",")
        unknown = set(names) - {s.name for s in chosen}
        if unknown:
            sys.exit(f"unknown scenarios: {', '.join(sorted(unknown))}")
        chosen = [s for s in chosen if s.name in names]

    manifest = corpus.generate(os.path.join(arguments.work, "corpus"))
    corpus_mail = os.path.join(arguments.work, "corpus", "mail")
    uid, gid = ensure_mail_owner()
    subprocess.run(["chown", "-R", f"{uid}:{gid}", corpus_mail], check=True)
    users = list(corpus.USERS) + [f"fresh-{u}-{r}" for u in ("medium", "large") for r in range(arguments.runs)] \
        + [f"store-{r}" for r in range(arguments.runs)]
    cert, key, passwd = write_shared_files(arguments.work, users)

    servers = []
    for name, make in (("roost", lambda root: Roost(arguments.roostd, arguments.work, root, cert, key, passwd)),
                       ("dovecot", lambda root: Dovecot(arguments.work, root, cert, key, passwd))):
        mail_root = os.path.join(arguments.work, f"mail-{name}")
        print(f"copying the corpus for {name} (hard links)", flush=True)
        copy_mail(corpus_mail, mail_root, uid, gid)
        servers.append(make(mail_root))

    results = {"machine": machine_facts(arguments.roostd), "runs": arguments.runs, "scenarios": {}}
    try:
        for server in servers:
            server.start()
            print(f"{server.name}: pid {server.pid}, ports {server.ports}", flush=True)
        for scenario in chosen:
            runs = scenario.runs or arguments.runs
            record = {"unit": scenario.unit, "kind": scenario.kind, "description": scenario.description,
                      **{s.name: [] for s in servers}}
            for run in range(runs):
                order = servers if run % 2 == 0 else list(reversed(servers))
                for server in order:
                    context = scenario_list.Context(server, manifest, corpus_mail, run, (uid, gid))
                    try:
                        outcome = measure(scenario, server, context)
                    except Exception as error:  # noqa: BLE001 - recorded, the run goes on
                        traceback.print_exc()
                        outcome = {"error": f"{type(error).__name__}: {error}"}
                    record[server.name].append(outcome)
                    shown = outcome.get("error") or f"{outcome['seconds']:.3f} s, cpu {outcome['cpu']:.2f} s, " \
                                                     f"peak {outcome['peak_rss_kb'] // 1024} MiB"
                    print(f"{scenario.name} #{run + 1} {server.name}: {shown}", flush=True)
            results["scenarios"][scenario.name] = record
            with open(arguments.results, "w") as f:
                json.dump(results, f, indent=1)
    finally:
        for server in servers:
            server.stop()
    import report
    print(report.markdown(results))


if __name__ == "__main__":
    main()
