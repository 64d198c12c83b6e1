-- place-order owns the "orders" schema.
create table customer_order (
    -- a UUIDv7 (time-ordered, so inserts stay at the right edge of the index)
    id              varchar(100) primary key,
    -- from the customer's session (register-user's user id and e-mail)
    customer_id     varchar(100) not null,
    email           varchar(254) not null,
    -- the payment provider's token, never card data
    payment_method  varchar(100) not null,
    total_cents     bigint       not null check (total_cents >= 0),
    currency        char(3)      not null,
    -- only ever moves forward: PENDING -> CANCELLING -> CANCELLED, PENDING -> CONFIRMED
    status          varchar(16)  not null
        check (status in ('PENDING', 'CANCELLING', 'CONFIRMED', 'CANCELLED')),
    -- why it was cancelled (order.cancelled's reason)
    reason          varchar(200),
    -- the client's Idempotency-Key: one order per customer and key (nulls never collide)
    idempotency_key varchar(255),
    -- SHA-256 of what was asked for, so a key reused for another cart is refused
    request_hash    char(64),
    placed_at       timestamptz  not null,
    updated_at      timestamptz  not null,
    constraint customer_order_idempotency unique (customer_id, idempotency_key)
);

-- priced when the order was placed; later price changes do not touch an order
create table order_line (
    order_id   varchar(100) not null references customer_order (id),
    line_no    smallint     not null,
    isbn       varchar(13)  not null,
    quantity   integer      not null check (quantity between 1 and 1000),
    unit_cents bigint       not null check (unit_cents >= 0),
    currency   char(3)      not null,
    primary key (order_id, line_no)
);

-- one row per fact about the order; a redelivered fact (same source and id) adds nothing
create table order_history (
    id           bigserial    primary key,
    order_id     varchar(100) not null references customer_order (id),
    at           timestamptz  not null,
    event_type   varchar(100) not null,
    detail       varchar(300) not null,
    event_source varchar(255) not null,
    event_id     varchar(255) not null,
    constraint order_history_event unique (event_source, event_id)
);
create index order_history_by_order on order_history (order_id, at, id);

-- transactional outbox: written with the order, published after the commit; the relay publishes
-- whatever a crash left behind
create table outbox (
    event_id     varchar(100) primary key,
    order_id     varchar(100) not null,
    -- the CloudEvent in structured mode (JSON)
    event        text         not null,
    created_at   timestamptz  not null,
    published_at timestamptz
);
-- the relay's query
create index outbox_unpublished on outbox (created_at) where published_at is null;
-- the purge's query
create index outbox_published on outbox (published_at) where published_at is not null;
