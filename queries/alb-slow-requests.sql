-- name: alb-slow-requests
-- description: Slowest paths of the tenant's load balancer by p99 target response time
-- tables: alb_logs
-- param: tenant account_id required
-- param: from date default=today
-- param: to date default=today
-- param: min_requests integer default=20
SELECT
  url_extract_path(request_url) AS path,
  count(*) AS requests,
  round(approx_percentile(target_processing_time, 0.50), 3) AS p50_seconds,
  round(approx_percentile(target_processing_time, 0.99), 3) AS p99_seconds,
  round(max(target_processing_time), 3) AS max_seconds
FROM alb_logs
WHERE account = ?
  AND day BETWEEN date_format(?, '%Y/%m/%d') AND date_format(?, '%Y/%m/%d')
  AND target_processing_time >= 0
GROUP BY 1
HAVING count(*) >= ?
ORDER BY p99_seconds DESC
LIMIT 200
