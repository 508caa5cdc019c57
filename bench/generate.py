"""Load a city-sized dataset with COPY: persons, accounts, ledger entries, bindings, one institution + key.

    DATABASE_URL=postgresql://…/gjt_bench python bench/generate.py --scale 0.01

--scale 1 is the full size: 1,000,000 insured persons (60 % employee, each with a personal account),
300,000 active bindings (about 10 % through a quota) and 10,000,000 ledger entries. The database must be
migrated and empty of persons.

The ledger trigger moves a balance on every INSERT and the guard refuses accounts opened with money, which
would make COPY of 10 M rows crawl. So the load runs with `session_replication_role = replica` (superuser;
user triggers and FK triggers off for this session only) and the generator computes what the triggers would
have: each entry's balance_after as a running sum, and each account's balance as the sum of its entries,
never going below zero (debits are capped at the running balance). Check constraints stay active.
Afterwards `manage.py verify_ledger` proves the invariant held (the script runs the same query).
"""

import argparse
import datetime
import hashlib
import io
import os
import random
import secrets
import sys
import time
import uuid

import psycopg

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench.citizens import copy_rows, make_citizens  # noqa: E402
from registry import idnumber  # noqa: E402
from spending.summary import rebuild_sql  # noqa: E402

TIME_ZONE = "Asia/Shanghai"  # portal/settings.py's TIME_ZONE: the spending summary's local months

FULL = {"persons": 1_000_000, "bindings": 300_000, "entries": 10_000_000}
REGIONS = [("320300", "320302"), ("320100", "320102"), ("320500", "320505"), ("130100", "130102"),
           ("110000", "110105"), ("140100", "140105")]


