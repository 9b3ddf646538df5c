//! Every screen, registered in this one file. Adding a screen is its module (state, `handle`,
//! `render`, `HINTS`), its variant in `crate::screen` (with the tenant it is about) and its arms
//! here, one in each exhaustive match below (the compiler names every one that is missing): how it
//! draws, its key hints, how it handles a command, its filter, what it offers to copy and open,
//! and what it reads when opened, on `r` and with every refresh; its state goes into `Views`, and
//! a line of `NAMED` when the `:` prompt opens it.

use super::selection::{self, Selected};
use super::*;
use crate::action::Action;
use crate::context::Ctx;
use crate::keymap::Command;
use crate::screen::Screen;
use ratatui::layout::Rect;
use ratatui::Frame;
use silo_core::reads::ReadKey;

/// A screen the `:` prompt (and `silo --view`) opens by name, with what it shows.
pub struct Named {
    pub name: &'static str,
    pub about: &'static str,
    pub screen: fn() -> Screen,
}

/// The screens reachable by name, in the order the prompt lists them.
pub const NAMED: [Named; 12] = [
    Named { name: "alarms", about: "every tenant's CloudWatch alarms in ALARM", screen: || Screen::Alarms },
    Named { name: "audit", about: "the audit journal of actions", screen: || Screen::Audit },
    Named {
        name: "deployments",
        about: "every tenant's ECS deployment: paused, failed, in flight",
        screen: || Screen::Deployments,
    },
    Named {
        name: "errors",
        about: "every read that failed, per tenant and service, denied first",
        screen: || Screen::Errors,
    },
    Named { name: "fleet", about: "every tenant at a glance", screen: || Screen::Fleet },
    Named { name: "findings", about: "open Security Hub and GuardDuty findings", screen: || Screen::Findings },
    Named {
        name: "health",
        about: "AWS Health events of the organization and the tenants they affect",
        screen: || Screen::Health,
    },
    Named {
        name: "history",
        about: "this session's Athena query runs and their cost",
        screen: || Screen::QueryHistory,
    },
    Named {
        name: "queries",
        about: "saved Athena log queries (CloudTrail, ALB, VPC flow logs)",
        screen: || Screen::Queries,
    },
    Named {
        name: "releases",
        about: "every version in the registry: build, image scan, certification, schedules, tenants",
        screen: || Screen::Releases,
    },
    Named {
        name: "rollouts",
        about: "the release train: versions, windows, certification, scheduled updates",
        screen: || Screen::Rollouts,
    },
    Named { name: "spend", about: "month-to-date spend per tenant", screen: || Screen::Spend },
];

/// The screen called `name` in `NAMED`.
pub fn named(name: &str) -> Option<Screen> {
    NAMED.iter().find(|n| n.name == name).map(|n| (n.screen)())
}

/// Every screen's own state, kept while another screen is on top (a list keeps its filter and
/// selection); detail screens share one scroll offset, reset when one opens.
pub struct Views {
    pub fleet: fleet::FleetState,
    pub spend: spend::SpendState,
    pub findings: findings::FindingsState,
    pub alarms: alarms::AlarmsState,
    pub deploy: deploy::DeployState,
    pub query: queries::QueryViewState,
    pub timeline: timeline::TimelineState,
    pub audit_log: audit::AuditState,
    pub aws_health: aws_health::HealthState,
    pub rollouts: rollouts::RolloutsState,
    pub errors: read_errors::ErrorsState,
    pub releases: releases::ReleasesState,
    pub charts: charts::ChartsState,
    pub compare: compare::CompareState,
    pub across: across::AcrossState,
    /// Scroll offset of detail screens (finding, alarm, deployments).
    pub detail_scroll: u16,
    /// Scroll offset of the tenant card.
    pub tenant_scroll: u16,
    /// Filter target for screens without a list, so a stray prompt edits nothing real.
    pub scratch_filter: String,
}

