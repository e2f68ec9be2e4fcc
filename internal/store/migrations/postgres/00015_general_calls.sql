-- +goose Up
-- A general call for innovation procurement (arena.FundingCall.General)
-- funds innovation procurement whatever the subject and fits every need it
-- can fund (arena.FundingCall.FitsNeed), not only those whose text shares
-- its. The report's own such call, Vinnova's checkar för
-- innovationsupphandling, is marked in a database seeded before.
ALTER TABLE funding_calls ADD COLUMN general BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE funding_calls SET general = TRUE, version = version + 1
    WHERE title = 'Checkar för innovationsupphandling' AND source = 'rapporten 4.2, 4.4.2';

-- +goose Down
ALTER TABLE funding_calls DROP COLUMN general;
