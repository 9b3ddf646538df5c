//! Plans of actions that change something in AWS: the exact API call and parameters, what a user
//! types to confirm, and how it ended. Finding actions are planned here, deployment actions in
//! `deploy`; nothing here runs them (`actions::Actions` does, and only it).

mod action;
mod batch;
pub mod deploy;
mod outcome;
pub mod reread;
pub mod schedule;
pub mod terms;

pub use action::*;
pub use batch::batch_confirmation;
pub use outcome::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::tests_support::finding;
    use crate::findings::Severity;
    use crate::findings::{Finding, FindingSource};

    fn ocsf(id: &str, source: FindingSource) -> Finding {
        let mut f = finding(id, "111111111111", Severity::High, true);
        f.product = format!("{}aws/guardduty", crate::findings::OCSF_PRODUCT_PREFIX);
        f.source = source;
        f
    }

    #[test]
    fn a_failed_batch_keeps_the_batches_around_it_and_names_its_own_ids() {
        let mut outcome = ActionOutcome::default();
        let unprocessed = vec![("b".to_string(), "InvalidInput: gone".to_string())];
        outcome.batch_done(vec!["a".into(), "b".into()], unprocessed, Some("req-1".into()));
        outcome.batch_failed(vec!["c".into(), "d".into()], "securityhub throttled: Rate exceeded".into());
        outcome.batch_done(vec!["e".into()], Vec::new(), Some("req-3".into()));
        assert_eq!(outcome.succeeded, 2, "a and e");
        assert_eq!(outcome.request_ids, ["req-1", "req-3"]);
        let failed: Vec<&str> = outcome.failed.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(failed, ["b", "c", "d"]);
        assert!(outcome.failed[1].1.contains("may be unchanged: securityhub throttled"), "{:?}", outcome.failed[1]);
        assert_eq!(outcome.failed_batches(), 1);
        assert_eq!(
            outcome.batches[1].outcome,
            BatchOutcome::Failed { error: "securityhub throttled: Rate exceeded".into() }
        );
    }

    #[test]
    fn findings_read_through_v2_get_the_v2_call_with_its_exact_parameters() {
        let (a, b) = (ocsf("uid-1", FindingSource::Securityhub), ocsf("uid-2", FindingSource::Guardduty));
        let plan = ActionPlan::finding_status(&[&a, &b], "resolved", "fixed", ("222222222222", "us-east-1"), "silo-me")
            .unwrap();
        assert_eq!(plan.api, "securityhub:BatchUpdateFindingsV2");
        assert_eq!(
            plan.parameters,
            serde_json::json!({ "MetadataUids": ["uid-1", "uid-2"], "StatusId": 4, "Comment": "fixed" })
        );
    }

    #[test]
    fn v1_and_v2_findings_are_not_one_call_and_v2_is_never_archived_in_guardduty() {
        let v1 = finding("arn-1", "111111111111", Severity::High, true);
        let v2 = ocsf("uid-2", FindingSource::Securityhub);
        let mixed = ActionPlan::finding_status(&[&v1, &v2], "RESOLVED", "x", ("2", "r"), "me").unwrap_err();
        assert!(mixed.to_string().contains("one kind at a time"), "{mixed}");
        let gd = ocsf("uid-3", FindingSource::Guardduty);
        let refused = ActionPlan::guardduty_archive(&[&gd], true, ("2", "r")).unwrap_err();
        assert!(refused.to_string().contains("Security Hub v2 (OCSF)"), "{refused}");
    }
}