impl Default for Views {
    fn default() -> Views {
        Views {
            fleet: Default::default(),
            spend: Default::default(),
            findings: Default::default(),
            alarms: Default::default(),
            deploy: Default::default(),
            query: Default::default(),
            timeline: timeline::TimelineState::new("", None),
            audit_log: Default::default(),
            aws_health: Default::default(),
            rollouts: Default::default(),
            errors: Default::default(),
            releases: Default::default(),
            charts: Default::default(),
            compare: Default::default(),
            across: Default::default(),
            detail_scroll: 0,
            tenant_scroll: 0,
            scratch_filter: String::new(),
        }
    }
}

/// Draws `screen` from its own state.
pub fn render(frame: &mut Frame, body: Rect, ctx: &Ctx, views: &Views, screen: &Screen) {
    let scroll = views.detail_scroll;
    match screen {
        Screen::Fleet => fleet::render(frame, body, ctx, &views.fleet),
        Screen::Tenant(account_id) => tenant::render(frame, body, ctx, views.tenant_scroll, account_id),
        Screen::Spend => spend::render(frame, body, ctx, &views.spend),
        Screen::SpendDetail(account_id) => spend_detail::render(frame, body, ctx, account_id),
        Screen::Findings => findings::render(frame, body, ctx, &views.findings),
        Screen::Audit => audit::render(frame, body, ctx, &views.audit_log),
        Screen::Health => aws_health::render(frame, body, ctx, &views.aws_health),
        Screen::Rollouts => rollouts::render(frame, body, ctx, &views.rollouts),
        Screen::Alarms => alarms::render(frame, body, ctx, &views.alarms),
        Screen::AlarmDetail(account, name) => alarm_detail::render(frame, body, ctx, scroll, account, name),
        Screen::FindingDetail(id) => finding_detail::render(frame, body, ctx, scroll, id),
        Screen::Deployments => deploy::render(frame, body, ctx, &views.deploy),
        Screen::DeployDetail(account) => deploy_detail::render(frame, body, ctx, scroll, account),
        Screen::Queries => queries::render(frame, body, ctx, &views.query),
        Screen::QueryHistory => query_history::render(frame, body, ctx, &views.query),
        Screen::QueryRun(run) => query_run::render(frame, body, ctx, &views.query.results, *run),
        Screen::Timeline(_) => timeline::render(frame, body, ctx, &views.timeline),
        Screen::Errors => read_errors::render(frame, body, ctx, &views.errors),
        Screen::Releases => releases::render(frame, body, ctx, &views.releases),
        Screen::Charts(account) => charts::render(frame, body, ctx, &views.charts, account),
        Screen::Compare(version) => compare::render(frame, body, ctx, &views.compare, version),
        Screen::Across(accounts) => across::render(frame, body, ctx, &views.across, accounts),
    }
}

/// The footer's key hints of `screen`.
pub fn hints(screen: &Screen) -> &'static [(Command, &'static str)] {
    match screen {
        Screen::Fleet => &fleet::HINTS,
        Screen::Tenant(_) => &tenant::HINTS,
        Screen::Spend => &spend::HINTS,
        Screen::SpendDetail(_) => &spend_detail::HINTS,
        Screen::Findings => &findings::HINTS,
        Screen::Audit => &audit::HINTS,
        Screen::Health => &aws_health::HINTS,
        Screen::Rollouts => &rollouts::HINTS,
        Screen::Alarms => &alarms::HINTS,
        Screen::AlarmDetail(..) => &alarm_detail::HINTS,
        Screen::FindingDetail(_) => &finding_detail::HINTS,
        Screen::Deployments => &deploy::HINTS,
        Screen::DeployDetail(_) => &deploy_detail::HINTS,
        Screen::Queries => &queries::HINTS,
        Screen::QueryHistory => &query_history::HINTS,
        Screen::QueryRun(_) => &query_run::HINTS,
        Screen::Timeline(_) => &timeline::HINTS,
        Screen::Errors => &read_errors::HINTS,
        Screen::Releases => &releases::HINTS,
        Screen::Charts(_) => &charts::HINTS,
        Screen::Compare(_) => &compare::HINTS,
        Screen::Across(_) => &across::HINTS,
    }
}

