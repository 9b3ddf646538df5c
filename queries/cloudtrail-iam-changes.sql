-- name: cloudtrail-iam-changes
-- description: IAM users, roles, policies and trust changes in the tenant's account
-- tables: cloudtrail_logs
-- param: tenant account_id required
-- param: from date default=today-7d
-- param: to date default=today
SELECT
  eventtime,
  useridentity.arn AS principal,
  eventname,
  coalesce(
    json_extract_scalar(requestparameters, '$.roleName'),
    json_extract_scalar(requestparameters, '$.userName'),
    json_extract_scalar(requestparameters, '$.policyArn'),
    json_extract_scalar(requestparameters, '$.groupName')
  ) AS target,
  errorcode,
  sourceipaddress
FROM cloudtrail_logs
WHERE account = ?
  AND day BETWEEN date_format(?, '%Y/%m/%d') AND date_format(?, '%Y/%m/%d')
  AND eventsource = 'iam.amazonaws.com'
  AND regexp_like(eventname, '^(Create|Delete|Attach|Detach|Put|Update|Add|Remove|Tag|Untag|Set|Change)')
ORDER BY eventtime DESC
LIMIT 1000
