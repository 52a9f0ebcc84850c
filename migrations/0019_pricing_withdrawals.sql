-- A withdrawn price list keeps its approval (decided_by, decided_at_us: who approved it and
-- when, null when it was withdrawn before approval); the withdrawal has its own who and when.
-- Before this, a withdrawal overwrote the approval, and the price history lost who had approved
-- a list that was later taken back. `reason` holds the withdrawal's reason (or a rejection's).
ALTER TABLE pricing_proposals ADD COLUMN withdrawn_by TEXT;
ALTER TABLE pricing_proposals ADD COLUMN withdrawn_at_us BIGINT;
