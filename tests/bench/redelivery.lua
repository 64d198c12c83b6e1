-- wrk script: the same CloudEvent (same ce-id, set on the command line) over and over: every
-- request after the first is a redelivery answered from the idempotency ledger.
wrk.method = "POST"
wrk.body = os.getenv("BODY") or '{"email":"redelivered@example.com","password":"Correct-Horse-42"}'
