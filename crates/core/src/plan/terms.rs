//! What a plan says of the customer's terms (its window, its certified versions) and of the
//! version's image (its scan, `releases::scans`), and the rule that a change going past them needs
//! an override with a reason. Rolling back (to the last good
//! revision, or a deployment in flight) is exempt: during an incident it stays one step.

use super::action::{ActionKind, ActionPlan, Override, PlanError, Term};
use super::deploy::change::DeployChange;
use crate::model::Tenant;
use crate::releases::scans::Scans;
use crate::terms::{certified, standing, Standing};
use chrono::{DateTime, Utc};

/// CodePipeline and the journal keep reasons short; so do these.
const REASON_MAX: usize = 300;

/// The reasons a user gave to go past the customer's terms (`--outside-window`, `--uncertified`,
/// both with `--reason`; in the TUI, the reason prompt).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub outside_window: Option<String>,
    pub uncertified: Option<String>,
    pub vulnerable: Option<String>,
    pub other_repository: Option<String>,
}

impl Overrides {
    /// From the command-line flags (`--outside-window`, `--uncertified`, `--vulnerable`): a flag
    /// needs the reason, and a reason needs a flag.
    pub fn from_flags(flags: [bool; 4], reason: Option<&str>) -> Result<Overrides, String> {
        let [outside_window, uncertified, vulnerable, other_repository] = flags;
        let reason = reason.map(|r| crate::sanitize::clean(r).trim().to_string());
        match (flags.contains(&true), reason) {
            (false, None) => Ok(Overrides::default()),
            (false, Some(_)) => {
                Err("--reason goes with --outside-window, --uncertified, --vulnerable or --other-repository".into())
            }
            (true, None) => Err(
                "--outside-window, --uncertified, --vulnerable and --other-repository need --reason TEXT (it is journaled)"
                    .into(),
            ),
            (true, Some(r)) if r.is_empty() => {
                Err("--reason is empty: say why the customer's terms are overridden".into())
            }
            (true, Some(r)) if r.chars().count() > REASON_MAX => {
                Err(format!("--reason is longer than {REASON_MAX} characters"))
            }
            (true, Some(r)) => Ok(Overrides {
                outside_window: outside_window.then(|| r.clone()),
                uncertified: uncertified.then(|| r.clone()),
                vulnerable: vulnerable.then(|| r.clone()),
                other_repository: other_repository.then_some(r),
            }),
        }
    }

    /// The same reason for each of `terms` (the TUI's prompt asks once).
    pub fn for_terms(terms: &[Term], reason: &str) -> Overrides {
        let reason = crate::sanitize::clean(reason).trim().to_string();
        let has = |t: Term| terms.contains(&t).then(|| reason.clone());
        Overrides {
            outside_window: has(Term::OutsideWindow),
            uncertified: has(Term::Uncertified),
            vulnerable: has(Term::Vulnerable),
            other_repository: has(Term::OtherRepository),
        }
    }

    fn reason(&self, term: Term) -> Option<&String> {
        match term {
            Term::OutsideWindow => self.outside_window.as_ref(),
            Term::Uncertified => self.uncertified.as_ref(),
            Term::Vulnerable => self.vulnerable.as_ref(),
            Term::OtherRepository => self.other_repository.as_ref(),
        }
    }
}

/// The terms a change at `at` to `version` goes past, each with why: the window closed then (or
/// unreadable), the version not certified, its image not clear. No window, no certification list
/// or no `[releases]`: nothing to go past there.
pub fn broken_with_why(s: &Standing, at: DateTime<Utc>, version: Option<&str>, scans: &Scans) -> Vec<(Term, String)> {
    let mut out: Vec<(Term, String)> =
        broken(s, at, version).into_iter().map(|t| (t, term_problem(s, t, version, at))).collect();
    out.extend(scans.problem(version).map(|why| (Term::Vulnerable, why)));
    out
}

/// The customer's terms (window, certification) a change at `at` to `version` goes past.
pub fn broken(s: &Standing, at: DateTime<Utc>, version: Option<&str>) -> Vec<Term> {
    let closed = match &s.window {
        None => false,
        Some(Err(_)) => true,
        Some(Ok(w)) => w.open_at(at).is_none(),
    };
    let uncertified = s.certified_ok(version) == Some(false);
    [(closed, Term::OutsideWindow), (uncertified, Term::Uncertified)]
        .into_iter()
        .filter_map(|(is, term)| is.then_some(term))
        .collect()
}

