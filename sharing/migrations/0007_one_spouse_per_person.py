"""A person has at most one live spouse binding, in either direction (rules.md, SECOND_SPOUSE).

If A→B is a live spouse binding, neither C→B nor B→C (C ≠ A) may become one; B→A, the same couple the other way
round, may. A unique index cannot say "either column, except the same couple", so a trigger does: it takes a
transaction-scoped advisory lock for each of the two persons (in a fixed order, so two inserts cannot deadlock)
and then looks for a conflicting live spouse binding. A second transaction touching either person waits for the
first to commit, and its check then sees the committed row (each statement in PL/pgSQL takes a new snapshot under
READ COMMITTED). The refusal is a unique_violation naming one_live_spouse_per_person, which
sharing.services.binding_create turns into SECOND_SPOUSE.
"""

from django.db import migrations

SQL = """
CREATE FUNCTION sharing_binding_one_spouse() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  live text[] := ARRAY['awaiting_consent', 'active', 'suspended'];
  person uuid;
BEGIN
  IF NEW.relation <> 'spouse' OR NOT (NEW.status = ANY (live)) THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.relation = 'spouse' AND OLD.status = ANY (live) THEN
    RETURN NEW;  -- already live (e.g. awaiting consent -> active): checked when it became live
  END IF;
  FOR person IN SELECT p FROM unnest(ARRAY[NEW.authorizer_id, NEW.member_id]) AS p ORDER BY p LOOP
    PERFORM pg_advisory_xact_lock(hashtext('sharing_binding_one_spouse'), hashtext(person::text));
  END LOOP;
  IF EXISTS (
    SELECT 1 FROM sharing_binding b
     WHERE b.id <> NEW.id AND b.relation = 'spouse' AND b.status = ANY (live)
       AND (b.authorizer_id IN (NEW.authorizer_id, NEW.member_id) OR b.member_id IN (NEW.authorizer_id, NEW.member_id))
       -- the same couple, either way round: B→A is allowed, A→B twice is one_live_binding_per_pair's to refuse
       AND NOT (b.authorizer_id IN (NEW.authorizer_id, NEW.member_id) AND b.member_id IN (NEW.authorizer_id, NEW.member_id))
  ) THEN
    RAISE EXCEPTION 'one_live_spouse_per_person: binding % would give a person a second live spouse binding',
      NEW.reference USING ERRCODE = 'unique_violation', CONSTRAINT = 'one_live_spouse_per_person';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER sharing_binding_one_spouse BEFORE INSERT OR UPDATE OF status, relation ON sharing_binding
  FOR EACH ROW EXECUTE FUNCTION sharing_binding_one_spouse();
"""

REVERSE = """
DROP TRIGGER sharing_binding_one_spouse ON sharing_binding;
DROP FUNCTION sharing_binding_one_spouse();
"""


class Migration(migrations.Migration):
    dependencies = [("sharing", "0006_binding_payment_priority")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
