-- name: cloudtrail-console-logins
-- description: Console sign-ins to the tenant's account, with and without MFA, newest first
-- tables: cloudtrail_logs
-- param: tenant account_id required
-- param: from date default=today-7d
-- param: to date default=today
SELECT
  eventtime,
  useridentity.arn AS principal,
  sourceipaddress,
  json_extract_scalar(additionaleventdata, '$.MFAUsed') AS mfa_used,
  json_extract_scalar(responseelements, '$.ConsoleLogin') AS result,
  useragent
FROM cloudtrail_logs
WHERE account = ?
  AND day BETWEEN date_format(?, '%Y/%m/%d') AND date_format(?, '%Y/%m/%d')
  AND eventname = 'ConsoleLogin'
ORDER BY eventtime DESC
LIMIT 1000
