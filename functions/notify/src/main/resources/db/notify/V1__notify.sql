-- notify owns the "notify" schema.
create table notification (
    -- a UUID derived from (order_id, topic, channel); also the local part of the e-mail's Message-ID
    id          varchar(36)   primary key,
    order_id    varchar(100)  not null,
    -- the milestone: order-confirmed, order-cancelled
    topic       varchar(32)   not null,
    -- email, webhook
    channel     varchar(16)   not null,
    -- the e-mail address or the webhook URL
    recipient   varchar(2048) not null,
    -- PENDING (being sent, or left by a crash), SENT, FAILED (the last attempt failed; a retry takes it)
    status      varchar(16)   not null,
    attempts    integer       not null default 0,
    last_error  varchar(1000),
    -- a PENDING row belongs to its sender until then; after that it was left by a crash and is retaken
    lease_until timestamptz,
    created_at  timestamptz   not null,
    updated_at  timestamptz   not null,
    sent_at     timestamptz,
    -- exactly one notification per milestone and channel, however often the fact is delivered
    constraint notification_once unique (order_id, topic, channel)
);

-- for operators: what is not sent yet (select ... where status <> 'SENT' order by updated_at)
create index notification_unsent on notification (updated_at) where status <> 'SENT';
