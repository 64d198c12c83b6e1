-- Orders delivered by a courier: the address the customer gave, its zone (derived by place-order
-- from the postcode), and the delivery's latest state as the delivery facts tell it. All null for
-- an order collected at the shop.
alter table customer_order
    add column delivery_street     varchar(200),
    add column delivery_city       varchar(100),
    add column delivery_postcode   varchar(12),
    add column delivery_zone       varchar(4),
    -- null until the first delivery fact; then ASSIGNED, REASSIGNED, PICKED_UP, DELIVERED, FAILED,
    -- REJECTED or CANCELLED
    add column delivery_status     varchar(16)
        check (delivery_status in ('ASSIGNED', 'REASSIGNED', 'PICKED_UP', 'DELIVERED', 'FAILED',
                                   'REJECTED', 'CANCELLED')),
    add column delivery_courier_id varchar(100),
    add column delivery_attempts   integer,
    -- how far the delivery has got (DeliveryStatus.progress): a fact that arrives late, after one
    -- further along, adds its history row but does not move the state back
    add column delivery_progress   integer,
    add constraint customer_order_delivery_address check (
        (delivery_zone is null and delivery_street is null and delivery_city is null
            and delivery_postcode is null)
        or (delivery_zone is not null and delivery_street is not null and delivery_city is not null
            and delivery_postcode is not null));
