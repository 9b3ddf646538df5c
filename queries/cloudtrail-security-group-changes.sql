-- name: cloudtrail-security-group-changes
-- description: Security group rules opened, closed, created and deleted in the tenant's account
-- tables: cloudtrail_logs
-- param: tenant account_id required
-- param: from date default=today-7d
-- param: to date default=today
SELECT
  eventtime,
  useridentity.arn AS principal,
  eventname,
  awsregion,
  json_extract_scalar(requestparameters, '$.groupId') AS group_id,
  json_format(json_extract(requestparameters, '$.ipPermissions')) AS rules,
  errorcode
FROM cloudtrail_logs
WHERE account = ?
  AND day BETWEEN date_format(?, '%Y/%m/%d') AND date_format(?, '%Y/%m/%d')
  AND eventsource = 'ec2.amazonaws.com'
  AND eventname IN (
    'AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress',
    'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress',
    'CreateSecurityGroup', 'DeleteSecurityGroup', 'ModifySecurityGroupRules'
  )
ORDER BY eventtime DESC
LIMIT 1000
