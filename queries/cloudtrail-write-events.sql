-- name: cloudtrail-write-events
-- description: Every write call in the tenant's account in a time range (the timeline's C), newest first
-- tables: cloudtrail_logs
-- param: tenant account_id required
-- param: from_day timestamp default=now-6h
-- param: to_day timestamp default=now
-- param: from timestamp default=now-6h
-- param: to timestamp default=now
SELECT
  eventtime,
  eventsource,
  eventname,
  useridentity.arn AS principal,
  useridentity.sessioncontext.sourceidentity AS source_identity,
  sourceipaddress,
  errorcode
FROM cloudtrail_logs
WHERE account = ?
  AND day BETWEEN date_format(?, '%Y/%m/%d') AND date_format(?, '%Y/%m/%d')
  AND from_iso8601_timestamp(eventtime) BETWEEN ? AND ?
  AND readonly = 'false'
ORDER BY eventtime DESC
LIMIT 1000
