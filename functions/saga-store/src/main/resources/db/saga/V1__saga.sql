-- The "saga" schema: one row per saga instance, one row per step, shared by saga-step and
-- compensate (both run this migration; Flyway's lock serialises them) and read by saga-timeouts.

create table saga (
    -- the saga id: the order id for the order saga
    id              varchar(100) primary key,
    -- the table's name ("order"); a changed table gets a new name, so old rows stay readable
    definition      varchar(50)  not null,
    status          varchar(16)  not null
        check (status in ('RUNNING', 'FAILED', 'COMPENSATING', 'COMPLETED', 'COMPENSATED', 'STUCK')),
    -- index of the step in flight (sent, failed, being compensated or stuck); -1 once finished
    current_step    smallint     not null,
    -- from the table ("out-of-stock") or "<step> timed out"; goes into order.cancelled
    failure_reason  varchar(200),
    -- when the one thing in flight is overdue; null when finished or stuck
    deadline        timestamptz,
    -- optimistic lock: 0 at start, +1 per applied input
    version         bigint       not null,
    -- source#id of every reply applied, so a redelivery is recognised after Redis forgot it
    applied_replies text[]       not null default '{}',
    -- source#id of the event that made the latest transition: its redelivery replays what that
    -- transition emitted (same ids), which covers a crash between the commit and the publish
    last_input      text,
    -- the order.placed data: every command and fact of the saga is built from it
    order_data      jsonb        not null,
    created_at      timestamptz  not null,
    updated_at      timestamptz  not null,
    check ((status in ('COMPLETED', 'COMPENSATED')) = (current_step = -1))
);

create table saga_step (
    saga_id               varchar(100) not null references saga (id) on delete cascade,
    index                 smallint     not null,
    name                  varchar(100) not null,
    status                varchar(16)  not null
        check (status in ('PENDING', 'STARTED', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'COMPENSATING',
                          'COMPENSATED')),
    attempts              integer      not null check (attempts >= 0),
    compensation_attempts integer      not null check (compensation_attempts >= 0),
    primary key (saga_id, index)
);

-- The sweep (saga-timeouts): select id, deadline from saga.saga
--   where status in ('RUNNING','FAILED','COMPENSATING') and deadline <= now() order by deadline limit N
-- Only live sagas are in the index, in deadline order, with the id alongside (index-only scan).
create index saga_due on saga (deadline) include (id)
    where status in ('RUNNING', 'FAILED', 'COMPENSATING');

-- Operators: select ... from saga.saga where status = 'STUCK' order by updated_at
create index saga_stuck on saga (updated_at) where status = 'STUCK';
