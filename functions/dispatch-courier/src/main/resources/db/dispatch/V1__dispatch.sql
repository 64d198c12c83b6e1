-- dispatch-courier's own schema: couriers, deliveries and each delivery's steps.
-- saga-timeouts reads dispatch.delivery (the pickup sweep); nobody else touches it.

create table dispatch.courier (
  id          text primary key,
  name        text not null,
  zones       text[] not null,
  capacity    integer not null check (capacity >= 0),
  available   boolean not null default true,
  -- deliveries assigned and not finished; raised only while below capacity (DeliveryStore)
  active      integer not null default 0 check (active >= 0),
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
create index courier_zones on dispatch.courier using gin (zones);

create table dispatch.delivery (
  order_id         text primary key,
  customer_id      text not null,
  email            text not null,
  street           text not null,
  city             text not null,
  postcode         text not null,
  zone             text not null,
  -- ASSIGNED (courier reserved), READY (dispatched: pickup clock running), PICKED_UP,
  -- DELIVERED, FAILED, REJECTED (no courier), CANCELLED (compensated)
  status           text not null,
  courier_id       text,
  attempts         integer not null default 0,
  tried            text[] not null default '{}',
  pickup_deadline  timestamptz,
  latitude         double precision,
  longitude        double precision,
  located_at       timestamptz,
  reason           text,
  version          integer not null default 0,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);
-- the pickup sweep: dispatched deliveries by deadline
create index delivery_pickup_due on dispatch.delivery (pickup_deadline) where status = 'READY';

create table dispatch.delivery_step (
  order_id    text not null references dispatch.delivery (order_id),
  seq         bigint generated always as identity,
  at          timestamptz not null default now(),
  step        text not null,
  courier_id  text,
  detail      text,
  primary key (order_id, seq)
);
