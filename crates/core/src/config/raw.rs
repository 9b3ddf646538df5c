//! The file format as serde sees it, and its translation into a validated `Config`. Every error
//! carries the dotted key and the line it refers to.

use super::{
    AccountRole, BillingConfig, ComplianceConfig, Config, ConfigError, FetchConfig, LogsConfig, Pattern,
    ReleasesConfig, StaticTenant, TenantSource,
};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    region: Option<Spanned<String>>,
    #[serde(default)]
    read_only: bool,
    theme: Option<String>,
    zone: Option<Spanned<String>>,
    opener: Option<String>,
    name: Option<String>,
    tenants: Spanned<RawTenants>,
    audit: Option<RawAccount>,
    logs: Option<RawLogs>,
    billing: Option<RawBilling>,
    monitoring: Option<RawAccount>,
    health: Option<RawHealth>,
    compliance: Option<RawCompliance>,
    releases: Option<RawReleases>,
    governance: Option<RawGovernance>,
    #[serde(default)]
    fetch: RawFetch,
    #[serde(default)]
    timeline: RawTimeline,
    #[serde(default)]
    keys: BTreeMap<String, KeyList>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimeline {
    suspect_minutes: Option<Spanned<u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum KeyList {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum SourceKind {
    Organizations,
    Static,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTenants {
    source: Spanned<SourceKind>,
    ou: Option<Spanned<String>>,
    name_tag: Option<String>,
    window_tag: Option<Spanned<String>>,
    certified_tag: Option<Spanned<String>>,
    list_ttl_secs: Option<Spanned<u32>>,
    read_role: Option<Spanned<String>>,
    operator_role: Option<Spanned<String>>,
    scheduler_role: Option<Spanned<String>>,
    #[serde(default)]
    service_catalog: bool,
    ecs_cluster: Option<Spanned<String>>,
    ecs_service: Option<Spanned<String>>,
    load_balancer: Option<Spanned<String>>,
    db_instance: Option<Spanned<String>>,
    batch_queue: Option<Spanned<String>>,
    pipeline: Option<Spanned<String>>,
    pipeline_stage: Option<Spanned<String>>,
    pipeline_account: Option<Spanned<String>>,
    #[serde(default)]
    read_only: Vec<Spanned<String>>,
    #[serde(default)]
    production: Vec<Spanned<String>>,
    #[serde(default, rename = "static")]
    entries: Vec<Spanned<RawStatic>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatic {
    name: String,
    account_id: Spanned<String>,
    region: Option<Spanned<String>>,
    ecs_cluster: Option<String>,
    ecs_service: Option<String>,
    load_balancer: Option<String>,
    db_instance: Option<String>,
    batch_queue: Option<String>,
    pipeline: Option<String>,
    pipeline_stage: Option<String>,
    #[serde(default)]
    read_only: bool,
    window: Option<Spanned<String>>,
    certified: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccount {
    account_id: Spanned<String>,
    role: Option<Spanned<String>>,
    region: Option<Spanned<String>>,
    operator_role: Option<Spanned<String>>,
    findings_api: Option<super::FindingsApi>,
    full_read_minutes: Option<Spanned<u32>>,
    findings_per_tenant: Option<Spanned<u32>>,
    /// `[audit] detective`: offer Amazon Detective's investigation of a finding.
    detective: Option<bool>,
}

impl RawAccount {
    /// The account part of a section that has more keys of its own ([billing], [logs]).
    fn plain(
        account_id: &Spanned<String>,
        role: Option<&Spanned<String>>,
        region: Option<&Spanned<String>>,
    ) -> RawAccount {
        RawAccount {
            account_id: account_id.clone(),
            role: role.cloned(),
            region: region.cloned(),
            operator_role: None,
            findings_api: None,
            full_read_minutes: None,
            findings_per_tenant: None,
            detective: None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBilling {
    account_id: Spanned<String>,
    role: Option<Spanned<String>>,
    region: Option<Spanned<String>>,
    #[serde(default)]
    tenant_budgets: bool,
    #[serde(default)]
    cost_explorer: bool,
}

/// `[health]`: no region (AWS Health answers in us-east-1 only), no operator role (read only).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHealth {
    account_id: Spanned<String>,
    role: Option<Spanned<String>>,
}

/// `[governance]`: Control Tower in the management account, in the landing zone's home region.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGovernance {
    account_id: Spanned<String>,
    role: Option<Spanned<String>>,
    region: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompliance {
    aggregator: Spanned<String>,
    account_id: Spanned<String>,
    role: Option<Spanned<String>>,
    region: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReleases {
    account_id: Spanned<String>,
    role: Option<Spanned<String>>,
    region: Option<Spanned<String>>,
    repository: Spanned<String>,
    #[serde(default)]
    pipelines: Vec<Spanned<String>>,
    critical_threshold: Option<Spanned<u32>>,
    #[serde(default)]
    inspector: bool,
    stale_scan_days: Option<Spanned<u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLogs {
    account_id: Spanned<String>,
    role: Option<Spanned<String>>,
    region: Option<Spanned<String>>,
    workgroup: Option<String>,
    database: Option<String>,
    output_location: Option<Spanned<String>>,
    result_reuse_minutes: Option<Spanned<u32>>,
    #[serde(default)]
    query_dirs: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFetch {
    concurrency: Option<Spanned<u32>>,
    per_account_concurrency: Option<Spanned<u32>>,
    timeout_secs: Option<Spanned<u32>>,
    max_attempts: Option<Spanned<u32>>,
    refresh_secs: Option<Spanned<u32>>,
    write_timeout_secs: Option<Spanned<u32>>,
}

/// Builds errors that point at a place in one file.
struct Locator<'a> {
    text: &'a str,
    path: &'a Path,
}

impl Locator<'_> {
    fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text[..end].bytes().filter(|b| *b == b'\n').count() + 1
    }

    fn error(&self, offset: usize, key: &str, message: impl Into<String>) -> ConfigError {
        let message = format!("`{key}`: {}", message.into());
        ConfigError::Invalid { path: self.path.to_path_buf(), line: self.line_of(offset), key: key.into(), message }
    }

    fn at<T>(&self, spanned: &Spanned<T>, key: &str, message: impl Into<String>) -> ConfigError {
        self.error(spanned.span().start, key, message)
    }
}

/// How long a tenant list from Organizations is kept (`tenants.list_ttl_secs`, 0 to 86400).
fn tenant_list_ttl(tenants: &RawTenants, loc: &Locator) -> Result<Duration, ConfigError> {
    let default = super::DEFAULT_TENANT_LIST_TTL.as_secs() as u32;
    let Some(value) = tenants.list_ttl_secs.as_ref() else { return Ok(Duration::from_secs(u64::from(default))) };
    match *value.get_ref() {
        secs @ 0..=86_400 => Ok(Duration::from_secs(u64::from(secs))),
        other => Err(loc.at(value, "tenants.list_ttl_secs", format!("expected 0 to 86400 seconds, found {other}"))),
    }
}

/// `[timeline] suspect_minutes` (1 to 1440): how far before an alarm a change is a suspect.
fn suspect_window(raw: &RawTimeline, loc: &Locator) -> Result<Duration, ConfigError> {
    let default = super::DEFAULT_SUSPECT_WINDOW;
    let Some(value) = raw.suspect_minutes.as_ref() else { return Ok(default) };
    match *value.get_ref() {
        minutes @ 1..=1440 => Ok(Duration::from_secs(u64::from(minutes) * 60)),
        other => Err(loc.at(value, "timeline.suspect_minutes", format!("expected 1 to 1440 minutes, found {other}"))),
    }
}

fn tenant_refs(values: &[Spanned<String>], loc: &Locator) -> Vec<super::TenantRef> {
    let line = |v: &Spanned<String>| loc.line_of(v.span().start);
    values.iter().map(|v| super::TenantRef { value: v.get_ref().trim().to_string(), line: line(v) }).collect()
}

/// A region name as AWS spells them (`us-east-1`, `us-gov-west-1`, `ap-southeast-5`): a typo
/// would otherwise surface as a DNS failure on every call.
fn region(value: Option<&Spanned<String>>, key: &str, loc: &Locator) -> Result<Option<String>, ConfigError> {
    let Some(value) = value else { return Ok(None) };
    match super::is_region(value.get_ref()) {
        true => Ok(Some(value.get_ref().clone())),
        false => Err(loc.at(value, key, format!("expected a region such as us-east-1, found {:?}", value.get_ref()))),
    }
}

/// An IANA time zone name (`America/Sao_Paulo`), as chrono-tz's copy of the tz database knows it.
fn zone(value: Option<&Spanned<String>>, loc: &Locator) -> Result<Option<chrono_tz::Tz>, ConfigError> {
    let Some(value) = value else { return Ok(None) };
    value.get_ref().trim().parse::<chrono_tz::Tz>().map(Some).map_err(|_| {
        let why = format!("expected an IANA time zone such as America/Sao_Paulo or UTC, found {:?}", value.get_ref());
        loc.at(value, "zone", why)
    })
}

impl Config {
    /// Parses config text; `path` is only used in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let loc = Locator { text, path };
        let raw = deserialize(text, &loc)?;
        build(raw, &loc, path)
    }
}

fn deserialize(text: &str, loc: &Locator<'_>) -> Result<RawConfig, ConfigError> {
    let syntax = |e: toml::de::Error| {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        loc.error(offset, "(file)", e.message().to_string())
    };
    let de = toml::de::Deserializer::parse(text).map_err(syntax)?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let key = dotted(e.path());
        let inner = e.into_inner();
        let offset = inner.span().map(|s| s.start).unwrap_or(0);
        let key = unknown_field_key(&key, inner.message()).unwrap_or(key);
        loc.error(offset, &key, describe(inner.message()))
    })
}

/// serde_path_to_error stops at the table for unknown and missing fields; name the field itself.
fn unknown_field_key(table: &str, message: &str) -> Option<String> {
    let field = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("missing field `"))?
        .split('`')
        .next()?;
    let join = |t: &str| if t.is_empty() || t == "." { field.to_string() } else { format!("{t}.{field}") };
    Some(if table.ends_with(field) { table.to_string() } else { join(table) })
}

/// The dotted key, without the markers that `toml::Spanned` leaves in the path.
fn dotted(path: &serde_path_to_error::Path) -> String {
    let text = path.to_string();
    let parts: Vec<&str> = text.split('.').filter(|p| !p.is_empty() && !p.starts_with("$__serde_spanned")).collect();
    parts.join(".")
}

fn describe(message: &str) -> String {
    let message = message.trim();
    if message.starts_with("missing field") {
        format!("{message}: this key is required")
    } else {
        message.to_string()
    }
}

fn build(raw: RawConfig, loc: &Locator<'_>, path: &Path) -> Result<Config, ConfigError> {
    let tenants = raw.tenants.get_ref();
    Ok(Config {
        path: Some(path.to_path_buf()),
        region: region(raw.region.as_ref(), "region", loc)?,
        read_only: raw.read_only,
        theme: raw.theme.clone(),
        zone: zone(raw.zone.as_ref(), loc)?,
        opener: raw.opener.clone().filter(|o| !o.trim().is_empty()),
        name: raw.name.clone().map(|n| crate::sanitize::clean(n.trim())).filter(|n| !n.is_empty()),
        tenants: tenant_source(&raw.tenants, loc)?,
        terms_tags: terms_tags(tenants, loc)?,
        read_role: role(tenants.read_role.as_ref(), "SiloReadOnly", "tenants.read_role", loc)?,
        operator_role: role(tenants.operator_role.as_ref(), "SiloOperator", "tenants.operator_role", loc)?,
        scheduler_role: role(tenants.scheduler_role.as_ref(), "SiloScheduler", "tenants.scheduler_role", loc)?,
        service_catalog: tenants.service_catalog,
        ecs_cluster: pattern(tenants.ecs_cluster.as_ref(), "{tenant}", "tenants.ecs_cluster", loc)?,
        ecs_service: pattern(tenants.ecs_service.as_ref(), "app", "tenants.ecs_service", loc)?,
        audit: raw.audit.as_ref().map(|a| account(a, Some("SiloAudit"), "audit", loc)).transpose()?,
        logs: raw.logs.as_ref().map(|l| logs(l, loc)).transpose()?,
        billing: raw.billing.as_ref().map(|b| billing(b, loc)).transpose()?,
        monitoring: raw
            .monitoring
            .as_ref()
            .map(|m| account(m, Some("SiloMonitoring"), "monitoring", loc))
            .transpose()?,
        health: raw.health.as_ref().map(|h| health(h, loc)).transpose()?,
        compliance: raw.compliance.as_ref().map(|c| compliance(c, loc)).transpose()?,
        governance: raw.governance.as_ref().map(|g| governance(g, loc)).transpose()?,
        releases: raw.releases.as_ref().map(|r| releases(r, loc)).transpose()?,
        load_balancer: optional_pattern(tenants.load_balancer.as_ref(), "tenants.load_balancer", loc)?,
        db_instance: optional_pattern(tenants.db_instance.as_ref(), "tenants.db_instance", loc)?,
        batch_queue: optional_pattern(tenants.batch_queue.as_ref(), "tenants.batch_queue", loc)?,
        pipelines: pipelines(tenants, loc)?,
        tenant_list_ttl: tenant_list_ttl(tenants, loc)?,
        read_only_tenants: tenant_refs(&tenants.read_only, loc),
        production_tenants: tenant_refs(&tenants.production, loc),
        fetch: fetch(&raw.fetch, loc)?,
        suspect_window: suspect_window(&raw.timeline, loc)?,
        keys: raw.keys.into_iter().map(|(k, v)| (k, key_list(v))).collect(),
    })
}

fn key_list(list: KeyList) -> Vec<String> {
    match list {
        KeyList::One(k) => vec![k],
        KeyList::Many(ks) => ks,
    }
}

fn tenant_source(raw: &Spanned<RawTenants>, loc: &Locator<'_>) -> Result<TenantSource, ConfigError> {
    let t = raw.get_ref();
    match t.source.get_ref() {
        SourceKind::Organizations => {
            let ou = t.ou.as_ref().ok_or_else(|| {
                loc.at(&t.source, "tenants.ou", "required when tenants.source = \"organizations\": the OU name or id (ou-...) whose accounts are tenants")
            })?;
            if ou.get_ref().trim().is_empty() {
                return Err(loc.at(ou, "tenants.ou", "expected an OU name or id, found an empty string"));
            }
            let name_tag = t.name_tag.clone().unwrap_or_else(|| "tenant".into());
            Ok(TenantSource::Organizations { ou: ou.get_ref().trim().to_string(), name_tag })
        }
        SourceKind::Static => static_tenants(t, loc),
    }
}

/// The tag keys of the update terms; a key AWS would refuse is an error here, not an empty column.
fn terms_tags(t: &RawTenants, loc: &Locator<'_>) -> Result<super::TermsTags, ConfigError> {
    let defaults = super::TermsTags::default();
    let key = |raw: &Option<Spanned<String>>, name: &str, default: String| match raw {
        Some(k) if k.get_ref().trim().is_empty() || k.get_ref().len() > 128 => {
            Err(loc.at(k, name, "expected a tag key of 1 to 128 characters"))
        }
        Some(k) => Ok(k.get_ref().trim().to_string()),
        None => Ok(default),
    };
    Ok(super::TermsTags {
        window: key(&t.window_tag, "tenants.window_tag", defaults.window)?,
        certified: key(&t.certified_tag, "tenants.certified_tag", defaults.certified)?,
    })
}

/// A static tenant's window and certified versions, checked as its tags would be.
fn static_terms(e: &RawStatic, i: usize, loc: &Locator<'_>) -> Result<crate::model::Terms, ConfigError> {
    if let Some(w) = &e.window {
        crate::terms::window::Window::parse(w.get_ref())
            .map_err(|why| loc.at(w, &format!("tenants.static[{i}].window"), why))?;
    }
    let certified = e.certified.as_ref().map(|c| c.get_ref().join(" "));
    if let (Some(text), Some(c)) = (&certified, &e.certified) {
        crate::terms::certified::Certified::parse(text)
            .map_err(|why| loc.at(c, &format!("tenants.static[{i}].certified"), why))?;
    }
    Ok(crate::model::Terms { window: e.window.as_ref().map(|w| w.get_ref().trim().to_string()), certified })
}

fn static_tenants(t: &RawTenants, loc: &Locator<'_>) -> Result<TenantSource, ConfigError> {
    if t.entries.is_empty() {
        return Err(loc.at(
            &t.source,
            "tenants.static",
            "tenants.source = \"static\" needs at least one [[tenants.static]] entry {name, account_id}",
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (i, entry) in t.entries.iter().enumerate() {
        let e = entry.get_ref();
        let key = format!("tenants.static[{i}].account_id");
        check_account_id(&e.account_id, &key, loc)?;
        if !seen.insert(e.account_id.get_ref().clone()) {
            return Err(loc.at(&e.account_id, &key, format!("account {} is listed twice", e.account_id.get_ref())));
        }
        if e.name.trim().is_empty() {
            return Err(loc.at(
                entry,
                &format!("tenants.static[{i}].name"),
                "expected a tenant name, found an empty string",
            ));
        }
        out.push(StaticTenant {
            name: e.name.clone(),
            account_id: e.account_id.get_ref().clone(),
            region: region(e.region.as_ref(), &format!("tenants.static[{i}].region"), loc)?,
            ecs_cluster: e.ecs_cluster.clone(),
            ecs_service: e.ecs_service.clone(),
            load_balancer: e.load_balancer.clone(),
            db_instance: e.db_instance.clone(),
            batch_queue: e.batch_queue.clone(),
            pipeline: e.pipeline.clone(),
            pipeline_stage: e.pipeline_stage.clone(),
            read_only: e.read_only,
            terms: static_terms(e, i, loc)?,
        });
    }
    Ok(TenantSource::Static(out))
}

/// `[tenants] pipeline`, `pipeline_stage` and `pipeline_account`: where deploy freezes go.
fn pipelines(t: &RawTenants, loc: &Locator<'_>) -> Result<Option<super::PipelineConfig>, ConfigError> {
    let Some(pipeline) = &t.pipeline else {
        if let Some(stage) = &t.pipeline_stage {
            return Err(loc.at(stage, "tenants.pipeline", "pipeline_stage needs pipeline (the pipeline name pattern)"));
        }
        return Ok(None);
    };
    let name = Pattern::parse(pipeline.get_ref()).map_err(|m| loc.at(pipeline, "tenants.pipeline", m))?;
    let stage = t.pipeline_stage.as_ref().ok_or_else(|| {
        loc.at(
            pipeline,
            "tenants.pipeline_stage",
            "required with tenants.pipeline: the stage whose inbound transition a freeze disables",
        )
    })?;
    if stage.get_ref().trim().is_empty() {
        return Err(loc.at(stage, "tenants.pipeline_stage", "expected a stage name, found an empty string"));
    }
    if let Some(account) = &t.pipeline_account {
        check_account_id(account, "tenants.pipeline_account", loc)?;
    }
    Ok(Some(super::PipelineConfig {
        name,
        stage: stage.get_ref().trim().to_string(),
        account_id: t.pipeline_account.as_ref().map(|a| a.get_ref().clone()),
    }))
}

fn check_account_id(id: &Spanned<String>, key: &str, loc: &Locator<'_>) -> Result<(), ConfigError> {
    let v = id.get_ref();
    if crate::tenant_lookup::is_account_id(v) {
        Ok(())
    } else {
        Err(loc.at(id, key, format!("expected a 12-digit AWS account id, found {v:?}")))
    }
}

fn role(value: Option<&Spanned<String>>, default: &str, key: &str, loc: &Locator<'_>) -> Result<String, ConfigError> {
    let Some(v) = value else { return Ok(default.to_string()) };
    let name = v.get_ref().trim();
    let valid = !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-/".contains(c));
    if valid {
        Ok(name.to_string())
    } else {
        Err(loc.at(v, key, format!("expected an IAM role name (letters, digits, +=,.@_-), found {name:?}")))
    }
}

fn pattern(
    value: Option<&Spanned<String>>,
    default: &str,
    key: &str,
    loc: &Locator<'_>,
) -> Result<Pattern, ConfigError> {
    let text = value.map(|v| v.get_ref().as_str()).unwrap_or(default);
    Pattern::parse(text).map_err(|message| match value {
        Some(v) => loc.at(v, key, message),
        None => loc.error(0, key, message),
    })
}

fn optional_pattern(
    value: Option<&Spanned<String>>,
    key: &str,
    loc: &Locator<'_>,
) -> Result<Option<Pattern>, ConfigError> {
    value.map(|v| Pattern::parse(v.get_ref()).map_err(|m| loc.at(v, key, m))).transpose()
}

fn account(
    raw: &RawAccount,
    default_role: Option<&str>,
    section: &str,
    loc: &Locator<'_>,
) -> Result<AccountRole, ConfigError> {
    check_account_id(&raw.account_id, &format!("{section}.account_id"), loc)?;
    let assumed = match (&raw.role, default_role) {
        (Some(r), _) => Some(role(Some(r), "", &format!("{section}.role"), loc)?),
        (None, d) => d.map(str::to_string),
    };
    let operator_key = format!("{section}.operator_role");
    let operator_role = raw.operator_role.as_ref().map(|r| role(Some(r), "", &operator_key, loc)).transpose()?;
    Ok(AccountRole {
        account_id: raw.account_id.get_ref().clone(),
        role: assumed,
        region: region(raw.region.as_ref(), &format!("{section}.region"), loc)?,
        operator_role,
        findings_api: raw.findings_api.unwrap_or_default(),
        detective: raw.detective.unwrap_or(false),
        full_read: full_read(raw.full_read_minutes.as_ref(), &format!("{section}.full_read_minutes"), loc)?,
        findings_per_tenant: per_tenant(
            raw.findings_per_tenant.as_ref(),
            &format!("{section}.findings_per_tenant"),
            loc,
        )?,
    })
}

/// `[audit] findings_per_tenant` (10 to 100,000): findings kept per tenant account.
fn per_tenant(raw: Option<&Spanned<u32>>, key: &str, loc: &Locator) -> Result<usize, ConfigError> {
    let Some(value) = raw else { return Ok(crate::findings::DEFAULT_PER_ACCOUNT) };
    match *value.get_ref() {
        n @ 10..=100_000 => Ok(n as usize),
        other => Err(loc.at(value, key, format!("expected 10 to 100000 findings, found {other}"))),
    }
}

/// `[audit] full_read_minutes` (0 to 1440; 0: every read is whole).
fn full_read(raw: Option<&Spanned<u32>>, key: &str, loc: &Locator) -> Result<std::time::Duration, ConfigError> {
    let Some(value) = raw else { return Ok(super::DEFAULT_FULL_READ) };
    match *value.get_ref() {
        minutes @ 0..=1440 => Ok(std::time::Duration::from_secs(u64::from(minutes) * 60)),
        other => Err(loc.at(value, key, format!("expected 0 to 1440 minutes, found {other}"))),
    }
}

fn billing(raw: &RawBilling, loc: &Locator<'_>) -> Result<BillingConfig, ConfigError> {
    let as_account = RawAccount::plain(&raw.account_id, raw.role.as_ref(), raw.region.as_ref());
    let access = account(&as_account, None, "billing", loc)?;
    Ok(BillingConfig { access, tenant_budgets: raw.tenant_budgets, cost_explorer: raw.cost_explorer })
}

fn health(raw: &RawHealth, loc: &Locator<'_>) -> Result<AccountRole, ConfigError> {
    let as_account = RawAccount::plain(&raw.account_id, raw.role.as_ref(), None);
    account(&as_account, Some("SiloHealth"), "health", loc)
}

fn governance(raw: &RawGovernance, loc: &Locator<'_>) -> Result<AccountRole, ConfigError> {
    let as_account = RawAccount::plain(&raw.account_id, raw.role.as_ref(), raw.region.as_ref());
    account(&as_account, Some("SiloGovernance"), "governance", loc)
}

fn compliance(raw: &RawCompliance, loc: &Locator<'_>) -> Result<ComplianceConfig, ConfigError> {
    let name = raw.aggregator.get_ref().trim();
    if name.is_empty() {
        let expected = "expected the name of the organization's Config aggregator, found an empty string";
        return Err(loc.at(&raw.aggregator, "compliance.aggregator", expected));
    }
    let as_account = RawAccount::plain(&raw.account_id, raw.role.as_ref(), raw.region.as_ref());
    let access = account(&as_account, Some("SiloCompliance"), "compliance", loc)?;
    Ok(ComplianceConfig { access, aggregator: name.to_string() })
}

fn releases(raw: &RawReleases, loc: &Locator<'_>) -> Result<ReleasesConfig, ConfigError> {
    let repository = raw.repository.get_ref();
    if let Err(why) = super::names::ecr_repository(repository) {
        return Err(loc.at(&raw.repository, "releases.repository", why));
    }
    let mut pipelines = Vec::new();
    for pipeline in &raw.pipelines {
        super::names::pipeline(pipeline.get_ref()).map_err(|why| loc.at(pipeline, "releases.pipelines", why))?;
        pipelines.push(pipeline.get_ref().clone());
    }
    let as_account = RawAccount::plain(&raw.account_id, raw.role.as_ref(), raw.region.as_ref());
    let access = account(&as_account, Some("SiloReleases"), "releases", loc)?;
    let critical_threshold = bounded(raw.critical_threshold.as_ref(), 1, 1000, "releases.critical_threshold", loc)?;
    let stale_scan_days = bounded(raw.stale_scan_days.as_ref(), 30, 3650, "releases.stale_scan_days", loc)?;
    Ok(ReleasesConfig {
        access,
        repository: repository.clone(),
        pipelines,
        critical_threshold,
        inspector: raw.inspector,
        stale_scan_days,
    })
}

/// A number from 0 to `max`, `default` when absent.
fn bounded(
    raw: Option<&Spanned<u32>>,
    default: u32,
    max: u32,
    key: &str,
    loc: &Locator<'_>,
) -> Result<u32, ConfigError> {
    match raw {
        None => Ok(default),
        Some(n) if *n.get_ref() <= max => Ok(*n.get_ref()),
        Some(n) => Err(loc.at(n, key, format!("expected 0 to {max}, found {}", n.get_ref()))),
    }
}

fn logs(raw: &RawLogs, loc: &Locator<'_>) -> Result<LogsConfig, ConfigError> {
    let as_account = RawAccount::plain(&raw.account_id, raw.role.as_ref(), raw.region.as_ref());
    if let Some(location) = raw.output_location.as_ref().filter(|l| !l.get_ref().starts_with("s3://")) {
        return Err(loc.at(
            location,
            "logs.output_location",
            format!("expected an s3:// URI, found {:?}", location.get_ref()),
        ));
    }
    let reuse = match &raw.result_reuse_minutes {
        Some(m) if *m.get_ref() > 10_080 => {
            return Err(loc.at(
                m,
                "logs.result_reuse_minutes",
                format!("expected 0 (off) to 10080 (7 days), found {}", m.get_ref()),
            ))
        }
        Some(m) => *m.get_ref(),
        None => 0,
    };
    Ok(LogsConfig {
        access: account(&as_account, Some("SiloLogs"), "logs", loc)?,
        workgroup: raw.workgroup.clone().unwrap_or_else(|| "silo".into()),
        database: raw.database.clone().unwrap_or_else(|| "logs".into()),
        output_location: raw.output_location.as_ref().map(|l| l.get_ref().clone()),
        result_reuse_minutes: reuse,
        query_dirs: raw.query_dirs.iter().map(|d| expand_home(d)).collect(),
    })
}

/// `~/queries` → `$HOME/queries`.
fn expand_home(dir: &str) -> std::path::PathBuf {
    match (dir.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::PathBuf::from(home).join(rest),
        _ => std::path::PathBuf::from(dir),
    }
}

fn fetch(raw: &RawFetch, loc: &Locator<'_>) -> Result<FetchConfig, ConfigError> {
    let d = FetchConfig::default();
    let num = |v: &Option<Spanned<u32>>, key: &str, min: u32, max: u32, default: u64| -> Result<u64, ConfigError> {
        match v {
            None => Ok(default),
            Some(s) if (min..=max).contains(s.get_ref()) => Ok(u64::from(*s.get_ref())),
            Some(s) => {
                Err(loc.at(s, key, format!("expected a whole number from {min} to {max}, found {}", s.get_ref())))
            }
        }
    };
    Ok(FetchConfig {
        concurrency: num(&raw.concurrency, "fetch.concurrency", 1, 1024, d.concurrency as u64)? as usize,
        per_account_concurrency: num(
            &raw.per_account_concurrency,
            "fetch.per_account_concurrency",
            1,
            64,
            d.per_account_concurrency as u64,
        )? as usize,
        timeout: Duration::from_secs(num(&raw.timeout_secs, "fetch.timeout_secs", 1, 600, d.timeout.as_secs())?),
        max_attempts: num(&raw.max_attempts, "fetch.max_attempts", 1, 10, u64::from(d.max_attempts))? as u32,
        refresh_interval: Duration::from_secs(num(
            &raw.refresh_secs,
            "fetch.refresh_secs",
            5,
            86_400,
            d.refresh_interval.as_secs(),
        )?),
        write_timeout: Duration::from_secs(num(
            &raw.write_timeout_secs,
            "fetch.write_timeout_secs",
            1,
            600,
            d.write_timeout.as_secs(),
        )?),
    })
}
