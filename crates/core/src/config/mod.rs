//! silo's configuration file: where it is found, what each key means (docs/configuration.md) and
//! errors that name the file, line and key. A bad file changes nothing and stops silo before the
//! terminal is touched.

pub mod names;
mod pattern;
pub mod protection;
mod raw;

pub use pattern::Pattern;

/// A tenant named in the config, by name or account id, and the line that names it
/// (`config::protection` resolves them to account ids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantRef {
    pub value: String,
    pub line: usize,
}

use crate::model::Tenant;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}:{line}: {message}")]
    Invalid { path: PathBuf, line: usize, key: String, message: String },
    #[error("no config file: pass --config PATH, set SILO_CONFIG, create {default}, or run `silo --demo`")]
    NotFound { default: String },
}

/// Whether `name` is spelled like an AWS region: letters, dash-separated words, a number
/// (`us-east-1`, `us-gov-west-1`, `cn-northwest-1`, `eu-central-2`).
/// `[timeline] suspect_minutes` when not set.
pub const DEFAULT_SUSPECT_WINDOW: Duration = Duration::from_secs(crate::timeline::SUSPECT_WINDOW_MINUTES as u64 * 60);

/// `tenants.list_ttl_secs` when not set.
pub const DEFAULT_TENANT_LIST_TTL: Duration = Duration::from_secs(600);

pub fn is_region(name: &str) -> bool {
    let parts: Vec<&str> = name.split('-').collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else { return false };
    parts.len() >= 3
        && first.len() == 2
        && parts[..parts.len() - 1].iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
}

