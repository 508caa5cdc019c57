"""Officials' workspace on bench data: the statistics page's queries and a 100 k-row registry upload preview.

    DATABASE_URL=postgresql://…/gjt_bench python bench/officials.py [--refusals 1000000] [--upload-rows 100000]
        [--payments 1000000]

Run after `bench/generate.py` (see bench/README.md). Adds `--refusals` refusal-log rows over the last 12 months
(COPY, codes/channels/regions at random), then prints the time of `refresh_statistics` (the summary tables) and,
for a national and a 徐州 official, the time of each statistics table and of the whole page, and the time to
preview a registry file of `--upload-rows` rows (half known persons unchanged, half new) with nothing written.
With `--payments N` it also writes N settlements paid from shared accounts (a payment and a ledger entry each, over
the last 12 months, for the active bindings) inside a transaction that is rolled back at the end, refreshes the
summaries and times the money and settlement tables of the statistics page side by side with the old live query of
the current month.
"""

import argparse
import csv
import datetime
import io
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from officials import tables  # noqa: E402
from officials.summary import statistics_refresh  # noqa: E402
from registry import idnumber  # noqa: E402
from registry.importer import HEADER, import_registry  # noqa: E402
from registry.models import InsuredPerson  # noqa: E402

CODES = ["RELATION_NOT_ALLOWED", "CROSS_PROVINCE_NOT_ALLOWED", "CROSS_CITY_NOT_ALLOWED", "SHARED_BALANCE_ZERO",
         "FAMILY_ACCOUNT_ONLY", "AUTHORIZER_NOT_ENROLLED", "MEMBER_NOT_ENROLLED", "PATIENT_NOT_FOUND"]
CHANNELS = ["wizard", "hall", "api", "selfcheck"]
REGIONS = ["320300", "320100", "320500", "130100", "110000", "140100"]


def add_refusals(n: int) -> None:
    rng = random.Random(7)
    now = timezone.now()
    with connection.cursor() as cur:
        with cur.connection.cursor().copy(
                "COPY audit_refusalentry (code, channel, region_id, created_at) FROM STDIN") as copy:
            for _ in range(n):
                copy.write_row((rng.choice(CODES), rng.choice(CHANNELS), rng.choice(REGIONS),
                                now - datetime.timedelta(seconds=rng.randrange(365 * 86400))))
        cur.execute("ANALYZE audit_refusalentry")


def timed(label, fn):
    t0 = time.perf_counter()
    result = fn()
    print(f"{label:<56} {1000 * (time.perf_counter() - t0):8.0f} ms")
    return result


def statistics(user: User) -> None:
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime(today.year - 1, today.month, 1)) + datetime.timedelta(days=31)
    start = start.replace(day=1)
    end = timezone.now() + datetime.timedelta(days=1)
    regions = None if not user.scope_region_id else [user.scope_region_id]
    for key in tables.TABLE_KEYS:
        timed(f"  {user.username}: {key}", lambda k=key: tables.build(k, regions, start, end))
    client = Client()
    client.force_login(user)
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=plain):  # no collectstatic manifest in a bench checkout
        client.get("/admin/statistics/")  # warm: templates compiled, session loaded
        response = timed(f"  {user.username}: whole page /admin/statistics/",
                         lambda: client.get("/admin/statistics/"))
    assert response.status_code == 200, response.status_code