/// The overrides `broken` needs, from those given; refused, naming the flags, when one is missing.
pub fn require(tenant: &str, broken: &[Term], given: &Overrides, why: &[String]) -> Result<Vec<Override>, PlanError> {
    let missing: Vec<Term> = broken.iter().copied().filter(|t| given.reason(*t).is_none()).collect();
    if missing.is_empty() {
        let reason = |t: &Term| given.reason(*t).map(|r| Override { term: *t, reason: r.clone() });
        return Ok(broken.iter().filter_map(reason).collect());
    }
    Err(PlanError::NeedsOverride { tenant: tenant.to_string(), problems: why.to_vec(), terms: missing })
}

/// The plan with the customer's terms said in it (window, certification), refused when it goes
/// past them without an override; rolling back is said, never blocked.
pub fn check(
    plan: ActionPlan,
    tenant: &Tenant,
    status: &crate::deploy::DeployStatus,
    now: DateTime<Utc>,
    given: &Overrides,
    scans: &Scans,
) -> Result<ActionPlan, PlanError> {
    let s = standing(tenant);
    let version = target_version(&plan, status);
    let mut plan = annotate(plan, &s, version.as_deref(), now);
    if !bound_by_terms(&plan, status) {
        return Ok(plan);
    }
    plan.detail.extend(scans.line(version.as_deref()).map(|line| format!("image:      {line}")));
    let mut found = broken_with_why(&s, now, version.as_deref(), scans);
    let target = target_image(&plan, status);
    if let Some(target) = &target {
        plan.detail.push(format!("to image:   {target}"));
    }
    let other = target.and_then(|t| certified::repository_problem(&status.image, &t));
    found.extend(other.map(|why| (Term::OtherRepository, why)));
    let (broken, why): (Vec<Term>, Vec<String>) = found.into_iter().unzip();
    plan.overrides = require(&tenant.name, &broken, given, &why)?;
    Ok(plan)
}

/// Says the window and the certification in the plan's detail.
fn annotate(mut plan: ActionPlan, s: &Standing, version: Option<&str>, now: DateTime<Utc>) -> ActionPlan {
    plan.detail.push(format!("window:     {}", window_line(s, now)));
    if let Some(line) = version_line(s, version) {
        plan.detail.push(format!("version:    {line}"));
    }
    plan
}

/// Whether the customer's terms bind this change: moving forward (resume, update to a revision
/// other than the last good one) does; rolling back does not.
fn bound_by_terms(plan: &ActionPlan, status: &crate::deploy::DeployStatus) -> bool {
    let ActionKind::Deploy(change) = &plan.kind else { return false };
    match change {
        DeployChange::UpdateService { to, .. } => {
            let last_good = status.last_good_revision().map(|r| r.number);
            crate::deploy::revision_number(to) != last_good
        }
        DeployChange::ContinueHook { action, .. } => action == "CONTINUE",
        DeployChange::Unfreeze { .. } => true,
        DeployChange::StopRollback { .. } | DeployChange::Freeze { .. } => false,
    }
}

/// One broken term in words, for the refusal.
pub fn term_problem(s: &Standing, term: Term, version: Option<&str>, at: DateTime<Utc>) -> String {
    match term {
        Term::OutsideWindow => match &s.window {
            Some(Ok(w)) => format!("outside the maintenance window {:?} ({})", w.text(), w.label(at)),
            Some(Err(why)) => format!("the maintenance window cannot be read ({why})"),
            None => "outside the maintenance window".into(),
        },
        Term::Uncertified => {
            version_line(s, version).unwrap_or_else(|| "the version is not certified by the customer".into())
        }
        Term::Vulnerable => {
            format!("{}'s image has critical vulnerabilities or no scan", version.unwrap_or("the version"))
        }
        Term::OtherRepository => "the revision's image is of another repository than the service's".into(),
    }
}

fn window_line(s: &Standing, now: DateTime<Utc>) -> String {
    match &s.window {
        None => "none stated for this customer".into(),
        Some(Err(why)) => why.clone(),
        Some(Ok(w)) if w.open_at(now).is_some() => format!("{} ({})", w.label(now), w.text()),
        Some(Ok(w)) => format!("CLOSED, {} ({}): outside the time the customer agreed", w.label(now), w.text()),
    }
}

fn version_line(s: &Standing, version: Option<&str>) -> Option<String> {
    let listed = s.certified.as_ref().and_then(|c| c.as_ref().ok()).map(|c| c.patterns.join(" "));
    match (s.certified_ok(version), version) {
        (Some(true), Some(v)) => Some(format!("{v} is certified by the customer")),
        (Some(false), Some(v)) => Some(format!(
            "{v} is NOT certified by the customer (certified: {})",
            listed.unwrap_or_else(|| "unreadable".into())
        )),
        _ => None,
    }
}

