-- name: cloudtrail-root-usage
-- description: Anything done as the tenant account's root user (should be nothing)
-- tables: cloudtrail_logs
-- param: tenant account_id required
-- param: from date default=today-30d
-- param: to date default=today
SELECT
  eventtime,
  eventsource,
  eventname,
  sourceipaddress,
  useragent,
  errorcode
FROM cloudtrail_logs
WHERE account = ?
  AND day BETWEEN date_format(?, '%Y/%m/%d') AND date_format(?, '%Y/%m/%d')
  AND useridentity.type = 'Root'
  AND useridentity.invokedby IS NULL
  AND eventtype <> 'AwsServiceEvent'
ORDER BY eventtime DESC
LIMIT 1000
