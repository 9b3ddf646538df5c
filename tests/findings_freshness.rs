//! How fresh Security Hub's open findings stay between complete reads (v1, GetFindings against
//! moto). Between two complete reads silo asks only for findings updated since the last read
//! (`UpdatedAt`), and BatchUpdateFindings leaves `UpdatedAt` as it was (API reference): so
//! silo's own triage is applied to what it keeps at once, and a triage made elsewhere shows at
//! the next complete read, `[audit] full_read_minutes` at most. moto has no BatchUpdateFindings:
//! the fault proxy answers it as AWS documents it; a triage "made elsewhere" is the finding
//! imported again with its new workflow and its old `UpdatedAt`, as BatchUpdateFindings leaves it.
//! One test in this binary: it sets the process's AWS environment, as silo's users do.

mod support;

use aws_sdk_securityhub::types::{RecordState as R, SeverityLabel as S, WorkflowStatus as W};
use silo_core::findings::{Finding, FindingSource};
use silo_core::source::FleetSource;
use std::sync::Arc;
use support::fault_proxy::{Fault, FaultProxy, Rules};
use support::seed::{self, finding};

/// The rails these tests act under, all stated: open unless a test says otherwise.
fn rails(read_only: bool) -> silo_core::actions::Rails {
    silo_core::actions::Rails { read_only, offline: false, protected: Default::default(), max_plan_age: None }
}

fn config(home: &std::path::Path, audit: &str, full_read_minutes: u32) -> silo_core::config::Config {
    let text = format!(
        "region = \"us-east-1\"\n[tenants]\nsource = \"organizations\"\nou = \"Tenants\"\n[audit]\naccount_id = \"{audit}\"\n\
         findings_api = \"v1\"\nfull_read_minutes = {full_read_minutes}\n[fetch]\nmax_attempts = 1\n"
    );
    let path = home.join(format!("silo-{full_read_minutes}.toml"));
    std::fs::write(&path, text).expect("write config");
    silo_core::config::Config::load(&path).expect("config")
}

/// Security Hub's open findings as the fleet reads them.
async fn read_open(source: &Arc<silo_aws::AwsSource>) -> silo_core::findings::FindingList {
    let read = source.clone().findings(FindingSource::Securityhub, silo_core::findings::FindingsAsk::open()).await;
    read.expect("read").expect("configured")
}

async fn open_ids(source: &Arc<silo_aws::AwsSource>) -> Vec<String> {
    let read = read_open(source).await;
    let mut ids: Vec<String> = read.iter().map(|f| f.id.clone()).collect();
    ids.sort();
    ids
}

/// The source's futures (an action and its journal around it) are large in a debug build: the
/// test runs on a thread with room for them, as silo's own runtime threads have.
#[test]
fn silos_own_triage_shows_at_once_and_one_made_elsewhere_at_the_next_complete_read() {
    let run = || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build();
        runtime.expect("runtime").block_on(freshness());
    };
    let thread = std::thread::Builder::new().stack_size(32 * 1024 * 1024).spawn(run).expect("thread");
    if let Err(panic) = thread.join() {
        std::panic::resume_unwind(panic);
    }
}

async fn freshness() {
    let org = seed::organization().await;
    let alpha = org.account("alpha-fresh", &org.tenants_ou, Some("alpha")).await;
    let seeded =
        [finding("f-a", &alpha, S::High, R::Active, W::New), finding("f-b", &alpha, S::High, R::Active, W::New)];
    seed::import_findings(&org, seeded.to_vec()).await;
    let proxy = FaultProxy::start(&support::endpoint()).await;
    let home = tempfile::tempdir().expect("tempdir");
    support::use_aws_environment(&proxy.url, &org.management, home.path());
    let source = Arc::new(silo_aws::AwsSource::new(config(home.path(), &org.audit_id, 10), &Default::default()).await);
    assert_eq!(open_ids(&source).await, ["f-a", "f-b"], "the first read is complete");

    // silo resolves f-a: Security Hub processes it (the proxy answers as AWS does).
    let processed = format!(
        r#"{{"ProcessedFindings":[{{"Id":"f-a","ProductArn":"{}"}}],"UnprocessedFindings":[]}}"#,
        seeded[0].product_arn().unwrap_or_default()
    );
    let mut rules = Rules::default();
    rules.by_operation.insert("/findings/batchupdate".into(), Fault::Json(processed));
    proxy.set(rules);
    let read = read_open(&source).await;
    let f_a: Vec<&Finding> = read.iter().filter(|f| f.id == "f-a").collect();
    let plan = silo_core::plan::ActionPlan::finding_status(
        &f_a,
        "RESOLVED",
        "fixed in 1.5.0",
        (&org.audit_id, "us-east-1"),
        "ana",
    )
    .expect("a plan");
    let journal = silo_core::journal::Journal::at(home.path().join("audit.jsonl"));
    let actions = silo_core::actions::Actions::new(source.clone(), journal, rails(false));
    let done = actions.execute(plan).await.expect("resolved");
    assert_eq!(done.succeeded, 1);
    // What Security Hub now holds (moto did not see the faked call): f-a resolved, UpdatedAt as was.
    seed::import_findings(&org, vec![finding("f-a", &alpha, S::High, R::Active, W::Resolved)]).await;
    assert_eq!(open_ids(&source).await, ["f-b"], "silo's own triage shows at the next read, incremental as it is");

    // Someone resolves f-b in the console: its UpdatedAt stays as it was. A silo with
    // `full_read_minutes = 0` reads whole every time; the one with 10 minutes only at the bound.
    let every_read_whole =
        Arc::new(silo_aws::AwsSource::new(config(home.path(), &org.audit_id, 0), &Default::default()).await);
    assert_eq!(open_ids(&every_read_whole).await, ["f-b"]);
    seed::import_findings(&org, vec![finding("f-b", &alpha, S::High, R::Active, W::Resolved)]).await;
    assert_eq!(open_ids(&source).await, ["f-b"], "an incremental read cannot see it (the bound is the complete read)");
    assert!(open_ids(&every_read_whole).await.is_empty(), "the next complete read shows it");
}