/// The version a deployment plan moves to: the image tag of the revision UpdateService names, or
/// of the deployment a CONTINUE lets go on.
fn target_version(plan: &ActionPlan, status: &crate::deploy::DeployStatus) -> Option<String> {
    target_image(plan, status).as_deref().and_then(certified::version_of)
}

/// The full image the change moves the service to: the paused deployment's, or the revision's.
fn target_image(plan: &ActionPlan, status: &crate::deploy::DeployStatus) -> Option<String> {
    if let ActionKind::Deploy(DeployChange::ContinueHook { .. }) = &plan.kind {
        return status.in_flight().and_then(|d| d.image.clone());
    }
    let wanted = plan.parameters.get("taskDefinition")?.as_str()?;
    let revision = status.revisions.iter().find(|r| r.task_definition_arn == wanted || r.task_definition == wanted)?;
    Some(revision.image.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terms::tests::tenant;
    use chrono::TimeZone;

    fn tuesday() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap()
    }

    #[test]
    fn a_plan_says_the_window_is_closed_and_the_target_is_not_certified() {
        let status = crate::deploy::tests::status();
        let plan = crate::plan::deploy::rollback(&status, Some(9)).expect("a rollback to app:9");
        let t = tenant(Some("sun 02:00-04:00 America/Sao_Paulo"), Some("v10"));
        let given = Overrides::from_flags([true, true, false, false], Some("customer asked on the phone")).unwrap();
        let checked = check(plan.clone(), &t, &status, tuesday(), &given, &Scans::Off).unwrap();
        let added = &checked.detail[plan.detail.len()..];
        assert!(added[0].starts_with("window:     CLOSED, next: sun 02:00 UTC-3, in 4d 17h"), "{added:?}");
        assert_eq!(added[1], "version:    v9 is NOT certified by the customer (certified: v10)");
        assert_eq!(checked.parameters, plan.parameters, "the call itself is unchanged");
        let reasons: Vec<(Term, &str)> = checked.overrides.iter().map(|o| (o.term, o.reason.as_str())).collect();
        assert_eq!(
            reasons,
            [(Term::OutsideWindow, "customer asked on the phone"), (Term::Uncertified, "customer asked on the phone")]
        );
        let no_terms =
            check(plan.clone(), &tenant(None, None), &status, tuesday(), &Overrides::default(), &Scans::Off).unwrap();
        let added = &no_terms.detail[plan.detail.len()..];
        let said = ["window:     none stated for this customer", "to image:   repo/app:v9"];
        assert_eq!(added, said, "the full image is said; no certification process: no version line");
        assert!(no_terms.overrides.is_empty());
    }

    #[test]
    fn moving_to_a_revision_outside_the_window_needs_the_override_naming_both_flags() {
        let status = crate::deploy::tests::status();
        let plan = crate::plan::deploy::rollback(&status, Some(9)).expect("a rollback to app:9");
        let t = tenant(Some("sun 02:00-04:00 America/Sao_Paulo"), Some("v10"));
        let refused = check(plan.clone(), &t, &status, tuesday(), &Overrides::default(), &Scans::Off).unwrap_err();
        let message = refused.to_string();
        let PlanError::NeedsOverride { terms, .. } = refused else { panic!("{refused:?}") };
        assert_eq!(terms, [Term::OutsideWindow, Term::Uncertified]);
        assert!(message.starts_with("acme: outside the maintenance window \"sun 02:00-04:00 America/Sao_Paulo\""));
        assert!(message.ends_with("add --outside-window --uncertified --reason TEXT (the reason is journaled)"));
        let half = Overrides { outside_window: Some("agreed by email".into()), ..Overrides::default() };
        let refused = check(plan, &t, &status, tuesday(), &half, &Scans::Off).unwrap_err();
        assert!(matches!(refused, PlanError::NeedsOverride { ref terms, .. } if terms == &[Term::Uncertified]));
    }

    #[test]
    fn rolling_back_to_the_last_good_revision_is_said_but_never_blocked() {
        let status = crate::deploy::tests::status();
        let plan = crate::plan::deploy::rollback(&status, None).expect("a rollback to the last good revision");
        let t = tenant(Some("sun 02:00-04:00 America/Sao_Paulo"), Some("nothing-matches"));
        let checked = check(plan, &t, &status, tuesday(), &Overrides::default(), &Scans::Off).expect("one step");
        assert!(checked.detail.iter().any(|l| l.starts_with("window:     CLOSED")), "{:?}", checked.detail);
        assert!(checked.overrides.is_empty());
    }

    #[test]
    fn flags_and_reason_go_together() {
        assert_eq!(Overrides::from_flags([false, false, false, false], None), Ok(Overrides::default()));
        assert!(Overrides::from_flags([false, false, false, false], Some("x")).unwrap_err().contains("goes with"));
        assert!(Overrides::from_flags([true, false, false, false], None).unwrap_err().contains("need --reason"));
        assert!(Overrides::from_flags([false, true, false, false], Some(" \u{1b}[2J ")).unwrap_err().contains("empty"));
        let only_window = Overrides::from_flags([true, false, false, false], Some("ok by ops")).unwrap();
        assert_eq!(only_window, Overrides { outside_window: Some("ok by ops".into()), ..Overrides::default() });
    }
}