/// `screen` handles `command` on its own state, with the read-only context beside it.
pub fn handle(views: &mut Views, ctx: &Ctx, screen: &Screen, command: Command) -> Option<Action> {
    let scroll = &mut views.detail_scroll;
    match screen {
        Screen::Fleet => fleet::handle(&mut views.fleet, ctx, command),
        Screen::Tenant(_) => tenant::handle(&mut views.tenant_scroll, ctx, command),
        Screen::Spend => spend::handle(&mut views.spend, ctx, command),
        Screen::SpendDetail(_) => spend_detail::handle(command),
        Screen::Findings => findings::handle(&mut views.findings, ctx, command),
        Screen::Audit => audit::handle(&mut views.audit_log, command),
        Screen::Health => aws_health::handle(&mut views.aws_health, ctx, command),
        Screen::Rollouts => rollouts::handle(&mut views.rollouts, ctx, command),
        Screen::Alarms => alarms::handle(&mut views.alarms, ctx, command),
        Screen::AlarmDetail(..) => alarm_detail::handle(scroll, command),
        Screen::FindingDetail(id) => finding_detail::handle(scroll, ctx, command, id),
        Screen::Deployments => deploy::handle(&mut views.deploy, ctx, command),
        Screen::DeployDetail(account) => deploy_detail::handle(scroll, ctx, command, account),
        Screen::Queries => queries::handle(&mut views.query, ctx, command),
        Screen::QueryHistory => query_history::handle(&mut views.query, ctx, command),
        Screen::QueryRun(run) => query_run::handle(&mut views.query.results, ctx, command, *run),
        Screen::Timeline(_) => timeline::handle(&mut views.timeline, ctx, command),
        Screen::Errors => read_errors::handle(&mut views.errors, ctx, command),
        Screen::Releases => releases::handle(&mut views.releases, ctx, command),
        Screen::Charts(account) => charts::handle(&mut views.charts, ctx, account, command),
        Screen::Compare(version) => compare::handle(&mut views.compare, ctx, version, command),
        Screen::Across(accounts) => across::handle(&mut views.across, ctx, accounts, command),
    }
}

/// The filter `/` edits on `screen`: its list's, or a scratch string on screens without one.
pub fn filter_mut<'a>(views: &'a mut Views, screen: &Screen) -> &'a mut String {
    match screen {
        Screen::Fleet => &mut views.fleet.filter,
        Screen::Spend => &mut views.spend.filter,
        Screen::Findings => &mut views.findings.list.filter,
        Screen::Alarms => &mut views.alarms.list.filter,
        Screen::Deployments => &mut views.deploy.list.filter,
        Screen::Queries => &mut views.query.list.filter,
        Screen::QueryRun(_) => &mut views.query.results.filter,
        Screen::Rollouts => &mut views.rollouts.filter,
        Screen::Errors => &mut views.errors.list.filter,
        Screen::Tenant(_)
        | Screen::SpendDetail(_)
        | Screen::Audit
        | Screen::Health
        | Screen::AlarmDetail(..)
        | Screen::FindingDetail(_)
        | Screen::DeployDetail(_)
        | Screen::QueryHistory
        | Screen::Timeline(_)
        | Screen::Releases
        | Screen::Charts(_)
        | Screen::Compare(_)
        | Screen::Across(_) => &mut views.scratch_filter,
    }
}

/// When a screen reads what it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// It was opened.
    Opened,
    /// `r` on it.
    Refreshed,
    /// The fleet refreshes (`r` or the auto-refresh) while it is on top.
    EveryRefresh,
}

/// A read a screen asks for; the app marks it loading and hands it to the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Load {
    /// The fleet, unless a refresh is running.
    Fleet,
    /// The audit journal.
    Audit,
    /// The deployments of one tenant (account id), or of every tenant.
    Deployments(Option<String>),
    /// The scheduled updates of one tenant (account id), or of every tenant.
    Scheduled(Option<String>),
    /// A tenant's dashboard over the current range.
    Dashboard(String),
    /// A tenant card's registered details.
    Details(String),
    /// The open timeline's events.
    Timeline,
    /// An on-demand read, read again.
    Read(ReadKey),
    /// An on-demand read, unless it is loaded or on its way.
    ReadOnce(ReadKey),
}

