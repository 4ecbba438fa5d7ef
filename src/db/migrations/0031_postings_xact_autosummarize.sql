-- The quality indicators reach the postings written since their daily totals through the BRIN index on
-- xact. Pages filled since the index was last summarised are not in it, and every such page is read:
-- after a bulk load, until autovacuum next ran, that was every posting (0.5 % of a province: 1.3
-- million). autosummarize asks autovacuum to summarise each range of pages as soon as it fills.
ALTER INDEX "ledger_postings_xact_idx" SET (autosummarize = on);