impl ConfigError {
    /// The dotted key the error is about, when there is one (tests and `silo doctor` use it).
    pub fn key(&self) -> Option<&str> {
        match self {
            ConfigError::Invalid { key, .. } => Some(key),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantSource {
    Organizations { ou: String, name_tag: String },
    Static(Vec<StaticTenant>),
}

/// The account tag keys of the update terms (`[tenants] window_tag`, `certified_tag`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermsTags {
    pub window: String,
    pub certified: String,
}

impl Default for TermsTags {
    fn default() -> Self {
        TermsTags { window: "maintenance-window".into(), certified: "certified-versions".into() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticTenant {
    pub name: String,
    pub account_id: String,
    pub region: Option<String>,
    pub ecs_cluster: Option<String>,
    pub ecs_service: Option<String>,
    /// Dashboard resources of this tenant, over the `[tenants]` patterns.
    pub load_balancer: Option<String>,
    pub db_instance: Option<String>,
    pub batch_queue: Option<String>,
    /// This tenant's pipeline and stage, over `[tenants] pipeline`/`pipeline_stage`.
    pub pipeline: Option<String>,
    pub pipeline_stage: Option<String>,
    /// Refuse every action on this tenant.
    pub read_only: bool,
    /// Its maintenance window and certified versions (validated when the file is read).
    pub terms: crate::model::Terms,
}

/// Where deploy freezes go: one pipeline per tenant (a `{tenant}` pattern) and its stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineConfig {
    pub name: Pattern,
    pub stage: String,
    /// The account that holds the pipelines; None: each tenant's own account.
    pub account_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRole {
    pub account_id: String,
    /// None: use the base credentials (allowed for billing only).
    pub role: Option<String>,
    pub region: Option<String>,
    /// Role for actions in this account (audit: finding status), assumed only at that moment.
    pub operator_role: Option<String>,
    /// Audit only: which Security Hub findings API to read.
    pub findings_api: FindingsApi,
    /// Audit only: Amazon Detective has a behavior graph there; a finding offers its investigation.
    pub detective: bool,
    /// Audit only: Security Hub v1 is read whole at least this often; between, only findings
    /// updated since (`UpdatedAt`). A triage made outside silo (BatchUpdateFindings leaves
    /// `UpdatedAt` alone) shows within this long; silo's own shows at once.
    pub full_read: std::time::Duration,
    /// Audit only: findings kept per tenant account (`[audit] findings_per_tenant`); the rest are
    /// counted, never held.
    pub findings_per_tenant: usize,
}

/// `[audit] full_read_minutes` when not set.
pub const DEFAULT_FULL_READ: std::time::Duration = std::time::Duration::from_secs(10 * 60);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingsApi {
    /// v2 when GetFindingsV2 answers, else v1.
    #[default]
    Auto,
    V1,
    V2,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillingConfig {
    pub access: AccountRole,
    /// Also read budgets kept inside tenant accounts (with the read role) for tenants that have
    /// none in the billing account.
    pub tenant_budgets: bool,
    /// Read Cost Explorer (billed per request) for tenants without a budget, once per session.
    pub cost_explorer: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplianceConfig {
    pub access: AccountRole,
    /// The organization aggregator's name.
    pub aggregator: String,
}

/// `[releases]`: the central registry and the pipelines that build into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleasesConfig {
    pub access: AccountRole,
    /// The ECR repository every tenant's service image comes from (`opsfactor/app`).
    pub repository: String,
    /// The CodePipeline pipelines (in the same account) that build it.
    pub pipelines: Vec<String>,
    /// Critical findings at or above which moving a tenant to a version needs an override
    /// (`--vulnerable`); 0: counts never do (an image never scanned still does).
    pub critical_threshold: u32,
    /// Read Amazon Inspector's enhanced scanning of the repository (`ListFindingAggregations`,
    /// `ListCoverage`) in the registry's account; ECR's basic scan stays the fallback.
    pub inspector: bool,
    /// A completed scan older than this many days is shown as old (0: never).
    pub stale_scan_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogsConfig {
    pub access: AccountRole,
    pub workgroup: String,
    pub database: String,
    /// Where Athena writes results, when the workgroup does not enforce its own.
    pub output_location: Option<String>,
    /// Reuse a query's result up to this many minutes old (0: off).
    pub result_reuse_minutes: u32,
    /// Directories of user queries, later ones overriding earlier ones (and the shipped ones) by name.
    pub query_dirs: Vec<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchConfig {
    pub concurrency: usize,
    pub per_account_concurrency: usize,
    pub timeout: Duration,
    pub max_attempts: u32,
    pub refresh_interval: Duration,
    /// How long a write (an action's one call) may take; writes are never retried.
    pub write_timeout: Duration,
}

impl FetchConfig {
    /// How long one request may take with all its attempts: each attempt gets `timeout`, and the
    /// retry backoff between attempts (at most 2 s each in the standard mode here) is allowed for,
    /// so a throttled request ends as throttled, not as timed out.
    pub fn request_budget(&self) -> Duration {
        let attempts = self.max_attempts.max(1);
        self.timeout * attempts + Duration::from_secs(2) * (attempts - 1)
    }
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            concurrency: 32,
            per_account_concurrency: 4,
            timeout: Duration::from_secs(15),
            max_attempts: 3,
            refresh_interval: Duration::from_secs(60),
            write_timeout: Duration::from_secs(30),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub region: Option<String>,
    pub read_only: bool,
    pub theme: Option<String>,
    /// The operator's time zone for chart axes (`zone`; else the `TZ` environment variable, else UTC).
    pub zone: Option<chrono_tz::Tz>,
    /// Program that opens AWS console URLs (`o`), e.g. "xdg-open" or "open".
    pub opener: Option<String>,
    /// The organization's name for the header (default: the config file's name).
    pub name: Option<String>,
    pub tenants: TenantSource,
    /// Account tags that hold each customer's maintenance window and certified versions.
    pub terms_tags: TermsTags,
    pub read_role: String,
    pub operator_role: String,
    /// The role (in each tenant account) EventBridge Scheduler calls ECS UpdateService with when
    /// a scheduled update fires (`[tenants] scheduler_role`).
    pub scheduler_role: String,
    /// Read each tenant's Service Catalog provisioned products (`[tenants] service_catalog`).
    pub service_catalog: bool,
    pub ecs_cluster: Pattern,
    pub ecs_service: Pattern,
    pub audit: Option<AccountRole>,
    pub logs: Option<LogsConfig>,
    pub billing: Option<BillingConfig>,
    /// A CloudWatch cross-account observability (OAM) monitoring account: read every tenant's
    /// metrics there instead of in each tenant account.
    pub monitoring: Option<AccountRole>,
    /// Where AWS Health's organizational view is read: the management account or its delegated
    /// administrator (`[health]`). The Health API answers in us-east-1 only.
    pub health: Option<AccountRole>,
    /// The AWS Config aggregator that assesses every account (`[compliance]`).
    pub compliance: Option<ComplianceConfig>,
    /// AWS Control Tower in the management account, in its home region (`[governance]`).
    pub governance: Option<AccountRole>,
    /// The release chain's start: registry, repository, pipelines (`[releases]`).
    pub releases: Option<ReleasesConfig>,
    /// Narrow discovered resources to names containing these (`{tenant}` patterns).
    pub load_balancer: Option<Pattern>,
    pub db_instance: Option<Pattern>,
    pub batch_queue: Option<Pattern>,
    pub pipelines: Option<PipelineConfig>,
    /// How long the tenant list read from Organizations is kept: a refresh within it makes no
    /// Organizations calls (0: read it on every refresh).
    pub tenant_list_ttl: Duration,
    /// Tenants (by name or account id) on which every action is refused; see `protection`.
    pub read_only_tenants: Vec<TenantRef>,
    /// Tenants (by name or account id) marked as production: a red cue wherever they are acted on.
    pub production_tenants: Vec<TenantRef>,
    pub fetch: FetchConfig,
    /// How far before an alarm a change is a suspect on the timeline (`[timeline] suspect_minutes`).
    pub suspect_window: Duration,
    /// Action name → key specs, over the built-in keymap.
    pub keys: BTreeMap<String, Vec<String>>,
}

/// The operator's zone: `zone` in the config, else the `TZ` variable when it names a zone, else UTC.
pub fn operator_zone(configured: Option<chrono_tz::Tz>, tz_variable: Option<&str>) -> chrono_tz::Tz {
    let from_env = tz_variable.map(|v| v.trim_start_matches(':')).and_then(|v| v.parse::<chrono_tz::Tz>().ok());
    configured.or(from_env).unwrap_or(chrono_tz::UTC)
}

impl Config {
    /// Loads and validates a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
        Config::parse(&text, path)
    }

    /// Resolves a tenant's ECS cluster and service from its overrides or the patterns.
    pub fn tenant(&self, name: &str, account_id: &str, region: Option<&str>) -> Tenant {
        Tenant {
            name: name.to_string(),
            account_id: account_id.to_string(),
            region: region.or(self.region.as_deref()).unwrap_or("us-east-1").to_string(),
            ecs_cluster: self.ecs_cluster.render(name, account_id),
            ecs_service: self.ecs_service.render(name, account_id),
            terms: Default::default(),
        }
    }

    /// A tenant from the static list, its own overrides over the patterns.
    pub fn static_tenant(&self, entry: &StaticTenant) -> Tenant {
        let mut tenant = self.tenant(&entry.name, &entry.account_id, entry.region.as_deref());
        if let Some(cluster) = &entry.ecs_cluster {
            tenant.ecs_cluster = cluster.clone();
        }
        if let Some(service) = &entry.ecs_service {
            tenant.ecs_service = service.clone();
        }
        tenant.terms = entry.terms.clone();
        tenant
    }

    /// The pipeline stage a freeze of `tenant` goes to: its static entry's, else the pattern's.
    pub fn pipeline_for(&self, tenant: &Tenant) -> Option<crate::deploy::PipelineStage> {
        let own = self.static_entry(&tenant.account_id);
        let pattern = self.pipelines.as_ref();
        let pipeline = own
            .and_then(|s| s.pipeline.clone())
            .or_else(|| pattern.map(|p| p.name.render(&tenant.name, &tenant.account_id)))?;
        let stage = own.and_then(|s| s.pipeline_stage.clone()).or_else(|| pattern.map(|p| p.stage.clone()))?;
        let account_id = pattern.and_then(|p| p.account_id.clone()).unwrap_or_else(|| tenant.account_id.clone());
        Some(crate::deploy::PipelineStage { account_id, pipeline, stage })
    }

    /// Why `tenant`'s pipeline is not its own: another listed account's renders to the same
    /// pipeline in the same account (a `{tenant}` pattern and a name two accounts carry), so a
    /// freeze would stop both. None: the pipeline is the tenant's alone, or there is none.
    pub fn pipeline_shared(&self, tenant: &Tenant, listed: &[Tenant]) -> Option<String> {
        let own = self.pipeline_for(tenant)?;
        let same = |t: &&Tenant| t.account_id != tenant.account_id && self.pipeline_for(t).as_ref() == Some(&own);
        let other = listed.iter().find(same)?;
        Some(crate::deploy::shared_pipeline_note(&own, other))
    }

    /// What the header calls this organization: `name`, else the config file's name.
    pub fn organization(&self) -> Option<String> {
        let stem = self.path.as_ref().and_then(|p| p.file_stem()).map(|s| s.to_string_lossy().into_owned());
        self.name.clone().or(stem.filter(|s| s != "config"))
    }

    fn static_entry(&self, account_id: &str) -> Option<&StaticTenant> {
        match &self.tenants {
            TenantSource::Static(list) => list.iter().find(|s| s.account_id == account_id),
            TenantSource::Organizations { .. } => None,
        }
    }

    /// The demo organization's configuration: no file, nothing to reach.
    pub fn demo() -> Config {
        Config {
            path: None,
            region: Some("sa-east-1".into()),
            read_only: false,
            theme: None,
            zone: None,
            opener: None,
            name: Some("demo organization".into()),
            tenants: TenantSource::Static(Vec::new()),
            terms_tags: TermsTags::default(),
            read_role: "SiloReadOnly".into(),
            operator_role: "SiloOperator".into(),
            scheduler_role: "SiloScheduler".into(),
            service_catalog: false,
            ecs_cluster: Pattern::parse("{tenant}").unwrap_or_else(|_| Pattern::literal("app")),
            ecs_service: Pattern::literal("app"),
            audit: None,
            logs: None,
            billing: None,
            monitoring: None,
            health: None,
            compliance: None,
            governance: None,
            releases: Some(demo_releases()),
            load_balancer: None,
            db_instance: None,
            batch_queue: None,
            pipelines: None,
            tenant_list_ttl: DEFAULT_TENANT_LIST_TTL,
            read_only_tenants: Vec::new(),
            production_tenants: Vec::new(),
            fetch: FetchConfig { refresh_interval: Duration::from_secs(5), ..FetchConfig::default() },
            suspect_window: DEFAULT_SUSPECT_WINDOW,
            keys: BTreeMap::new(),
        }
    }
}

/// Where the config file is looked for: `--config`, then `SILO_CONFIG`, then the XDG location.
pub fn locate(flag: Option<&Path>) -> Result<PathBuf, ConfigError> {
    if let Some(path) = flag {
        return Ok(path.to_path_buf());
    }
    if let Some(path) = std::env::var_os("SILO_CONFIG").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let default = crate::paths::config_dir().join("config.toml");
    if default.exists() {
        Ok(default)
    } else {
        Err(ConfigError::NotFound { default: default.display().to_string() })
    }
}

/// The demo's registry (`silo_demo`'s `releases`): its versions' scans bind plans as a real
/// `[releases]` would.
fn demo_releases() -> ReleasesConfig {
    let access = AccountRole {
        account_id: "123456789012".into(),
        role: None,
        region: Some("sa-east-1".into()),
        operator_role: None,
        findings_api: FindingsApi::Auto,
        detective: false,
        full_read: DEFAULT_FULL_READ,
        findings_per_tenant: crate::findings::DEFAULT_PER_ACCOUNT,
    };
    ReleasesConfig {
        access,
        repository: "opsfactor/app".into(),
        pipelines: vec!["opsfactor-app".into()],
        critical_threshold: 1,
        inspector: true,
        stale_scan_days: 30,
    }
}

#[cfg(test)]
mod tests;
