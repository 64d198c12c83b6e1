-- Dead letters an operator sent back to their original topic from saga-step's console: one row per
-- record of bookstore-dead-letter, so a second redrive of the same letter is refused (409).
create table redriven_letter (
    dead_letter_partition integer      not null,
    dead_letter_offset    bigint       not null,
    -- where it went back to, and the CloudEvent id it kept
    topic                 varchar(249) not null,
    ce_id                 varchar(500),
    redriven_at           timestamptz  not null default now(),
    primary key (dead_letter_partition, dead_letter_offset)
);
