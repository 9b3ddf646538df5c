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

/// The finding's investigation in Amazon Detective: a GuardDuty finding's own profile (Detective
/// ingests GuardDuty's findings), else the profile of the account it is in, scoped from the hour
/// before it was first seen to the hour after it was last updated. Detective's URL format
/// ("Navigating to a profile using a URL", Amazon Detective User Guide):
/// `…/detective/home?region=R#findings/GuardDuty/ID` or `#entities/AwsAccount/ID?scopeStart=…&
/// scopeEnd=…`, epoch seconds, on the hour.
pub fn detective_url(f: &Finding) -> String {
    let region = if f.region.is_empty() { "us-east-1" } else { f.region.as_str() };
    let base = format!("https://console.aws.amazon.com/detective/home?region={region}");
    if let Some(id) = guardduty_id(f) {
        return format!("{base}#findings/GuardDuty/{}", encode(&id));
    }
    let hour = 3600;
    let first = f.first_seen.or(f.updated_at).map(|t| t.timestamp());
    let last = f.updated_at.or(f.last_seen).or(f.first_seen).map(|t| t.timestamp());
    let scope = match (first, last) {
        (Some(first), Some(last)) => {
            let start = (first.div_euclid(hour) - 1) * hour;
            let end = (last.div_euclid(hour) + 2) * hour;
            format!("?scopeStart={start}&scopeEnd={end}")
        }
        _ => String::new(),
    };
    format!("{base}#entities/AwsAccount/{}{scope}", encode(&f.account_id))
}

/// The GuardDuty finding id: a GuardDuty finding's own, or the last part of the ARN Security Hub
/// keeps as the id of a finding GuardDuty sent it (`arn:aws:guardduty:…:detector/D/finding/ID`).
fn guardduty_id(f: &Finding) -> Option<String> {
    match f.source {
        FindingSource::Guardduty => Some(f.id.clone()),
        FindingSource::Securityhub => {
            let rest = f.id.strip_prefix("arn:")?.split_once(":guardduty:")?.1;
            let (_, id) = rest.split_once("/finding/")?;
            (!id.is_empty()).then(|| id.to_string())
        }
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

    #[test]
    fn detective_opens_a_guardduty_findings_profile_else_its_accounts_scoped_on_the_hour() {
        use chrono::TimeZone;
        let base = "https://console.aws.amazon.com/detective/home?region=us-east-1";
        let mut f =
            crate::findings::tests_support::finding("gd-1", "111111111111", crate::findings::Severity::High, true);
        f.source = FindingSource::Guardduty;
        assert_eq!(detective_url(&f), format!("{base}#findings/GuardDuty/gd-1"));
        f.source = FindingSource::Securityhub;
        f.id = "arn:aws:guardduty:us-east-1:111111111111:detector/d1/finding/gd-2".into();
        assert_eq!(
            detective_url(&f),
            format!("{base}#findings/GuardDuty/gd-2"),
            "GuardDuty's finding through Security Hub"
        );
        f.id = "arn:aws:securityhub:us-east-1:111111111111:x/RDS.3/finding/ab".into();
        f.first_seen = Some(chrono::Utc.with_ymd_and_hms(2026, 12, 3, 10, 25, 0).unwrap());
        f.updated_at = Some(chrono::Utc.with_ymd_and_hms(2026, 12, 3, 12, 5, 0).unwrap());
        let start = chrono::Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap().timestamp();
        let end = chrono::Utc.with_ymd_and_hms(2026, 12, 3, 14, 0, 0).unwrap().timestamp();
        let expected = format!("{base}#entities/AwsAccount/111111111111?scopeStart={start}&scopeEnd={end}");
        assert_eq!(detective_url(&f), expected);
    }
}