/// What `screen` reads `when`: its own reads, then (on `r`) the fleet's unless the screen shows
/// nothing of it.
pub fn loads(views: &Views, ctx: &Ctx, screen: &Screen, when: When) -> Vec<Load> {
    let mut reads = own_loads(views, ctx, screen, when);
    if when == When::Refreshed && shows_fleet_data(screen) {
        reads.push(Load::Fleet);
    }
    reads
}

/// What `screen` reads, which may depend on its own state (`:compare`'s metric and window).
fn own_loads(views: &Views, ctx: &Ctx, screen: &Screen, when: When) -> Vec<Load> {
    use When::{EveryRefresh, Opened, Refreshed};
    match screen {
        Screen::Audit => on(when, &[Opened, Refreshed], || vec![Load::Audit]),
        Screen::Timeline(_) => on(when, &[Refreshed], || vec![Load::Timeline]),
        Screen::Deployments => on(when, &[Opened, EveryRefresh], || vec![Load::Deployments(None)]),
        Screen::DeployDetail(a) => on(when, &[Opened, EveryRefresh], || vec![Load::Deployments(Some(a.clone()))]),
        Screen::Rollouts => on(when, &[Opened, Refreshed], || {
            let registry = ctx.releases.then(|| Load::Read(silo_core::releases::RELEASES.of_org()));
            [Some(Load::Scheduled(None)), registry].into_iter().flatten().collect()
        }),
        Screen::Health => on(when, &[Opened, Refreshed], || vec![Load::Read(silo_core::aws_health::EVENTS.of_org())]),
        Screen::AlarmDetail(a, name) => {
            on(when, &[Opened], || vec![Load::Read(silo_core::alarms::HISTORY.of_tenant(a, name))])
        }
        Screen::SpendDetail(a) => on(when, &[Opened], || {
            silo_core::spend::history_key(ctx.store, a).map(Load::ReadOnce).into_iter().collect()
        }),
        Screen::Releases => on(when, &[Opened, Refreshed], || {
            vec![Load::Read(silo_core::releases::RELEASES.of_org()), Load::Scheduled(None)]
        }),
        Screen::Tenant(a) => tenant_loads(ctx, a, when),
        // Each tenant's dashboard holds the metric; its deployments are the marks.
        Screen::Across(accounts) => match when {
            Opened => {
                accounts.iter().flat_map(|a| [Load::Dashboard(a.clone()), Load::Deployments(Some(a.clone()))]).collect()
            }
            Refreshed => accounts.iter().map(|a| Load::Dashboard(a.clone())).collect(),
            EveryRefresh => Vec::new(),
        },
        Screen::Compare(version) => on(when, &[Opened, Refreshed], || {
            compare::ask(&views.compare, version).map(|ask| Load::Read(ask.key())).into_iter().collect()
        }),
        // Its marks are the tenant's deployments: read with the metrics when it opens.
        Screen::Charts(a) => match when {
            Opened => [Load::Dashboard(a.clone()), Load::Deployments(Some(a.clone()))]
                .into_iter()
                .chain(charts::alarm_reads(ctx, a).into_iter().map(Load::ReadOnce))
                .collect(),
            Refreshed => vec![Load::Dashboard(a.clone())],
            EveryRefresh => Vec::new(),
        },
        Screen::Fleet
        | Screen::Spend
        | Screen::Findings
        | Screen::Alarms
        | Screen::FindingDetail(_)
        | Screen::Queries
        | Screen::QueryHistory
        | Screen::QueryRun(_)
        | Screen::Errors => Vec::new(),
    }
}

/// `reads()` when `when` is one of `at`.
fn on(when: When, at: &[When], reads: impl FnOnce() -> Vec<Load>) -> Vec<Load> {
    if at.contains(&when) {
        reads()
    } else {
        Vec::new()
    }
}

