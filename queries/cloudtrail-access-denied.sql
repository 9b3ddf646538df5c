-- name: cloudtrail-access-denied
-- description: Access denied errors in the tenant's account by principal and API call
-- tables: cloudtrail_logs
-- param: tenant account_id required
-- param: from date default=today-1d
-- param: to date default=today
SELECT
  useridentity.arn AS principal,
  eventsource,
  eventname,
  errorcode,
  count(*) AS denials,
  max(eventtime) AS last_seen
FROM cloudtrail_logs
WHERE account = ?
  AND day BETWEEN date_format(?, '%Y/%m/%d') AND date_format(?, '%Y/%m/%d')
  AND (errorcode LIKE '%AccessDenied%' OR errorcode LIKE '%UnauthorizedOperation%' OR errorcode = 'Forbidden')
GROUP BY 1, 2, 3, 4
ORDER BY denials DESC
LIMIT 500
