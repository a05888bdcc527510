-- [D-LOCATION] Each security event keeps the approximate location (city, country) of the client
-- that caused it, as the devices page does for sessions: the activity timeline and the admins'
-- feed show where a sign-in or a change came from. Older events have none.
ALTER TABLE "security_events" ADD COLUMN "location" TEXT;