/// Whether `r` on `screen` refreshes the fleet too: not where the screen shows none of it.
fn shows_fleet_data(screen: &Screen) -> bool {
    match screen {
        Screen::Audit | Screen::Timeline(_) | Screen::Charts(_) | Screen::Compare(_) | Screen::Across(_) => false,
        Screen::Fleet
        | Screen::Tenant(_)
        | Screen::Spend
        | Screen::SpendDetail(_)
        | Screen::Findings
        | Screen::Health
        | Screen::Rollouts
        | Screen::Alarms
        | Screen::AlarmDetail(..)
        | Screen::FindingDetail(_)
        | Screen::Deployments
        | Screen::DeployDetail(_)
        | Screen::Queries
        | Screen::QueryHistory
        | Screen::QueryRun(_)
        | Screen::Errors
        | Screen::Releases => true,
    }
}

/// The tenant card: its dashboard, deployments, details and schedules when opened; the dashboard
/// and details again on `r`; the deployments (which its plans are built from) with every refresh.
fn tenant_loads(ctx: &Ctx, account_id: &str, when: When) -> Vec<Load> {
    let a = || account_id.to_string();
    match when {
        When::Opened => {
            let mut loads = vec![
                Load::Dashboard(a()),
                Load::Deployments(Some(a())),
                Load::Details(a()),
                Load::Scheduled(Some(a())),
            ];
            // Its plans (p, u) check the version's image: the registry, unless it is in.
            loads.extend(ctx.releases.then(|| Load::ReadOnce(silo_core::releases::RELEASES.of_org())));
            loads
        }
        When::Refreshed => vec![Load::Dashboard(a()), Load::Details(a())],
        When::EveryRefresh => vec![Load::Deployments(Some(a()))],
    }
}

/// The selection of `screen`, if it has one.
pub fn selected(views: &Views, ctx: &Ctx, screen: &Screen) -> Option<Selected> {
    let tenant_of = |account: &str| ctx.store.tenants.get(account).map(|r| &r.tenant);
    match screen {
        Screen::Fleet => Some(selection::tenant(tenant_of(&selection::fleet_row(&views.fleet, ctx)?)?)),
        Screen::Tenant(account) | Screen::Timeline(account) | Screen::Charts(account) => {
            Some(selection::tenant(tenant_of(account)?))
        }
        Screen::Compare(version) => {
            Some(selection::tenant(tenant_of(&compare::selected(&views.compare, ctx, version)?)?))
        }
        Screen::Across(accounts) => Some(selection::tenant(tenant_of(accounts.get(views.across.selected)?)?)),
        Screen::DeployDetail(account) => Some(selection::deployments(tenant_of(account)?)),
        Screen::Deployments => {
            Some(selection::deployments(tenant_of(&selection::deployment_row(&views.deploy, ctx)?)?))
        }
        Screen::Findings => selection::finding_row(&views.findings, ctx),
        Screen::FindingDetail(id) => ctx.store.all_findings().find(|f| &f.id == id).map(selection::finding),
        Screen::Alarms => {
            let (account, name) = selection::alarm_row(&views.alarms, ctx)?;
            Some(selection::alarm(tenant_of(&account)?, &name))
        }
        Screen::AlarmDetail(account, name) => Some(selection::alarm(tenant_of(account)?, name)),
        Screen::QueryRun(run) => {
            let id = ctx.store.queries.get(run)?.execution_id.clone()?;
            Some(Selected { what: "query execution id", url: silo_core::links::query_run_url(&id), id })
        }
        Screen::Spend => Some(selection::budget(selection::spend_row(&views.spend, ctx)?)),
        Screen::SpendDetail(account) => Some(selection::budget(account.clone())),
        Screen::Errors => Some(selection::tenant(tenant_of(&read_errors::selected_account(&views.errors, ctx)?)?)),
        Screen::Releases => releases::selected(&views.releases, ctx).and_then(|r| selection::release(&r)),
        Screen::Queries | Screen::QueryHistory | Screen::Audit | Screen::Health | Screen::Rollouts => None,
    }
}
