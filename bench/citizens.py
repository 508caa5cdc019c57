"""Web users for the citizen-page part of the bench (called by bench/generate.py, same connection and COPY).

Four citizens, each an `accounts.User` linked to an InsuredPerson the generator made (as registration does:
username = ID number, role citizen), with a usable password; the credentials go to var/bench_citizens.json
for bench/load.py:

- `light`: an authorizer with an active binding and LIGHT_PAYMENTS payments from their account;
- `heavy`: an authorizer with HEAVY_PAYMENTS (10,000) payments, spread over two years;
- `member`: the resident bound to the light authorizer (the paid-for-me page);
- `holder`: an employee holding a family account with two active members.

Payments are written as the settlement service writes them: one settlement (patient = the bound member, all
paid from the shared account), one `settlement` ledger entry on the authorizer's account (reference = the
settlement id) and one `shared` payment pointing at both. The account is first credited with the sum of its
payments, so its balance is unchanged and each entry's balance_after is the running sum (ids in time order):
verify_ledger stays OK without touching the account row.
"""

import base64
import datetime
import hashlib
import json
import secrets
import uuid

HEAVY_PAYMENTS = 10_000
LIGHT_PAYMENTS = 10
PASSWORD = "bench-Citizen-2026"


def password_hash(password: str, iterations: int = 100_000) -> str:
    """Django's pbkdf2_sha256 format (in PASSWORD_HASHERS; Django upgrades it to Argon2 at the first login)."""
    salt = secrets.token_hex(11)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return f"pbkdf2_sha256${iterations}${salt}${base64.b64encode(digest).decode()}"


def copy_rows(cur, table: str, columns: list[str], rows) -> int:
    """COPY `rows` into `table`; the number of rows (the generator loads everything this way)."""
    n = 0
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def _payments(cur, rng, *, institution_id, binding, count: int, label: str, now) -> int:
    """`count` settlements paid by the binding's authorizer for its member, with their entries and payments."""
    binding_id, authorizer_id, member_id, account_id = binding
    cur.execute("SELECT COALESCE(max(id), 0) FROM ledger_ledgerentry")
    entry0 = cur.fetchone()[0] + 1
    cur.execute("SELECT COALESCE(max(id), 0) FROM settlement_payment")
    payment0 = cur.fetchone()[0] + 1
    cur.execute("SELECT balance FROM ledger_personalaccount WHERE id = %s", [account_id])
    balance = int(cur.fetchone()[0] * 100)
    start = now - datetime.timedelta(days=730)
    step = datetime.timedelta(days=730) / (count + 1)
    amounts = [rng.randint(1_00, 300_00) for _ in range(count)]
    rows = []  # (settlement id, amount in fen, time, category)
    for k, amount in enumerate(amounts):
        rows.append((uuid.UUID(int=rng.getrandbits(128), version=4), amount, start + step * (k + 1),
                     rng.choice(["outpatient", "pharmacy"])))

    def settlements():
        for k, (sid, amount, at, category) in enumerate(rows):
            money = f"{amount / 100:.2f}"
            reply = {"settlement_id": str(sid), "request_id": f"gen-{label}-{k}", "amount": money,
                     "acct_pay": "0.00", "acct_mulaid_pay": money, "cash_pay": "0.00",
                     "payers": [{"source": "shared", "name": "*", "relation": "child", "amount": money}], "notes": []}
            yield (sid, institution_id, f"gen-{label}-{k}", hashlib.sha256(f"{label}{k}".encode()).hexdigest(),
                   member_id, category, money, "0.00", money, "0.00", "0.00", json.dumps(reply), at)

    copy_rows(cur, "settlement_settlement",
          ["id", "institution_id", "request_id", "request_hash", "patient_id", "category", "amount", "acct_pay",
           "acct_mulaid_pay", "cash_pay", "refunded", "reply", "created_at"], settlements())

    def entries():
        running = balance + sum(amounts)
        yield (entry0, account_id, "credit", f"{sum(amounts) / 100:.2f}", f"{running / 100:.2f}", "bench credit", "",
               start)
        for k, (sid, amount, at, _category) in enumerate(rows):
            running -= amount
            yield (entry0 + 1 + k, account_id, "settlement", f"{-amount / 100:.2f}", f"{running / 100:.2f}",
                   "压测医院", str(sid), at)

    copy_rows(cur, "ledger_ledgerentry",
          ["id", "account_id", "kind", "amount", "balance_after", "memo", "reference", "created_at"], entries())
    cur.execute("SELECT setval(pg_get_serial_sequence('ledger_ledgerentry', 'id'), %s)", [entry0 + count])
    copy_rows(cur, "settlement_payment",
          ["id", "settlement_id", "account_id", "payer_id", "member_id", "source", "binding_id", "relation",
           "institution_id", "category", "amount", "refunded", "ledger_entry_id", "created_at"],
          ((payment0 + k, sid, account_id, authorizer_id, member_id, "shared", binding_id, "child", institution_id,
            category, f"{amount / 100:.2f}", "0.00", entry0 + 1 + k, at)
           for k, (sid, amount, at, category) in enumerate(rows)))
    cur.execute("SELECT setval(pg_get_serial_sequence('settlement_payment', 'id'), %s)", [payment0 + count - 1])
    return count