def upload_preview(rows: int) -> None:
    known = list(InsuredPerson.objects.order_by("certno").values_list("name", "certno", "insutype", "region_id",
                                                                        "status", "mobile")[: rows // 2])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for name, certno, insutype, region, status, mobile in known:
        # Balances are not compared in a preview; an employee row needs an amount.
        writer.writerow([name, certno, insutype, region, status, "0.00" if insutype == "310" else "", mobile])
    for i in range(rows - len(known)):
        certno = idnumber.make("320302", datetime.date(1950, 1, 1) + datetime.timedelta(days=i % 20000), 500 + i // 20000)
        writer.writerow([f"新{i}", certno, "390", "320300", "active", "", ""])
    size = len(out.getvalue().encode())
    out.seek(0)
    report = timed(f"  preview of {rows:,} rows ({size / 1e6:.1f} MB)", lambda: import_registry(out, dry_run=True))
    print(f"    new {report.created:,}, changed {report.updated:,}, unchanged {report.unchanged:,}, "
          f"bad rows {len(report.errors):,}")


PAYMENTS_SQL = """
CREATE TEMP TABLE bench_pay ON COMMIT DROP AS
WITH b AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, authorizer_id, member_id, relation
           FROM sharing_binding WHERE status = 'active'),
     c AS (SELECT count(*) AS n FROM b)
SELECT g, gen_random_uuid() AS sid, nextval(pg_get_serial_sequence('ledger_ledgerentry', 'id')) AS eid,
       b.id AS binding_id, b.authorizer_id, b.member_id, b.relation, acc.id AS account_id,
       now() - random() * interval '365 days' AS t, (1 + floor(random() * 200))::numeric(14, 2) AS amount
FROM generate_series(0, %(n)s - 1) g CROSS JOIN c JOIN b ON b.k = (g::bigint * 7919) %% c.n
JOIN ledger_personalaccount acc ON acc.person_id = b.authorizer_id;
INSERT INTO ledger_ledgerentry (id, account_id, kind, amount, balance_after, memo, reference, created_at)
  SELECT eid, account_id, 'settlement', -amount, NULL, '', 'bench', t FROM bench_pay;
INSERT INTO settlement_settlement (id, institution_id, request_id, request_hash, patient_id, category, amount,
                                   acct_pay, acct_mulaid_pay, cash_pay, refunded, reply, created_at)
  SELECT sid, %(inst)s, 'bench-' || g, '', member_id, 'outpatient', amount, 0, amount, 0, 0, '{}', t FROM bench_pay;
INSERT INTO settlement_payment (settlement_id, account_id, payer_id, member_id, source, binding_id, relation,
                                institution_id, category, amount, refunded, ledger_entry_id, created_at)
  SELECT sid, account_id, authorizer_id, member_id, 'shared', binding_id, relation, %(inst)s, 'outpatient', amount,
         0, eid, t FROM bench_pay;
ANALYZE ledger_ledgerentry; ANALYZE settlement_settlement; ANALYZE settlement_payment;
"""
def old_live_month(regions, start, end):
    """The reference: what the page read live for the current month before the refresh's cut (one query over the
    month's payments, then one over its settlements and refunds)."""
    from django.db.models import Count, F, Q, Sum
    from django.db.models.functions import TruncMonth

    from officials.selectors import settlements_live
    from settlement.models import Payment

    queryset = Payment.objects.order_by().filter(source__in=["shared", "quota"], created_at__gte=start,
                                                 created_at__lt=end)
    if regions is not None:
        queryset = queryset.filter(Q(payer__region__in=regions) | Q(member__region__in=regions))
    money = list(queryset.annotate(month=TruncMonth("created_at"), payer_region=F("payer__region"),
                                   member_region=F("member__region"))
                 .values("month", "payer_region", "member_region")
                 .annotate(net=Sum(F("amount") - F("refunded")), n=Count("id")))
    return money, settlements_live(regions, start, end)


def money_queries(payments: int, users) -> None:
    """Money shared and settlements per month on `payments` generated settlements over the last 12 months (about
    payments / 12 in the current month): the page's path (summaries up to the refresh's cut, today live) side by side
    with the old live query of the current month. Everything written here is rolled back."""
    from django.db import transaction

    from officials.selectors import money_shared, recent_payment_flows, settlements_live, settlements_per_month
    from settlement.models import Institution, Payment

    today = timezone.localdate()
    start = (timezone.make_aware(datetime.datetime(today.year - 1, today.month, 1))
             + datetime.timedelta(days=31)).replace(day=1)
    month = timezone.make_aware(datetime.datetime(today.year, today.month, 1))
    end = (month + datetime.timedelta(days=32)).replace(day=1)  # the page's periods end at a month's end
    with transaction.atomic():
        institution = Institution.objects.order_by("pk").first()
        with connection.cursor() as cur:
            cur.execute("SET LOCAL session_replication_role = replica")  # no ledger trigger: nothing is kept
            timed(f"write {payments:,} shared settlements (rolled back)",
                  lambda: cur.execute(PAYMENTS_SQL % {"n": int(payments), "inst": f"'{institution.pk}'::uuid"}))
        timed("refresh_statistics (with them)", statistics_refresh)
        # The old path read the current month live: at a month's end, a whole month of payments. The new one reads
        # live only what was made since the last refresh's cut (a full hour): with the hourly refresh at most about
        # two hours (a refresh running late, just before the next one). The last 24 h: what a daily cut would read.
        now = timezone.now()
        since = {"31 days": now - datetime.timedelta(days=31), "24 h": now - datetime.timedelta(days=1),
                 "2 h": now - datetime.timedelta(hours=2)}
        shared = Payment.objects.filter(source="shared")
        print("  shared payments in the last " + ", ".join(
            f"{label}: {shared.filter(created_at__gte=t).count():,}" for label, t in since.items()))
        for user in users:
            regions = None if not user.scope_region_id else [user.scope_region_id]
            for _ in range(2):  # the second round reads warm pages
                timed(f"  {user.username}: old live query, a full month (31 days)",
                      lambda r=regions: old_live_month(r, since["31 days"], end))
                for label in ("24 h", "2 h"):
                    timed(f"  {user.username}: new live part, {label}",
                          lambda r=regions, t=since[label]: (recent_payment_flows(r, t, end), settlements_live(r, t, end)))
                timed(f"  {user.username}: money_shared, 12 months", lambda r=regions: money_shared(r, start, end))
                timed(f"  {user.username}: settlements_per_month, 12 months",
                      lambda r=regions: settlements_per_month(r, start, end))
        transaction.set_rollback(True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--refusals", type=int, default=1_000_000)
    parser.add_argument("--upload-rows", type=int, default=100_000)
    parser.add_argument("--payments", type=int, default=0)
    args = parser.parse_args()
    if args.refusals:
        timed(f"COPY {args.refusals:,} refusal-log rows", lambda: add_refusals(args.refusals))
    national, _ = User.objects.get_or_create(username="bench_national",
                                             defaults={"role": "official", "is_staff": True})
    xuzhou, _ = User.objects.get_or_create(username="bench_xz", defaults={"role": "official", "is_staff": True,
                                                                           "scope_region_id": "320300"})
    timed("refresh_statistics (summary tables)", statistics_refresh)
    print("statistics (12 months):")
    statistics(national)
    statistics(xuzhou)
    if args.payments:
        print(f"money and settlements per month (12 months, {args.payments:,} generated settlements):")
        money_queries(args.payments, [national, xuzhou])
    if args.upload_rows:
        print("registry upload:")
        upload_preview(args.upload_rows)


if __name__ == "__main__":
    main()