def generate(url: str, scale: float, seed: int) -> dict:
    rng = random.Random(seed)
    sizes = {k: max(int(v * scale), 10) for k, v in FULL.items()}
    now = datetime.datetime.now(datetime.UTC)
    t0 = time.perf_counter()
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM registry_insuredperson")
        if cur.fetchone()[0]:
            raise SystemExit("the database already has insured persons: use an empty, migrated database")
        cur.execute("SET session_replication_role = replica")

        # Persons: unique ID numbers from (address, birth date, sequence).
        persons, employees = [], []
        day0 = datetime.date(1940, 1, 1)
        for i in range(sizes["persons"]):
            region, address = REGIONS[i % len(REGIONS)]
            birth = day0 + datetime.timedelta(days=(i // (len(REGIONS) * 1000)) % 25000)
            certno = idnumber.make(address, birth, (i // len(REGIONS)) % 1000)
            employee = rng.random() < 0.6
            person_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            persons.append((person_id, certno, f"参保{i}", "310" if employee else "390", region))
            if employee:
                employees.append(len(persons) - 1)
        copy_rows(cur, "registry_insuredperson",
              ["id", "certno", "name", "insutype", "region_id", "status", "mobile", "updated_at", "created_at"],
              ((p[0], p[1], p[2], p[3], p[4], "active", "", now, now) for p in persons))
        t_persons = time.perf_counter()

        # Bindings are planned before the ledger, because a quota moves money out of the authorizer's account.
        # Every policy must let the binding pay (bench/README.md, "Who shares with whom"): the authorizer is an
        # employee outside Shanxi (its floor of ¥1,000 and one-authorizer rule would refuse most), the member a
        # resident (no own account, so every settlement draws on the shared account) of the authorizer's own
        # region; every second Beijing authorizer shares across provinces with a Hebei resident, which the 2026
        # policy allows only through a quota, so that binding gets one (a ledger.Reserve holding the account's
        # whole balance).
        residents_by_region = {}
        for i, p in enumerate(persons):
            if p[3] == "390":
                residents_by_region.setdefault(p[4], []).append(i)
        next_resident = dict.fromkeys(residents_by_region, 0)

        def resident_of(region):
            pool = residents_by_region[region]
            i = pool[next_resident[region] % len(pool)]
            next_resident[region] += 1
            return i

        account_of = {person_index: n for n, person_index in enumerate(employees)}
        planned, quota_of_account, beijing_seen = [], {}, 0
        for a in employees:
            if len(planned) >= sizes["bindings"]:
                break
            region = persons[a][4]
            if region == "140100":
                continue
            quota = False
            if region == "110000":
                beijing_seen += 1
                quota = beijing_seen % 2 == 0
            m = resident_of("130100" if quota else region)
            binding_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            planned.append((binding_id, a, m))
            if quota:
                quota_of_account[account_of[a]] = binding_id
        reserve_ids = {binding_id: n + 1 for n, binding_id in enumerate(quota_of_account.values())}
        reserve_balances = {}

        # Ledger entries per account, with running balances; accounts carry the final sums.
        cur.execute("SELECT COALESCE(max(id), 0) FROM ledger_personalaccount")
        account_id0 = cur.fetchone()[0] + 1
        per_account = max(sizes["entries"] // max(len(employees), 1), 1)
        extra = sizes["entries"] - per_account * len(employees)
        balances = []

        def entries():
            for n, _person_index in enumerate(employees):
                account_id = account_id0 + n
                balance = 0
                count = per_account + (1 if n < extra else 0)
                for k in range(count):
                    if k == 0:
                        amount = rng.randint(50_00, 5000_00)
                        kind = "opening"
                    elif k % 3 == 0 or balance == 0:
                        amount = rng.randint(100_00, 400_00)
                        kind = "credit"
                    else:
                        amount = -min(rng.randint(1_00, 300_00), balance)
                        kind = "settlement"
                        if amount == 0:
                            amount, kind = 1_00, "credit"
                    balance += amount
                    yield (account_id, None, kind, f"{amount / 100:.2f}", f"{balance / 100:.2f}", "", "", now)
                binding_id = quota_of_account.get(n)
                if binding_id is not None and balance > 0:  # the whole balance set aside as the quota
                    reserve_id, granted = reserve_ids[binding_id], balance
                    balance = 0
                    yield (account_id, None, "quota", f"{-granted / 100:.2f}", "0.00", "", "", now)
                    yield (account_id, reserve_id, "quota", f"{granted / 100:.2f}", f"{granted / 100:.2f}", "", "",
                           now)
                    reserve_balances[binding_id] = granted
                balances.append(balance)

        # Entries reference accounts by id: the FK trigger is off for this session, accounts follow right after.
        n_entries = copy_rows(cur, "ledger_ledgerentry",
                          ["account_id", "reserve_id", "kind", "amount", "balance_after", "memo", "reference",
                           "created_at"], entries())
        copy_rows(cur, "ledger_personalaccount", ["id", "person_id", "balance", "opened_at"],
              ((account_id0 + n, persons[i][0], f"{balances[n] / 100:.2f}", now) for n, i in enumerate(employees)))
        cur.execute("SELECT setval(pg_get_serial_sequence('ledger_personalaccount', 'id'), %s)",
                    [account_id0 + len(employees)])
        copy_rows(cur, "ledger_reserve", ["id", "account_id", "binding_ref", "balance", "created_at"],
              ((reserve_ids[b], account_id0 + n, b, f"{reserve_balances[b] / 100:.2f}", now)
               for n, b in quota_of_account.items() if b in reserve_balances))
        cur.execute("SELECT setval(pg_get_serial_sequence('ledger_reserve', 'id'), %s)", [len(reserve_ids) + 1])
        t_ledger = time.perf_counter()

        # Active bindings: authorizer = an employee, member = the next person (a unique pair each).
        cur.execute("SELECT id, body FROM sharing_commitmentletter ORDER BY version DESC LIMIT 1")
        letter = cur.fetchone()
        if letter is None:
            cur.execute("INSERT INTO sharing_commitmentletter (version, title, body, published_at) "
                        "VALUES (1, '个人承诺书', 'bench', now()) RETURNING id, body")
            letter = cur.fetchone()
        letter_hash = hashlib.sha256(letter[1].encode()).hexdigest()
        n_bindings = len(planned)

        def bindings():
            for k, (binding_id, a, m) in enumerate(planned):
                activated = now - datetime.timedelta(days=k % 900)
                yield (binding_id, f"B{k:012d}", persons[a][0], persons[m][0], "child", "active", letter[0],
                       letter_hash, "typed", "", persons[a][2], activated, "", "online", activated, "", activated, now,
                       persons[a][4], persons[a][3], persons[m][4], persons[m][3], "", "", "")

        copy_rows(cur, "sharing_binding",
              ["id", "reference", "authorizer_id", "member_id", "relation", "status", "letter_id", "letter_sha256",
               "signature_method", "signature_mime", "typed_name", "signed_at", "signed_user_agent", "channel",
               "activated_at", "status_reason",
               "created_at", "updated_at", "bound_authorizer_region_id", "bound_authorizer_insutype",
               "bound_member_region_id", "bound_member_insutype", "override_document", "override_note",
               "signature_sha256"], bindings())
        t_bindings = time.perf_counter()

        # An institution and an API key for the load run; the key goes to var/bench_key.
        cur.execute("SET session_replication_role = DEFAULT")
        cur.execute("INSERT INTO settlement_institution (id, fixmedins_code, name, region_id, active, created_at) "
                    "VALUES (%s, 'H32030299999', '压测医院', '320300', true, now()) "
                    "ON CONFLICT (fixmedins_code) DO UPDATE SET active = true RETURNING id", [uuid.uuid4()])
        institution_id = cur.fetchone()[0]
        # Citizens for the page part of the load run: users, a light and a 10,000-payment authorizer, a family
        # account (bench/citizens.py), loaded like the rest.
        cur.execute("SET session_replication_role = replica")
        citizen_counts = make_citizens(cur, rng, institution_id=institution_id, now=now)
        cur.execute("SET session_replication_role = DEFAULT")
        # The spending summary's triggers were off during the load: compute it from the payments, as they would have.
        cur.execute(rebuild_sql(TIME_ZONE))
        prefix = secrets.token_hex(6)
        key = f"gjt_{prefix}_{secrets.token_urlsafe(32)}"
        cur.execute("INSERT INTO settlement_apikey (institution_id, name, prefix, key_hash, created_at) "
                    "VALUES (%s, 'bench', %s, %s, now())", [institution_id, prefix, hashlib.sha256(key.encode()).hexdigest()])
        cur.execute("ANALYZE")
        # The invariant, as verify_ledger checks it.
        cur.execute("""SELECT count(*) FROM ledger_personalaccount a LEFT JOIN (SELECT account_id, SUM(amount) t
                       FROM ledger_ledgerentry WHERE reserve_id IS NULL GROUP BY account_id) s ON s.account_id = a.id
                       WHERE a.balance <> COALESCE(s.t, 0) OR a.balance < 0""")
        differences = cur.fetchone()[0]
        cur.execute("""SELECT count(*) FROM ledger_reserve r LEFT JOIN (SELECT reserve_id, SUM(amount) t
                       FROM ledger_ledgerentry WHERE reserve_id IS NOT NULL GROUP BY reserve_id) s ON s.reserve_id = r.id
                       WHERE r.balance <> COALESCE(s.t, 0)""")
        differences += cur.fetchone()[0]
    os.makedirs("var", exist_ok=True)
    with open("var/bench_key", "w") as fh:
        fh.write(key + "\n")
    return {"persons": len(persons), "accounts": len(employees), "entries": n_entries, "bindings": n_bindings,
            "quotas": len(reserve_balances),
            "seconds_persons": round(t_persons - t0, 1), "seconds_ledger": round(t_ledger - t_persons, 1),
            "seconds_bindings": round(t_bindings - t_ledger, 1), "seconds_total": round(time.perf_counter() - t0, 1),
            "ledger_differences": differences, **citizen_counts}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("set DATABASE_URL to the (migrated, empty) bench database")
    result = generate(url, args.scale, args.seed)
    for key, value in result.items():
        print(f"{key:>18}: {value}")


_ = io
if __name__ == "__main__":
    main()