#[cfg(test)]
mod image_term {
    use super::*;
    use crate::releases::{Image, Releases, Scan, Severities};
    use crate::terms::tests::tenant;
    use chrono::TimeZone;

    fn registry(critical: u32, status: Option<&str>) -> Releases {
        let scan = Scan {
            status: status.map(str::to_string),
            completed_at: Some(Utc.with_ymd_and_hms(2026, 11, 20, 8, 0, 0).unwrap()),
            findings: (status == Some("COMPLETE")).then_some(Severities { critical, high: 3, ..Severities::default() }),
            ..Scan::default()
        };
        let image =
            Image { tags: vec!["v9".into()], digest: "sha256:9".into(), pushed_at: None, size_bytes: None, scan };
        Releases {
            registry: "123456789012".into(),
            repository: "app".into(),
            images: vec![image],
            ..Releases::default()
        }
    }

    fn plan_to_v9(scans: &Scans, given: &Overrides) -> Result<ActionPlan, PlanError> {
        let status = crate::deploy::tests::status();
        let plan = crate::plan::deploy::rollback(&status, Some(9)).expect("a move to app:9 (v9)");
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        check(plan, &tenant(None, None), &status, now, given, scans)
    }

    #[test]
    fn a_version_with_a_critical_finding_or_no_scan_needs_the_vulnerable_override() {
        let critical = registry(2, Some("COMPLETE"));
        let refused = plan_to_v9(&Scans::Read { releases: &critical, critical_threshold: 1 }, &Overrides::default());
        let message = refused.as_ref().map(|_| String::new()).unwrap_or_else(|e| e.to_string());
        assert!(
            message.contains("v9's image has 2 critical vulnerabilities (ECR scan of 2026-11-20; the limit is 1)"),
            "{message}"
        );
        assert!(message.ends_with("add --vulnerable --reason TEXT (the reason is journaled)"), "{message}");
        let given = Overrides::for_terms(&[Term::Vulnerable], "hotfix for the outage, CVE not reachable");
        let planned =
            plan_to_v9(&Scans::Read { releases: &critical, critical_threshold: 1 }, &given).expect("overridden");
        assert_eq!(planned.overrides.iter().map(|o| o.term).collect::<Vec<_>>(), [Term::Vulnerable]);
        let never = registry(0, None);
        let refused = plan_to_v9(&Scans::Read { releases: &never, critical_threshold: 1 }, &Overrides::default());
        assert!(refused.unwrap_err().to_string().contains("v9's image was never scanned"));
        let unknown = plan_to_v9(&Scans::Unknown("AccessDenied on ecr:DescribeImages"), &Overrides::default());
        assert!(unknown.unwrap_err().to_string().contains("not known (AccessDenied on ecr:DescribeImages)"));
    }

    #[test]
    fn a_clear_image_is_said_in_the_plan_and_a_threshold_of_zero_blocks_on_no_count() {
        let clean = registry(0, Some("COMPLETE"));
        let planned =
            plan_to_v9(&Scans::Read { releases: &clean, critical_threshold: 1 }, &Overrides::default()).expect("clear");
        assert!(
            planned
                .detail
                .iter()
                .any(|l| l == "image:      v9 ECR scan 2026-11-20T08:00:00Z: 0 critical, 3 high, 0 medium, 0 low"),
            "{:?}",
            planned.detail
        );
        let critical = registry(5, Some("COMPLETE"));
        let off = plan_to_v9(&Scans::Read { releases: &critical, critical_threshold: 0 }, &Overrides::default());
        assert!(off.is_ok(), "threshold 0: counts never block");
        assert!(plan_to_v9(&Scans::Off, &Overrides::default())
            .expect("no [releases]")
            .detail
            .iter()
            .all(|l| !l.starts_with("image:")));
    }
}
