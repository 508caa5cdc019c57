"""Every sharing rule is decided in the engine (sharing/eligibility/, family/eligibility.py) and only there.

Outside the engine, code may show a reason the engine returned, but never produce a rule's code itself: a module that
writes `reasons.SECOND_SPOUSE` is deciding that rule. The rule codes are those of rules.md's tables. The few places
that legitimately name a code (showing a stored code) are listed with their reason.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENGINE = ("sharing/eligibility/", "family/eligibility.py")
RULE_CODES = [
    "AUTHORIZER_NOT_EMPLOYEE", "AUTHORIZER_NOT_ENROLLED", "RELATION_NOT_ALLOWED", "MEMBER_NOT_ENROLLED",
    "MEMBER_IDENTITY_MISMATCH", "CROSS_REGION_NOT_ALLOWED", "CROSS_PROVINCE_NOT_ALLOWED", "OUTSIDE_VALIDITY",
    "SELF_BINDING", "ALREADY_BOUND", "SECOND_SPOUSE", "RELATION_IMPLAUSIBLE", "AUTHORIZER_NO_ACCOUNT",
    "SHARED_BALANCE_BELOW_FLOOR", "SHARED_CAP_REACHED", "SINGLE_AUTHORIZER", "SHARED_BALANCE_ZERO",
    "FAMILY_ACCOUNT_ONLY", "FAMILY_LIMIT_REACHED", "FAMILY_MINOR_PARENT_ONLY", "FAMILY_MINOR_NEEDS_PROOF",
    "QUOTA_EXHAUSTED",
]
ALLOWED = {
    # The records show a binding that ended at the end of its signed period with those dates.
    ("sharing/selectors.py", "OUTSIDE_VALIDITY"),
}
PATTERN = re.compile(r"\breasons\.(" + "|".join(RULE_CODES) + r")\b")


def rules_decided_outside_the_engine(root: Path) -> set[tuple[str, str]]:
    found = set()
    for path in root.glob("*/**/*.py"):
        relative = path.relative_to(root).as_posix()
        parts = path.relative_to(root).parts
        if parts[0].startswith(".") or "tests" in parts or "migrations" in parts or relative.startswith(ENGINE) \
                or path.name == "reasons.py":
            continue
        for match in PATTERN.finditer(path.read_text(encoding="utf-8")):
            found.add((relative, match.group(1)))
    return found


def test_no_rule_is_decided_outside_the_engine():
    assert rules_decided_outside_the_engine(ROOT) - ALLOWED == set()


def test_the_check_sees_a_rule_decided_in_a_view(tmp_path):
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "views.py").write_text("if spouse:\n    raise Refused(reasons.SECOND_SPOUSE)\n")
    assert rules_decided_outside_the_engine(tmp_path) == {("shop/views.py", "SECOND_SPOUSE")}
