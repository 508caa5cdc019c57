"""Signed records are never edited: the database refuses it, whoever asks.

- A binding's signed part (what was signed, by whom, for whom, when and how) cannot be updated.
- A commitment-letter version that a binding was signed against cannot be changed or deleted;
  officials publish a new version instead.
"""

from django.db import migrations

SQL = """
CREATE FUNCTION sharing_binding_signed_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.reference IS DISTINCT FROM OLD.reference
     OR NEW.authorizer_id IS DISTINCT FROM OLD.authorizer_id
     OR NEW.member_id IS DISTINCT FROM OLD.member_id
     OR NEW.relation IS DISTINCT FROM OLD.relation
     OR NEW.valid_from IS DISTINCT FROM OLD.valid_from
     OR NEW.valid_until IS DISTINCT FROM OLD.valid_until
     OR NEW.letter_id IS DISTINCT FROM OLD.letter_id
     OR NEW.letter_sha256 IS DISTINCT FROM OLD.letter_sha256
     OR NEW.signature_method IS DISTINCT FROM OLD.signature_method
     OR NEW.signature_image IS DISTINCT FROM OLD.signature_image
     OR NEW.signature_mime IS DISTINCT FROM OLD.signature_mime
     OR NEW.typed_name IS DISTINCT FROM OLD.typed_name
     OR NEW.signed_at IS DISTINCT FROM OLD.signed_at
     OR NEW.signed_ip IS DISTINCT FROM OLD.signed_ip
     OR NEW.signed_user_agent IS DISTINCT FROM OLD.signed_user_agent
     OR NEW.channel IS DISTINCT FROM OLD.channel
     OR NEW.staff_id IS DISTINCT FROM OLD.staff_id
  THEN
    RAISE EXCEPTION 'the signed part of binding % cannot be changed', OLD.reference
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER sharing_binding_signed_guard BEFORE UPDATE ON sharing_binding
  FOR EACH ROW EXECUTE FUNCTION sharing_binding_signed_guard();
CREATE TRIGGER sharing_binding_no_delete BEFORE DELETE ON sharing_binding
  FOR EACH ROW EXECUTE FUNCTION append_only_guard();

CREATE FUNCTION sharing_letter_signed_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM sharing_binding WHERE letter_id = OLD.id) THEN
    RAISE EXCEPTION 'commitment letter v% has been signed and cannot be changed; publish a new version', OLD.version
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE TRIGGER sharing_letter_signed_guard BEFORE UPDATE OR DELETE ON sharing_commitmentletter
  FOR EACH ROW EXECUTE FUNCTION sharing_letter_signed_guard();
"""

REVERSE = """
DROP TRIGGER sharing_letter_signed_guard ON sharing_commitmentletter;
DROP FUNCTION sharing_letter_signed_guard();
DROP TRIGGER sharing_binding_no_delete ON sharing_binding;
DROP TRIGGER sharing_binding_signed_guard ON sharing_binding;
DROP FUNCTION sharing_binding_signed_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_initial"), ("ledger", "0002_ledger_invariants")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