def make_citizens(cur, rng, *, institution_id, now, path: str = "var/bench_citizens.json") -> dict:
    """Users, payments and a family account (session_replication_role must be `replica`)."""
    cur.execute("""SELECT b.id, b.authorizer_id, b.member_id, a.id FROM sharing_binding b
                   JOIN ledger_personalaccount a ON a.person_id = b.authorizer_id
                   WHERE b.status = 'active' AND NOT EXISTS (SELECT 1 FROM ledger_reserve r WHERE r.binding_ref = b.id)
                   ORDER BY b.reference LIMIT 40""")
    bindings, seen = [], set()
    for row in cur.fetchall():
        if row[1] not in seen and row[2] not in seen:
            bindings.append(row)
            seen.update((row[1], row[2]))
    light, heavy, holder_binding, *others = bindings
    counts = {"light": _payments(cur, rng, institution_id=institution_id, binding=light, count=LIGHT_PAYMENTS,
                                 label="light", now=now),
              "heavy": _payments(cur, rng, institution_id=institution_id, binding=heavy, count=HEAVY_PAYMENTS,
                                 label="heavy", now=now)}
    holder = holder_binding[1]
    copy_rows(cur, "family_familymembership",
          ["id", "holder_id", "member_id", "relation", "status", "added_as_minor", "channel", "created_at",
           "answered_at", "updated_at"],
          ((uuid.UUID(int=rng.getrandbits(128), version=4), holder, member, relation, "active", False, "online", now,
            now, now) for member, relation in ((others[0][2], "child"), (others[1][2], "parent"))))
    people = {"light": light[1], "heavy": heavy[1], "member": light[2], "holder": holder}
    cur.execute("SELECT id, certno FROM registry_insuredperson WHERE id = ANY(%s)", [list(people.values())])
    certno = dict(cur.fetchall())
    encoded = password_hash(PASSWORD)
    copy_rows(cur, "accounts_user",
          ["password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff", "is_active",
           "date_joined", "role", "person_id", "mobile", "must_change_password"],
          ((encoded, False, certno[pid], "", "", "", False, True, now, "citizen", pid, f"1990000{n:04d}", False)
           for n, pid in enumerate(people.values())))
    with open(path, "w") as fh:
        json.dump({label: {"username": certno[pid], "password": PASSWORD} for label, pid in people.items()}, fh)
    return {"citizen_users": len(people), "payments_light": counts["light"], "payments_heavy": counts["heavy"]}
