-- A signed-in request's principal (its session, the user's name, roles, learner account and whether
-- the user is disabled) is held in each server process for a few seconds. These triggers tell every
-- process, at commit, whose principal has changed: NOTIFY principal_changed with the user's id, from
-- whatever wrote the change (a request, the CLI, an operator's SQL).
CREATE FUNCTION "notify_principal_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  who text;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    who := to_jsonb(OLD) ->> TG_ARGV[0];
    IF who IS NOT NULL THEN PERFORM pg_notify('principal_changed', who); END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    who := to_jsonb(NEW) ->> TG_ARGV[0];
    IF who IS NOT NULL THEN PERFORM pg_notify('principal_changed', who); END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "sessions_principal_changed" AFTER DELETE OR UPDATE ON "sessions"
  FOR EACH ROW EXECUTE FUNCTION "notify_principal_changed"('user_id');
--> statement-breakpoint
CREATE TRIGGER "users_principal_changed" AFTER DELETE OR UPDATE OF "username", "display_name", "disabled_at" ON "users"
  FOR EACH ROW EXECUTE FUNCTION "notify_principal_changed"('id');
--> statement-breakpoint
CREATE TRIGGER "role_grants_principal_changed" AFTER INSERT OR DELETE OR UPDATE ON "role_grants"
  FOR EACH ROW EXECUTE FUNCTION "notify_principal_changed"('user_id');
--> statement-breakpoint
CREATE TRIGGER "learners_principal_changed" AFTER INSERT OR DELETE OR UPDATE OF "user_id" ON "learners"
  FOR EACH ROW EXECUTE FUNCTION "notify_principal_changed"('user_id');
