-- reserve-stock owns the "stock" schema.
create table stock_level (
    isbn      varchar(13) primary key,
    on_hand   integer     not null check (on_hand >= 0),
    -- copies held for orders; never more than on hand, so a hold can always be honoured
    reserved  integer     not null default 0 check (reserved >= 0 and reserved <= on_hand)
);

create table reservation (
    order_id   varchar(100) primary key,
    -- RESERVED, COMMITTED, RELEASED (also the tombstone of a release that came first), EXPIRED
    status     varchar(16)  not null,
    items      text         not null,
    expires_at timestamptz,
    updated_at timestamptz  not null,
    version    bigint       not null default 0
);

-- the sweep's query: live holds past their time
create index reservation_due on reservation (expires_at) where status = 'RESERVED';
