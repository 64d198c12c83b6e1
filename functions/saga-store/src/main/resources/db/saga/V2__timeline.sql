-- Every event a saga took or sent, oldest first: [{"at", "direction" (in, out, operator), "type",
-- "source", "id"}]. Appended by the same statement that stores the transition (no extra round
-- trip), so the timeline and the state cannot disagree; read only by the operators' console.
alter table saga add column timeline jsonb not null default '[]'::jsonb;
