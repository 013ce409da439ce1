-- Data only: sessions whose usage was folded before model requests recorded their list cost
-- (`list_cost_nano_usd` on span.model_request_end) spent an amount nobody priced. Their usage says
-- so, as a fold of their log now would: a request without a list price (at least one) makes the list cost
-- unknown (`list_cost: null`) rather than $0.
UPDATE "Session"
SET "usage" = "usage" || '{"list_cost_nano_usd": 0, "unpriced_requests": 1}'::jsonb
WHERE ("usage" -> 'list_cost_nano_usd') IS NULL
  AND COALESCE(("usage" ->> 'input_tokens')::numeric, 0) + COALESCE(("usage" ->> 'output_tokens')::numeric, 0)
    + COALESCE(("usage" ->> 'cache_read_input_tokens')::numeric, 0) + COALESCE(("usage" ->> 'cache_creation_input_tokens')::numeric, 0) > 0;
