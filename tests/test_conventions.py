"""Conventions that a reader relies on, checked on the source (read with `ast`, nothing is executed)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROLE = {"citizen_required", "hall_staff_required", "login_required", "staff_member_required"}
METHOD = {"require_GET", "require_POST", "require_http_methods", "require_safe", "post_only"}


def _name(decorator) -> str | None:
    node = decorator.func if isinstance(decorator, ast.Call) else decorator
    return node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)


def decorated_in_the_wrong_order(source: str) -> list[str]:
    """Views whose method check runs before their role check (the role decorator must come first, outermost:
    an outsider learns nothing about which methods a page takes)."""
    wrong = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names = [_name(d) for d in node.decorator_list]
            roles = [i for i, n in enumerate(names) if n in ROLE]
            methods = [i for i, n in enumerate(names) if n in METHOD]
            if roles and methods and min(methods) < max(roles):
                wrong.append(node.name)
    return wrong


def test_views_check_the_role_before_the_method():
    wrong = {}
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        found = decorated_in_the_wrong_order(path.read_text(encoding="utf-8"))
        if found:
            wrong[str(path.relative_to(ROOT))] = found
    assert wrong == {}


def test_the_order_check_sees_a_method_decorator_above_a_role_decorator():
    source = "@require_POST\n@citizen_required\ndef view(request):\n    pass\n"
    assert decorated_in_the_wrong_order(source) == ["view"]
    assert decorated_in_the_wrong_order("@citizen_required\n@require_POST\ndef view(request):\n    pass\n") == []


def test_tests_are_named_after_behaviour_in_one_style():
    """`test_<what happens>` as a sentence (e.g. test_a_stranger_gets_404), never the `test_it_…` prefix."""
    prefixed = [f"{path.relative_to(ROOT)}:{node.name}" for path in ROOT.glob("*/**/test_*.py")
                if ".venv" not in path.parts
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(node, ast.FunctionDef) and node.name.startswith("test_it_")]
    assert prefixed == []
