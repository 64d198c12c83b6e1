-- catalog owns the "catalog" schema.

-- array_to_string is only STABLE (it calls element output functions), and a generated column
-- needs an IMMUTABLE expression; for text[] the result cannot change, so this wrapper says so.
create function authors_text(authors text[]) returns text
    language sql immutable parallel safe
    return array_to_string(authors, ' ');

create table book (
    isbn            varchar(13)  primary key check (isbn ~ '^97[89][0-9]{10}$'),
    title           text         not null check (length(title) between 1 and 500),
    authors         text[]       not null check (cardinality(authors) between 1 and 50),
    description     text         not null default '',
    published_year  integer,
    price_cents     bigint       not null check (price_cents >= 0),
    currency        varchar(3)   not null check (currency ~ '^[A-Z]{3}$'),
    -- copies shown to buyers: a display figure; reserve-stock is the authority for holds
    stock           integer      not null default 0 check (stock >= 0),
    -- +1 on every change; part of the ids of the events a change emits
    version         bigint       not null default 1,
    updated_at      timestamptz  not null default now(),
    -- relevance: a title match (A) counts most, then authors (B), then the description (C)
    search          tsvector     generated always as (
                        setweight(to_tsvector('english', title), 'A')
                        || setweight(to_tsvector('english', catalog.authors_text(authors)), 'B')
                        || setweight(to_tsvector('english', description), 'C')) stored
);

create index book_search on book using gin (search);

-- Events of committed changes not yet acknowledged by Kafka (a transactional outbox): written in
-- the change's transaction, deleted once published, so a crash or a Kafka outage between commit
-- and publish delays an event but never loses it.
create table outbox (
    seq         bigserial    primary key,
    id          varchar(36)  not null unique,
    type        varchar(100) not null,
    subject     varchar(13)  not null,
    occurred_at timestamptz  not null,
    data        text         not null
);
