-- +goose Up
-- A general call for innovation procurement (arena.FundingCall.General)
-- funds innovation procurement whatever the subject and fits every need it
-- can fund (arena.FundingCall.FitsNeed), not only those whose text shares
-- its. The report's own such call, Vinnova's checkar för
-- innovationsupphandling, is marked in a database seeded before.
ALTER TABLE funding_calls ADD COLUMN general INTEGER NOT NULL DEFAULT 0;
UPDATE funding_calls SET general = 1, version = version + 1
    WHERE title = 'Checkar för innovationsupphandling' AND source = 'rapporten 4.2, 4.4.2';

-- +goose Down
ALTER TABLE funding_calls DROP COLUMN general;
