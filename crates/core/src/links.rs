//! AWS console URLs of what silo shows: a tenant's ECS service pages, an alarm, a finding, an
//! Athena query run, the budgets page. Pure text; the TUI shows or opens them (`o`).

use crate::findings::{Finding, FindingSource};
use crate::model::Tenant;

/// A tab of the tenant's ECS service in the console (`health`, `deployments`…).
pub fn service_page(t: &Tenant, page: &str) -> String {
    let (r, cluster, service) = (&t.region, encode(&t.ecs_cluster), encode(&t.ecs_service));
    format!("https://{r}.console.aws.amazon.com/ecs/v2/clusters/{cluster}/services/{service}/{page}?region={r}")
}

/// The alarm in the CloudWatch console of the tenant's region.
pub fn alarm_url(t: &Tenant, name: &str) -> String {
    let r = &t.region;
    format!("https://{r}.console.aws.amazon.com/cloudwatch/home?region={r}#alarmsV2:alarm/{}", encode(name))
}

/// The AWS console page of the finding.
pub fn finding_url(f: &Finding) -> String {
    let region = if f.region.is_empty() { "us-east-1" } else { f.region.as_str() };
    match f.source {
        FindingSource::Securityhub => format!(
            "https://{region}.console.aws.amazon.com/securityhub/home?region={region}#/findings?search=Id%3D%255Coperator%255C%253AEQUALS%255C%253A{}",
            encode(&f.id)
        ),
        FindingSource::Guardduty => format!("https://{region}.console.aws.amazon.com/guardduty/home?region={region}#/findings?fId={}", encode(&f.id)),
    }
}

/// An Athena query execution in the console's history.
pub fn query_run_url(execution_id: &str) -> String {
    format!("https://console.aws.amazon.com/athena/home#/query-editor/history/{}", encode(execution_id))
}

/// A pipeline run's page in the CodePipeline console (the console's own region).
pub fn pipeline_execution_url(pipeline: &str, execution_id: &str) -> String {
    format!(
        "https://console.aws.amazon.com/codesuite/codepipeline/pipelines/{}/executions/{}/timeline",
        encode(pipeline),
        encode(execution_id)
    )
}

pub const BUDGETS_URL: &str = "https://console.aws.amazon.com/costmanagement/home#/budgets";

/// Percent-encodes everything but unreserved characters.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_links_encode_the_finding_id() {
        let mut f = crate::findings::tests_support::finding(
            "arn:aws:securityhub:us-east-1:1:x/RDS.3/finding/ab",
            "1",
            crate::findings::Severity::High,
            true,
        );
        assert!(finding_url(&f)
            .ends_with("%253AEQUALS%255C%253Aarn%3Aaws%3Asecurityhub%3Aus-east-1%3A1%3Ax%2FRDS.3%2Ffinding%2Fab"));
        f.source = FindingSource::Guardduty;
        f.id = "abc123".into();
        assert_eq!(
            finding_url(&f),
            "https://us-east-1.console.aws.amazon.com/guardduty/home?region=us-east-1#/findings?fId=abc123"
        );
    }
}
