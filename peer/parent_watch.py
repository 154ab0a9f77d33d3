"""Ends this process once the process that started it is gone (docs/reliability.md).

The harness starts run_peer.py with --parent-pid; if the harness is killed (SIGKILL included), this
process is reparented, os.getppid() changes, and it stops within half a second, killing its own
children first (the nvidia-smi sampler), so a run leaves nothing behind. Comparing the parent pid,
not probing the old pid, cannot be fooled by a reused pid. No torch needed.
"""
import os
import signal
import threading
import time

POLL_SECONDS = 0.5


def children(pid):
    """The pids whose parent is pid (Linux /proc; none elsewhere)."""
    found = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # the command name in parentheses may hold spaces: the parent pid is the 2nd field after it
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1 and fields[1] == str(pid):
            found.append(int(entry))
    return found


def start(parent_pid):
    """Watches parent_pid from a daemon thread; does nothing for None."""
    if parent_pid is None:
        return

    def watch():
        while os.getppid() == parent_pid:
            time.sleep(POLL_SECONDS)
        print(f"run_peer: the process that started it (pid {parent_pid}) is gone; stopping", flush=True)
        for child in children(os.getpid()):
            try:
                os.kill(child, signal.SIGKILL)
            except OSError:
                pass
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
