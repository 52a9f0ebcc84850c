-- Business facts post their ledger entries (src/domains/forecourt/stock_posting.hpp,
-- docs/finance.md "What each business fact posts").

-- The unit cost a delivery's stock was taken into inventory at (10^-4 pesewa per litre: the
-- request's unit_cost, else the product's ex-depot price on the delivery date from the pricing
-- build-up). NULL: uncosted, nothing was posted for the stock (the delivery is never refused
-- for want of a cost).
ALTER TABLE deliveries ADD COLUMN unit_cost BIGINT;
