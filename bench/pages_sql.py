"""The scratch data of bench/pages_profile.py: the heavy authorizer's payments, and newer ones of somebody else."""

HEAVY_SQL = """
SET session_replication_role = replica;
CREATE TEMP TABLE model AS
  SELECT p.*, s.institution_id AS s_inst FROM settlement_payment p JOIN settlement_settlement s ON s.id = p.settlement_id
  WHERE p.payer_id = %(payer)s AND p.source = 'shared' ORDER BY p.id LIMIT 1;
CREATE TEMP TABLE gen AS
  SELECT g AS n, gen_random_uuid() AS sid, now() - (g * interval '105 minutes') AS at FROM generate_series(1, %(n)s) g;
INSERT INTO settlement_settlement
  SELECT (jsonb_populate_record(NULL::settlement_settlement, to_jsonb(s) || jsonb_build_object(
     'id', gen.sid, 'request_id', 'heavy-' || gen.n, 'created_at', gen.at))).*
  FROM gen, settlement_settlement s WHERE s.id = (SELECT settlement_id FROM model);
INSERT INTO ledger_ledgerentry
  SELECT (jsonb_populate_record(NULL::ledger_ledgerentry, to_jsonb(e) || jsonb_build_object(
     'id', (SELECT max(id) FROM ledger_ledgerentry) + gen.n, 'created_at', gen.at))).*
  FROM gen, ledger_ledgerentry e WHERE e.id = (SELECT ledger_entry_id FROM model);
INSERT INTO settlement_payment
  SELECT (jsonb_populate_record(NULL::settlement_payment, to_jsonb(p) || jsonb_build_object(
     'id', (SELECT max(id) FROM settlement_payment) + gen.n, 'settlement_id', gen.sid, 'created_at', gen.at,
     'amount', 1 + gen.n %% 50, 'refunded', CASE WHEN gen.n %% 10 = 0 THEN 1 ELSE 0 END,
     'ledger_entry_id', (SELECT max(id) FROM ledger_ledgerentry) - %(n)s + gen.n))).*
  FROM gen, settlement_payment p WHERE p.id = (SELECT id FROM model);
SET session_replication_role = DEFAULT;
SELECT setval(pg_get_serial_sequence('settlement_payment', 'id'), (SELECT max(id) FROM settlement_payment));
SELECT setval(pg_get_serial_sequence('ledger_ledgerentry', 'id'), (SELECT max(id) FROM ledger_ledgerentry));
"""

# --others N: N newer payments of another authorizer (刘洋 for his mother) after the heavy one's, as on the load bench,
# where the settlement phase adds everybody else's payments after the generated ones: a page statement that walks the
# primary key instead of the payer's index then reads through all of them.
OTHERS_SQL = """
SET session_replication_role = replica;
CREATE TEMP TABLE others_model AS SELECT p.*, e.account_id AS e_account FROM settlement_payment p
  JOIN ledger_ledgerentry e ON e.id = p.ledger_entry_id WHERE p.payer_id = %(heavy)s ORDER BY p.id DESC LIMIT 1;
CREATE TEMP TABLE others_gen AS SELECT g AS n, (SELECT max(id) FROM ledger_ledgerentry) + g AS entry,
  (SELECT max(id) FROM settlement_payment) + g AS payment FROM generate_series(1, %(n)s) g;
INSERT INTO ledger_ledgerentry
  SELECT (jsonb_populate_record(NULL::ledger_ledgerentry, to_jsonb(e) || jsonb_build_object(
     'id', g.entry, 'account_id', (SELECT id FROM ledger_personalaccount WHERE person_id = %(payer)s)))).*
  FROM others_gen g, ledger_ledgerentry e WHERE e.id = (SELECT ledger_entry_id FROM others_model);
INSERT INTO settlement_payment
  SELECT (jsonb_populate_record(NULL::settlement_payment, to_jsonb(p) || jsonb_build_object(
     'id', g.payment, 'payer_id', %(payer)s, 'member_id', %(member)s, 'ledger_entry_id', g.entry,
     'account_id', (SELECT id FROM ledger_personalaccount WHERE person_id = %(payer)s)))).*
  FROM others_gen g, settlement_payment p WHERE p.id = (SELECT id FROM others_model);
SET session_replication_role = DEFAULT;
SELECT setval(pg_get_serial_sequence('settlement_payment', 'id'), (SELECT max(id) FROM settlement_payment));
SELECT setval(pg_get_serial_sequence('ledger_ledgerentry', 'id'), (SELECT max(id) FROM ledger_ledgerentry));
"""
