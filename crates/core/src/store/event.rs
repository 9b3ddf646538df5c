//! What the engine reports: every result of a read or an action, as data. The store applies these
//! (`Store::apply`); the TUI and the headless commands both feed them to their own store.

use super::{Slot, SlotValue};
use crate::cost::CostReport;
use crate::error::FetchError;
use crate::findings::FindingSource;
use crate::model::Tenant;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq)]
pub enum FetchEvent {
    /// `slots`: what this refresh reads for every tenant; `columns`: the source's registry
    /// columns, read or not, which the fleet and the reports show.
    RefreshStarted {
        at: DateTime<Utc>,
        slots: Vec<Slot>,
        columns: Vec<crate::column::ColumnSpec>,
    },
    TenantsListed {
        result: Result<Vec<Tenant>, FetchError>,
        at: DateTime<Utc>,
    },
    /// Tenants (by account id) listed under their account name because their name tag could not
    /// be read, with why; every other tenant is named as configured.
    TenantNaming {
        problems: std::collections::HashMap<String, FetchError>,
    },
    Slot {
        account_id: String,
        slot: Slot,
        result: Result<SlotValue, FetchError>,
        at: DateTime<Utc>,
    },
    RefreshFinished {
        at: DateTime<Utc>,
    },
    /// The open findings of one source, organization-wide.
    Findings {
        source: FindingSource,
        result: Result<Option<crate::findings::FindingList>, FetchError>,
        at: DateTime<Utc>,
    },
    /// One tenant's scheduled updates, asked by `:rollouts`.
    Scheduled {
        account_id: String,
        result: Result<Vec<crate::terms::schedule::ScheduledUpdate>, FetchError>,
        at: DateTime<Utc>,
    },
    /// What became of the schedules silo made for one tenant (`schedule_outcome`), after its
    /// schedules were read; each missing piece of evidence is said inside the outcome.
    Outcomes {
        account_id: String,
        tracked: Vec<crate::schedule_outcome::Tracked>,
        at: DateTime<Utc>,
    },
    /// One tenant's Service Catalog products (None: not read by this source), with its schedules.
    Provisioned {
        account_id: String,
        result: Result<Option<Vec<crate::catalog::Provisioned>>, FetchError>,
        at: DateTime<Utc>,
    },
    /// The answer of an on-demand read (`crate::reads`).
    Read {
        key: crate::reads::ReadKey,
        result: Result<crate::reads::ReadValue, FetchError>,
        at: DateTime<Utc>,
    },
    /// A tenant's dashboard for one range.
    Dashboard {
        account_id: String,
        result: Result<crate::metrics::Dashboard, FetchError>,
        at: DateTime<Utc>,
    },
    /// The audit journal, newest first, or why it could not be read.
    AuditJournal(Result<Vec<crate::journal::JournalEntry>, String>),
    /// A confirmed action ended (or was refused); `message` says how, for the footer.
    ActionFinished {
        api: String,
        ok: bool,
        message: String,
        at: DateTime<Utc>,
    },
    /// One tenant's deployments (asked by the deployment screens and after an action).
    Deploy {
        account_id: String,
        result: Result<Box<crate::deploy::DeployStatus>, FetchError>,
        at: DateTime<Utc>,
    },
    /// A fleet-wide rollback ended: each tenant's result, in order; the ones after the first
    /// failure were not attempted.
    SequenceFinished {
        results: Vec<crate::plan::SequenceStep>,
        at: DateTime<Utc>,
    },
    /// A tenant's timeline, gathered (each source's failure is inside it).
    Timeline {
        timeline: Box<crate::timeline::Timeline>,
        at: DateTime<Utc>,
    },
    /// The Athena workgroup's per-query scan cutoff (GetWorkGroup).
    ScanLimit {
        result: Result<crate::queries::run::ScanLimit, FetchError>,
        at: DateTime<Utc>,
    },
    /// An Athena query of run `run` was started (its execution id) or could not be.
    QueryStarted {
        run: u64,
        result: Result<String, FetchError>,
        at: DateTime<Utc>,
    },
    /// A status read of run `run`.
    QueryProgress {
        run: u64,
        result: Result<crate::queries::run::QueryStatus, FetchError>,
        at: DateTime<Utc>,
    },
    /// A page of run `run`'s results.
    QueryPage {
        run: u64,
        result: Result<crate::queries::run::ResultPage, FetchError>,
        at: DateTime<Utc>,
    },
    /// StopQueryExecution of run `run` answered.
    QueryStopped {
        run: u64,
        result: Result<(), FetchError>,
        at: DateTime<Utc>,
    },
    /// The caller identity ARN of the base credentials.
    Identity(String),
    /// Something done on the user's behalf ended (an export, a copy): a line for the footer.
    Notice {
        message: String,
        ok: bool,
    },
    /// Cost Explorer's month-to-date cost of tenants without a budget.
    CostExplorer {
        result: Result<CostReport, FetchError>,
        at: DateTime<Utc>,
    },
    /// These details of a tenant are being read (the card shows them loading).
    DetailsAsked {
        account_id: String,
        names: Vec<&'static str>,
    },
    /// One tenant detail (ECS service events…), by its name.
    Detail {
        account_id: String,
        name: &'static str,
        result: Result<crate::detail::DetailValue, FetchError>,
        at: DateTime<Utc>,
    },
}
