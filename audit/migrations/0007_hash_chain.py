"""The audit trail as a hash chain: each event holds the hash of the event before it, so a deleted, altered or
out-of-chain row is found by `manage.py verify_audit` (audit/chain.py).

The database does the chaining, in a BEFORE INSERT trigger: it locks the one chain-head row (created on demand),
numbers the event, takes the head's hash as `prev_hash` and hashes the event's columns (as JSON, the hash column
left out, NULL and empty-string values left out so that a column added later with an empty default changes no
existing hash, timestamps in UTC). The head row stays locked until the inserting transaction ends, so concurrent
inserts are chained one after the other. The trigger function is SECURITY DEFINER (the owner's): the runtime role
may read the head, never write it (core/db_roles.py).

Existing events are chained here in the order of their ids (after 0006, which added the officials' columns).
"""

from django.db import migrations, models

FORWARD = """
CREATE FUNCTION audit_event_digest(e audit_auditevent) RETURNS text
LANGUAGE sql STABLE SET timezone TO 'UTC' AS $$
  SELECT encode(sha256(convert_to((
    SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb)::text
      FROM jsonb_each(to_jsonb(e) - 'chain_hash')
     WHERE value <> 'null'::jsonb AND value <> '""'::jsonb), 'UTF8')), 'hex')
$$;

CREATE FUNCTION audit_chain_link() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  head_seq bigint;
  head_hash text;
BEGIN
  SELECT seq, chain_hash INTO head_seq, head_hash FROM audit_auditchainhead WHERE id = 1 FOR UPDATE;
  IF NOT FOUND THEN
    -- No head yet (a new or flushed database): start it from the last chained event, if any.
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

ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only;
DO $$
DECLARE
  r audit_auditevent;
  n bigint := 0;
  prev text := repeat('0', 64);
BEGIN
  FOR r IN SELECT * FROM audit_auditevent ORDER BY id LOOP
    n := n + 1;
    r.chain_seq := n;
    r.prev_hash := prev;
    r.chain_hash := audit_event_digest(r);
    UPDATE audit_auditevent SET chain_seq = r.chain_seq, prev_hash = r.prev_hash, chain_hash = r.chain_hash
     WHERE id = r.id;
    prev := r.chain_hash;
  END LOOP;
  INSERT INTO audit_auditchainhead (id, seq, chain_hash) VALUES (1, n, prev);
END $$;
ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only;

CREATE TRIGGER audit_chain BEFORE INSERT ON audit_auditevent FOR EACH ROW EXECUTE FUNCTION audit_chain_link();
"""

REVERSE = """
DROP TRIGGER audit_chain ON audit_auditevent;
DROP FUNCTION audit_chain_link();
DROP FUNCTION audit_event_digest(audit_auditevent);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0006_event_province'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.BigIntegerField(default=0, verbose_name='chain number')),
                ('chain_hash', models.CharField(max_length=64, verbose_name='hash')),
            ],
            options={
                'verbose_name': 'audit chain head',
                'verbose_name_plural': 'audit chain head',
            },
        ),
        migrations.AddField(
            model_name='auditevent',
            name='chain_hash',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='hash'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='chain_seq',
            field=models.BigIntegerField(blank=True, editable=False, null=True, unique=True, verbose_name='chain number'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='prev_hash',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='previous hash'),
        ),
        migrations.RunSQL(FORWARD, REVERSE),
    ]
