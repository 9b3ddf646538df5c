-- name: cloudtrail-events-by-principal
-- description: What one principal (user or role ARN, or part of it) did in the tenant's account
-- tables: cloudtrail_logs
-- param: tenant account_id required
-- param: principal string required
-- param: from date default=today-1d
-- param: to date default=today
SELECT
  eventtime,
  eventsource,
  eventname,
  awsregion,
  sourceipaddress,
  errorcode
FROM cloudtrail_logs
WHERE account = ?
  AND strpos(useridentity.arn, ?) > 0
  AND day BETWEEN date_format(?, '%Y/%m/%d') AND date_format(?, '%Y/%m/%d')
ORDER BY eventtime DESC
LIMIT 1000
