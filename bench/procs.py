"""CPU seconds and resident memory of the measured processes, from /proc (Linux only)."""

import os

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def children(pid: int) -> list[int]:
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found += [int(c) for c in fh.read().split()]
        except OSError:
            pass
    return found


def cpu_seconds(root: int) -> dict[int, float]:
    """CPU seconds (user + system) of `root` including its reaped children, and of each live child."""
    out = {}
    fields = _stat(root)
    if fields:  # after ")": state is [0]; utime, stime, cutime, cstime are [11:15]
        out[root] = sum(int(v) for v in fields[11:15]) / TICK
    for child in children(root):
        fields = _stat(child)
        if fields:
            out[child] = (int(fields[11]) + int(fields[12])) / TICK
    return out


def cpu_many(roots: list[int]) -> dict[int, float]:
    out = {}
    for root in roots:
        out.update(cpu_seconds(root))
    return out


def cpu_delta(before: dict[int, float], after: dict[int, float]) -> float:
    """Processes that appeared count from zero; those that ended are in the parent's reaped-children time."""
    return sum(value - before.get(pid, 0.0) for pid, value in after.items())


def rss_mb(pid: int) -> float | None:
    """Resident set size (VmRSS) in MB, or None when the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def worker_rss(masters: list[int]) -> dict:
    """RSS of each gunicorn worker (the masters' children): max and sum in MB."""
    sizes = [s for master in masters for s in (rss_mb(w) for w in children(master)) if s is not None]
    return {"max": max(sizes, default=0.0), "sum": round(sum(sizes), 1), "workers": len(sizes)}


def parent_pid(pid: int) -> int:
    return int(_stat(pid)[1])
