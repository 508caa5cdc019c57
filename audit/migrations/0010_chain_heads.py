"""Several audit chains, so that concurrent transactions do not queue for one chain head.

Migration 0007 chained every event behind one head row, locked until the inserting transaction ended: every
settlement (one audit event each) waited for the one before it to commit, its WAL flush included
(docs/settle-tail.md). Now the trigger takes the first head no other transaction holds (`FOR UPDATE SKIP LOCKED`,
in id order); when every head is held it opens the next chain (up to 16), and beyond that waits for one. A
transaction that already holds a head finds it again (its own lock is not skipped). Each chain is whole on its
own: its events are numbered from 1, each holds the hash of the one before it in that chain, and `verify_audit`
walks every chain (audit/chain.py).

The first chain is the one 0007 made: its events leave the new `chain` column empty, so the hashes of the events
already there are unchanged; the events of chain n > 1 hold n, which their hash covers. Chain numbers are unique
per chain. Going back is possible only while every event is on the first chain.
"""

from django.db import migrations, models
from django.db.models import F, Value
from django.db.models.functions import Coalesce

HEADS = 16

FORWARD = f"""
CREATE OR REPLACE FUNCTION audit_chain_link() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  head_id bigint;
  head_seq bigint;
  head_hash text;
  heads bigint;
BEGIN
  SELECT id, seq, chain_hash INTO head_id, head_seq, head_hash FROM audit_auditchainhead
   ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1;
  IF NOT FOUND THEN
    -- Every head is held by another transaction, or there is none yet (a new or flushed database).
    SELECT count(*) INTO heads FROM audit_auditchainhead;
    IF heads < {HEADS} THEN
      head_id := heads + 1;
      -- A new chain, or a chain whose head went missing with a flush: continue from its last event, if any.
      INSERT INTO audit_auditchainhead (id, seq, chain_hash)
        SELECT head_id, coalesce(max(chain_seq), 0),
               coalesce((SELECT chain_hash FROM audit_auditevent WHERE coalesce(chain, 1) = head_id
                          AND chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1), repeat('0', 64))
          FROM audit_auditevent WHERE coalesce(chain, 1) = head_id
      ON CONFLICT (id) DO NOTHING;
    ELSE
      head_id := 1 + pg_backend_pid() % {HEADS};
    END IF;
    SELECT id, seq, chain_hash INTO head_id, head_seq, head_hash FROM audit_auditchainhead
     WHERE id = head_id FOR UPDATE;
  END IF;
  NEW.chain := nullif(head_id, 1);
  NEW.chain_seq := head_seq + 1;
  NEW.prev_hash := head_hash;
  NEW.chain_hash := audit_event_digest(NEW);
  UPDATE audit_auditchainhead SET seq = NEW.chain_seq, chain_hash = NEW.chain_hash WHERE id = head_id;
  RETURN NEW;
END $$;
"""

# 0007's function, for going back.
REVERSE = """
DELETE FROM audit_auditchainhead WHERE id <> 1;
CREATE OR REPLACE FUNCTION audit_chain_link() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  head_seq bigint;
  head_hash text;
BEGIN
  SELECT seq, chain_hash INTO head_seq, head_hash FROM audit_auditchainhead WHERE id = 1 FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO audit_auditchainhead (id, seq, chain_hash)
      SELECT 1, coalesce(max(chain_seq), 0),
             coalesce((SELECT chain_hash FROM audit_auditevent WHERE chain_seq IS NOT NULL
                        ORDER BY chain_seq DESC LIMIT 1), repeat('0', 64))
        FROM audit_auditevent
    ON CONFLICT (id) DO NOTHING;
    SELECT seq, chain_hash INTO head_seq, head_hash FROM audit_auditchainhead WHERE id = 1 FOR UPDATE;
  END IF;
  NEW.chain_seq := head_seq + 1;
  NEW.prev_hash := head_hash;
  NEW.chain_hash := audit_event_digest(NEW);
  UPDATE audit_auditchainhead SET seq = NEW.chain_seq, chain_hash = NEW.chain_hash WHERE id = 1;
  RETURN NEW;
END $$;
"""


class Migration(migrations.Migration):

    dependencies = [("audit", "0009_region_indexes_without_like")]

    operations = [
        migrations.AddField(
            model_name="auditevent", name="chain",
            field=models.SmallIntegerField(blank=True, editable=False, null=True, verbose_name="chain"),
        ),
        migrations.AlterField(
            model_name="auditevent", name="chain_seq",
            field=models.BigIntegerField(blank=True, editable=False, null=True, verbose_name="chain number"),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(Coalesce(F("chain"), Value(1)), F("chain_seq"),
                                               name="audit_chain_seq_once"),
        ),
        migrations.RunSQL(FORWARD, REVERSE),
    ]
