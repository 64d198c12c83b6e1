-- The delivery milestones (delivery-assigned, -reassigned, -picked-up, -delivered, -failed). A
-- delivery can be reassigned more than once, and each reassignment is news for the customer: the
-- occurrence (the reassignment's attempt; 0 for every other milestone) is part of what makes a
-- notification one of a kind. Existing rows are occurrence 0, so their key and id are unchanged.
alter table notification add column occurrence integer not null default 0;
alter table notification drop constraint notification_once;
alter table notification
    add constraint notification_once unique (order_id, topic, channel, occurrence);
