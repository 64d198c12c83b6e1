-- register-user owns the "users" schema.
create table user_account (
    id               uuid         primary key,
    email            varchar(254) not null,
    -- lower-cased e-mail: one account per address, whatever its case
    email_normalized varchar(254) not null,
    password_hash    varchar(100) not null,
    display_name     varchar(100),
    registered_at    timestamptz  not null,
    -- SHA-256 of the registering command's CloudEvent source and id: a redelivery finds its own row
    command_key      char(64)     not null,
    version          bigint       not null default 0,
    constraint user_account_email_unique unique (email_normalized),
    constraint user_account_command_unique unique (command_key)
);
