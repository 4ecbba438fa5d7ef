-- A share link may serve, instead of the credential as issued, a variant signed for that link whose
-- subject is identified by salted hashes (Open Badges 3.0 IdentityObject, hashed: true) of the
-- learner's name(s) and account number. Null: the link serves the credential as issued.
ALTER TABLE "credential_shares" ADD COLUMN "document" jsonb;
