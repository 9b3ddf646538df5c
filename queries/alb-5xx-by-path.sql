-- name: alb-5xx-by-path
-- description: 5xx answers of the tenant's load balancer by path and target, from the ALB or the target
-- tables: alb_logs
-- param: tenant account_id required
-- param: from date default=today
-- param: to date default=today
SELECT
  url_extract_path(request_url) AS path,
  target_ip,
  elb_status_code,
  target_status_code,
  count(*) AS requests,
  max(time) AS last_seen
FROM alb_logs
WHERE account = ?
  AND day BETWEEN date_format(?, '%Y/%m/%d') AND date_format(?, '%Y/%m/%d')
  AND elb_status_code >= 500
GROUP BY 1, 2, 3, 4
ORDER BY requests DESC
LIMIT 500
