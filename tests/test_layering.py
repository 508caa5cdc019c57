"""The floors of the house: an app imports only apps on lower floors, never one above it or beside it.

Every import counts, also those inside functions (read with `ast`, nothing is executed). Tests and migrations
are left out: tests compose apps freely, and migrations name other apps only as strings.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Lowest first. See the README's "Layout" section for what each floor holds.
FLOORS = [
    ["core"],                          # reasons, form conventions, env, access by role, admin scoping, middleware
    ["registry"],                      # the core insurance system's data: regions, policy, insured persons
    ["ledger"],                        # personal accounts, the append-only ledger, monthly credits
    ["audit", "notifications"],        # the audit trail; SMS and in-site messages
    ["accounts"],                      # web accounts, registration, login, "my insurance"
    ["sharing"],                       # bindings, letters, the eligibility engine, the payers reader
    ["family"],                        # the family account and insurance codes
    ["settlement"],                    # institutions, API keys, settlements, refunds, the JSON API
    ["spending", "selfcheck", "hall", "guide"],  # pages that combine the floors below
    ["officials"],                     # officials' statistics: counts from every channel below
    ["demo"],                          # demo data: knows every app
    ["portal", "bench"],               # the project (settings, URLs, WSGI) and the benchmarks
]
FLOOR_OF = {app: level for level, apps in enumerate(FLOORS) for app in apps}


def _top_level_packages(root: Path) -> set[str]:
    """Folders holding Python code, except the cross-app tests."""
    return {p.name for p in root.iterdir() if p.is_dir() and any(p.glob("*.py")) and p.name != "tests"
            and not p.name.startswith(".")}


def _source_files(root: Path, app: str):
    for path in (root / app).rglob("*.py"):
        parts = path.relative_to(root).parts
        if "tests" in parts or "migrations" in parts or path.name.startswith("test_") or path.name == "conftest.py":
            continue
        yield path


def _imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def violations(root: Path, floor_of: dict[str, int]) -> list[str]:
    """Every import that runs up or sideways between apps, as 'file:line app -> app'."""
    found = []
    for app, level in floor_of.items():
        if not (root / app).is_dir():
            continue
        for path in _source_files(root, app):
            for lineno, module in _imported_modules(path):
                target = module.split(".")[0]
                if target in floor_of and target != app and floor_of[target] >= level:
                    found.append(f"{path.relative_to(root)}:{lineno} {app} -> {target}")
    return found


def test_no_app_imports_an_app_on_its_own_floor_or_above():
    assert violations(ROOT, FLOOR_OF) == []


def test_every_app_has_a_floor():
    assert _top_level_packages(ROOT) - set(FLOOR_OF) == set()


def test_the_check_sees_an_upward_import_even_inside_a_function(tmp_path):
    (tmp_path / "low").mkdir()
    (tmp_path / "high").mkdir()
    (tmp_path / "low" / "services.py").write_text("def f():\n    from high.views import page\n    return page\n")
    (tmp_path / "high" / "views.py").write_text("from low import services\n")
    assert violations(tmp_path, {"low": 0, "high": 1}) == ["low/services.py:2 low -> high"]


@pytest.mark.parametrize("app", sorted(FLOOR_OF))
def test_no_module_is_over_400_lines(app):
    long = [f"{p.relative_to(ROOT)}: {n}" for p in _source_files(ROOT, app)
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400]
    assert long == []


def test_every_app_with_tests_is_collected():
    """`make test` runs pytest's testpaths: an app whose tests are not listed there would never run in CI."""
    import tomllib

    testpaths = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]
                    ["ini_options"]["testpaths"])
    assert {p.parent.name for p in ROOT.glob("*/tests")} - testpaths == set()
