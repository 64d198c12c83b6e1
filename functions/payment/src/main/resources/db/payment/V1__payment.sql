-- payment owns the "payment" schema.
create table payment (
    order_id         varchar(100) primary key,
    -- PENDING (the provider has not answered), AUTHORIZED, CAPTURED, DECLINED, REFUNDED
    -- (also the tombstone of a refund that came first)
    status           varchar(16)  not null,
    authorization_id varchar(64),
    amount_cents     bigint       not null check (amount_cents >= 0),
    currency         char(3)      not null,
    decline_reason   varchar(32),
    updated_at       timestamptz  not null,
    version          bigint       not null default 0
);
