-- name: vpc-rejected-connections
-- description: Connections the tenant's VPC rejected, by source address, port and protocol
-- tables: vpc_flow_logs
-- param: tenant account_id required
-- param: from date default=today
-- param: to date default=today
SELECT
  srcaddr,
  dstport,
  CASE protocol WHEN 6 THEN 'tcp' WHEN 17 THEN 'udp' WHEN 1 THEN 'icmp' ELSE CAST(protocol AS varchar) END AS protocol,
  count(*) AS flows,
  sum(packets) AS packets,
  from_unixtime(max("end")) AS last_seen
FROM vpc_flow_logs
WHERE account = ?
  AND day BETWEEN date_format(?, '%Y/%m/%d') AND date_format(?, '%Y/%m/%d')
  AND action = 'REJECT'
GROUP BY 1, 2, 3
ORDER BY flows DESC
LIMIT 500
