"""Which migrations to unapply so that a copy of the bench database matches another revision's migrations.

    python bench/baseline_db.py REV    # prints "app target" lines for `manage.py migrate app target`

For each app of this checkout: if it has migration files that REV does not, the copy is rolled back (with this
checkout's code, which has those files) to the last migration both have ("zero" when none); REV's own
`manage.py migrate` then applies what REV has and this checkout does not. Migration names are numbered, so the
last common one in name order is the last common one in the graph for the linear histories this project keeps.
"""

import pathlib
import subprocess
import sys


def migrations_at(rev: str) -> dict[str, set[str]]:
    names = subprocess.run(["git", "ls-tree", "-r", "--name-only", rev], check=True, capture_output=True,
                           text=True).stdout.split()
    out = {}
    for name in names:
        parts = name.split("/")
        if len(parts) == 3 and parts[1] == "migrations" and parts[2].endswith(".py") and parts[2][0].isdigit():
            out.setdefault(parts[0], set()).add(parts[2][:-3])
    return out


def here() -> dict[str, set[str]]:
    out = {}
    for path in pathlib.Path(".").glob("*/migrations/[0-9]*.py"):
        out.setdefault(path.parts[0], set()).add(path.stem)
    return out


def rollbacks(rev: str) -> list[tuple[str, str]]:
    theirs, ours = migrations_at(rev), here()
    targets = []
    for app in sorted(ours):
        if ours[app] - theirs.get(app, set()):
            common = sorted(ours[app] & theirs.get(app, set()))
            targets.append((app, common[-1] if common else "zero"))
    return targets


if __name__ == "__main__":
    for app, target in rollbacks(sys.argv[1]):
        print(app, target)
