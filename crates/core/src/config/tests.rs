use super::*;
use std::path::Path;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("/etc/silo.toml"))
}

fn invalid(text: &str) -> (usize, String, String) {
    match parse(text) {
        Err(ConfigError::Invalid { line, key, message, .. }) => (line, key, message),
        other => panic!("expected an invalid-config error, got {other:?}"),
    }
}

#[test]
fn shipped_example_parses_with_every_section() {
    let text = include_str!("../../../../docs/silo.example.toml");
    let config = parse(text).expect("docs/silo.example.toml must parse");
    assert_eq!(config.region.as_deref(), Some("sa-east-1"));
    assert_eq!(config.tenants, TenantSource::Organizations { ou: "Tenants".into(), name_tag: "tenant".into() });
    assert_eq!(config.read_role, "SiloReadOnly");
    assert_eq!(config.audit.as_ref().map(|a| a.account_id.as_str()), Some("222222222222"));
    assert_eq!(config.billing.as_ref().and_then(|b| b.access.role.clone()), None);
    assert_eq!(config.billing.as_ref().map(|b| b.tenant_budgets), Some(false));
    assert_eq!(config.logs.as_ref().map(|l| l.workgroup.as_str()), Some("silo"));
    assert_eq!(config.fetch.per_account_concurrency, 4);
}

#[test]
fn missing_key_names_key_and_line() {
    let (line, key, message) = invalid("region = \"us-east-1\"\n[tenants]\nsource = \"organizations\"\n");
    assert_eq!(key, "tenants.ou");
    assert_eq!(line, 3);
    assert!(message.contains("required"), "{message}");
}

#[test]
fn missing_field_in_static_entry_is_named() {
    let text = "[tenants]\nsource = \"static\"\n[[tenants.static]]\nname = \"acme\"\n";
    let (_, key, message) = invalid(text);
    assert!(key.ends_with("account_id"), "{key}");
    assert!(message.contains("missing field `account_id`"), "{message}");
}

#[test]
fn wrong_type_names_key_and_expected_type() {
    let text = "[tenants]\nsource = \"static\"\n[[tenants.static]]\nname = \"a\"\naccount_id = \"111122223333\"\n[fetch]\nconcurrency = \"lots\"\n";
    let (line, key, message) = invalid(text);
    assert_eq!(key, "fetch.concurrency");
    assert_eq!(line, 7);
    assert!(message.contains("invalid type"), "{message}");
}

#[test]
fn unknown_key_is_refused_with_its_name() {
    let text = "[tenants]\nsource = \"organizations\"\nou = \"T\"\nread_rol = \"X\"\n";
    let (line, key, message) = invalid(text);
    assert_eq!(key, "tenants.read_rol");
    assert_eq!(line, 4);
    assert!(message.contains("unknown field `read_rol`"), "{message}");
    assert!(message.contains("read_role"), "the expected keys are listed: {message}");
}

#[test]
fn bad_pattern_is_refused_with_line() {
    let text = "[tenants]\nsource = \"organizations\"\nou = \"T\"\n\necs_cluster = \"{tenat}-prod\"\n";
    let (line, key, message) = invalid(text);
    assert_eq!((line, key.as_str()), (5, "tenants.ecs_cluster"));
    assert!(message.contains("unknown placeholder `{tenat}`"), "{message}");
}

#[test]
fn bad_account_id_and_unknown_source_are_refused() {
    let text = "[tenants]\nsource = \"static\"\n[[tenants.static]]\nname = \"a\"\naccount_id = \"12345\"\n";
    let (line, key, _) = invalid(text);
    assert_eq!((line, key.as_str()), (5, "tenants.static[0].account_id"));
    let (_, key, message) = invalid("[tenants]\nsource = \"ldap\"\n");
    assert_eq!(key, "tenants.source");
    assert!(message.contains("organizations") && message.contains("static"), "{message}");
}

#[test]
fn out_of_range_number_is_refused() {
    let text = "[tenants]\nsource = \"organizations\"\nou = \"T\"\n[fetch]\nper_account_concurrency = 0\n";
    let (line, key, message) = invalid(text);
    assert_eq!((line, key.as_str()), (5, "fetch.per_account_concurrency"));
    assert!(message.contains("from 1 to 64"), "{message}");
}

#[test]
fn syntax_error_reports_line() {
    let (line, _, _) = invalid("[tenants]\nsource = \"static\"\nname = \n");
    assert_eq!(line, 3);
}

#[test]
fn error_message_names_the_file() {
    let err = parse("[tenants]\nsource = 3\n").unwrap_err();
    assert!(err.to_string().starts_with("/etc/silo.toml:2: `tenants.source`"), "{err}");
}

#[test]
fn patterns_resolve_per_tenant() {
    let text = "region = \"eu-west-1\"\n[tenants]\nsource = \"organizations\"\nou = \"T\"\necs_cluster = \"{tenant}-{account_id}\"\n";
    let config = parse(text).unwrap();
    let t = config.tenant("acme", "111122223333", None);
    assert_eq!(
        (t.ecs_cluster.as_str(), t.ecs_service.as_str(), t.region.as_str()),
        ("acme-111122223333", "app", "eu-west-1")
    );
}

#[test]
fn configuration_doc_shows_the_shipped_example_verbatim() {
    let doc = include_str!("../../../../docs/configuration.md");
    let example = include_str!("../../../../docs/silo.example.toml");
    assert!(doc.contains(example), "docs/configuration.md must embed docs/silo.example.toml as it is");
}

#[test]
fn pipelines_render_per_tenant_and_static_entries_override_them() {
    let text = "[tenants]\nsource = \"static\"\npipeline = \"{tenant}-release\"\npipeline_stage = \"Production\"\npipeline_account = \"555555555555\"\nread_only = [\"globex\"]\n\
        [[tenants.static]]\nname = \"acme\"\naccount_id = \"111111111111\"\n\
        [[tenants.static]]\nname = \"initech\"\naccount_id = \"333333333333\"\npipeline = \"legacy\"\npipeline_stage = \"Deploy\"\nread_only = true\n";
    let config = parse(text).unwrap();
    let acme = config.tenant("acme", "111111111111", None);
    let stage = config.pipeline_for(&acme).unwrap();
    assert_eq!(
        (stage.pipeline.as_str(), stage.stage.as_str(), stage.account_id.as_str()),
        ("acme-release", "Production", "555555555555")
    );
    let initech = config.tenant("initech", "333333333333", None);
    let own = config.pipeline_for(&initech).unwrap();
    assert_eq!((own.pipeline.as_str(), own.stage.as_str()), ("legacy", "Deploy"));
    let tenants = [("acme", "111111111111"), ("globex", "222222222222"), ("initech", "333333333333")]
        .map(|(n, id)| config.tenant(n, id, None));
    let mut protected: Vec<String> = config.protection(Some(&tenants)).unwrap().read_only.into_iter().collect();
    protected.sort();
    assert_eq!(protected, vec!["222222222222", "333333333333"]);
}

#[test]
fn a_pipeline_two_tenants_render_alike_is_nobodys() {
    let text = "[tenants]\nsource = \"organizations\"\nou = \"T\"\npipeline = \"{tenant}-release\"\npipeline_stage = \"Prod\"\npipeline_account = \"555555555555\"\n";
    let config = parse(text).unwrap();
    let listed = [("acme", "111111111111"), ("acme", "222222222222"), ("globex", "333333333333")]
        .map(|(n, id)| config.tenant(n, id, None));
    let why = config.pipeline_shared(&listed[0], &listed).expect("acme's pipeline is shared");
    assert!(why.starts_with("pipeline acme-release in 555555555555 is also acme's (222222222222)"), "{why}");
    assert_eq!(config.pipeline_shared(&listed[2], &listed), None);
    let by_id = parse(&text.replace("{tenant}-release", "{account_id}-release")).unwrap();
    assert_eq!(by_id.pipeline_shared(&listed[0], &listed), None, "account ids never collide");
}

#[test]
fn without_pipeline_no_freeze_is_possible_and_a_stage_alone_is_an_error() {
    let config = parse("[tenants]\nsource = \"organizations\"\nou = \"T\"\n").unwrap();
    assert_eq!(config.pipeline_for(&config.tenant("acme", "111111111111", None)), None);
    let (line, key, message) =
        invalid("[tenants]\nsource = \"organizations\"\nou = \"T\"\npipeline_stage = \"Prod\"\n");
    assert_eq!((line, key.as_str()), (4, "tenants.pipeline"));
    assert!(message.contains("pipeline_stage needs pipeline"), "{message}");
    let (_, key, message) = invalid("[tenants]\nsource = \"organizations\"\nou = \"T\"\npipeline = \"{tenant}-x\"\n");
    assert_eq!(key, "tenants.pipeline_stage");
    assert!(message.contains("required with tenants.pipeline"), "{message}");
    let (_, key, _) =
        invalid("[tenants]\nsource = \"organizations\"\nou = \"T\"\npipeline = \"{tenant\"\npipeline_stage = \"P\"\n");
    assert_eq!(key, "tenants.pipeline");
    let (_, key, message) = invalid(
        "[tenants]\nsource = \"organizations\"\nou = \"T\"\npipeline = \"p\"\npipeline_stage = \"P\"\npipeline_account = \"12\"\n",
    );
    assert_eq!(key, "tenants.pipeline_account");
    assert!(message.contains("12-digit"), "{message}");
}

#[test]
fn a_misspelled_region_is_refused_with_its_line_wherever_it_is() {
    let (line, key, message) = invalid("region = \"us-east-1\"\n[tenants]\nsource = \"organizations\"\nou = \"T\"\n[logs]\naccount_id = \"111122223333\"\nregion = \"us-east1\"\n");
    assert_eq!((line, key.as_str()), (7, "logs.region"));
    assert!(message.contains("expected a region such as us-east-1, found \"us-east1\""), "{message}");
    let (line, key, _) = invalid("region = \"US-EAST-1\"\n[tenants]\nsource = \"organizations\"\nou = \"T\"\n");
    assert_eq!((line, key.as_str()), (1, "region"));
    for good in ["us-east-1", "us-gov-west-1", "cn-northwest-1", "ap-southeast-5", "il-central-1"] {
        assert!(super::is_region(good), "{good}");
    }
    for bad in ["us-east", "useast-1", "us--1", "us-east-1a", ""] {
        assert!(!super::is_region(bad), "{bad}");
    }
}

#[test]
fn the_suspect_window_is_configurable_within_a_day() {
    let base = "[tenants]\nsource = \"organizations\"\nou = \"T\"\n";
    let config = parse(&format!("{base}[timeline]\nsuspect_minutes = 45\n")).unwrap();
    assert_eq!(config.suspect_window, std::time::Duration::from_secs(45 * 60));
    assert_eq!(parse(base).unwrap().suspect_window, super::DEFAULT_SUSPECT_WINDOW);
    let (line, key, message) = invalid(&format!("{base}[timeline]\nsuspect_minutes = 0\n"));
    assert_eq!((line, key.as_str()), (5, "timeline.suspect_minutes"));
    assert!(message.contains("expected 1 to 1440 minutes, found 0"), "{message}");
}

const TENANTS: &str = "[tenants]\nsource = \"organizations\"\nou = \"T\"\n";

#[test]
fn security_hubs_complete_read_interval_is_configurable_within_a_day() {
    let audit = |extra: &str| format!("{TENANTS}[audit]\naccount_id = \"222222222222\"\n{extra}");
    let full_read = |text: &str| parse(text).unwrap().audit.map(|a| a.full_read);
    assert_eq!(full_read(&audit("")), Some(super::DEFAULT_FULL_READ));
    assert_eq!(full_read(&audit("full_read_minutes = 0\n")), Some(std::time::Duration::ZERO));
    let (line, key, message) = invalid(&audit("full_read_minutes = 1441\n"));
    assert_eq!((line, key.as_str()), (6, "audit.full_read_minutes"));
    assert!(message.contains("expected 0 to 1440 minutes, found 1441"), "{message}");
}

#[test]
fn findings_kept_per_tenant_are_configurable_within_bounds() {
    let audit = |extra: &str| format!("{TENANTS}[audit]\naccount_id = \"222222222222\"\n{extra}");
    let kept = |text: &str| parse(text).unwrap().audit.map(|a| a.findings_per_tenant);
    assert_eq!(kept(&audit("")), Some(crate::findings::DEFAULT_PER_ACCOUNT));
    assert_eq!(kept(&audit("findings_per_tenant = 2000\n")), Some(2000));
    let (line, key, message) = invalid(&audit("findings_per_tenant = 5\n"));
    assert_eq!((line, key.as_str()), (6, "audit.findings_per_tenant"));
    assert!(message.contains("expected 10 to 100000 findings, found 5"), "{message}");
}

#[test]
fn health_and_compliance_sections_take_their_default_roles() {
    let text = format!(
        "{TENANTS}[health]\naccount_id = \"111111111111\"\n[compliance]\naggregator = \" org \"\naccount_id = \"111111111111\"\nregion = \"us-east-1\"\n"
    );
    let config = parse(&text).expect("valid");
    assert_eq!(config.health.as_ref().and_then(|h| h.role.as_deref()), Some("SiloHealth"));
    let compliance = config.compliance.expect("compliance");
    assert_eq!(compliance.aggregator, "org");
    assert_eq!(compliance.access.role.as_deref(), Some("SiloCompliance"));
    assert_eq!(compliance.access.region.as_deref(), Some("us-east-1"));
}

#[test]
fn an_empty_aggregator_names_its_key_and_line_and_health_takes_no_region() {
    let empty = format!("{TENANTS}[compliance]\naggregator = \"\"\naccount_id = \"111111111111\"\n");
    let (line, key, message) = invalid(&empty);
    assert_eq!((line, key.as_str()), (5, "compliance.aggregator"));
    assert!(message.contains("name of the organization's Config aggregator"), "{message}");
    let regional = format!("{TENANTS}[health]\naccount_id = \"111111111111\"\nregion = \"sa-east-1\"\n");
    let (line, key, message) = invalid(&regional);
    assert_eq!((line, key.as_str()), (6, "health.region"));
    assert!(message.contains("unknown field `region`"), "{message}");
}

#[test]
fn releases_names_its_registry_repository_and_pipelines_and_takes_its_default_role() {
    let text = format!(
        "{TENANTS}[releases]\naccount_id = \"123456789012\"\nregion = \"sa-east-1\"\nrepository = \"opsfactor/app\"\npipelines = [\"app-build\", \"app-hotfix\"]\n"
    );
    let releases = parse(&text).expect("valid").releases.expect("releases");
    assert_eq!(releases.repository, "opsfactor/app");
    assert_eq!(releases.pipelines, ["app-build", "app-hotfix"]);
    assert_eq!(releases.access.role.as_deref(), Some("SiloReleases"));
    assert_eq!(releases.access.region.as_deref(), Some("sa-east-1"));
}

#[test]
fn a_repository_or_pipeline_name_aws_would_refuse_names_its_key_and_line() {
    let upper = format!("{TENANTS}[releases]\naccount_id = \"123456789012\"\nrepository = \"OpsFactor/App\"\n");
    let (line, key, message) = invalid(&upper);
    assert_eq!((line, key.as_str()), (6, "releases.repository"));
    assert!(message.contains("lowercase letters and digits"), "{message}");
    let spaced = format!(
        "{TENANTS}[releases]\naccount_id = \"123456789012\"\nrepository = \"opsfactor/app\"\npipelines = [\"app build\"]\n"
    );
    let (line, key, message) = invalid(&spaced);
    assert_eq!((line, key.as_str()), (7, "releases.pipelines"));
    assert!(message.contains("found \"app build\""), "{message}");
}

#[test]
fn a_critical_threshold_out_of_range_names_its_key_and_line_and_the_default_is_one() {
    let section = "[releases]\naccount_id = \"123456789012\"\nrepository = \"opsfactor/app\"\n";
    let default = parse(&format!("{TENANTS}{section}")).expect("valid").releases.expect("releases");
    assert_eq!(default.critical_threshold, 1);
    let (line, key, message) = invalid(&format!("{TENANTS}{section}critical_threshold = 5000\n"));
    assert_eq!((line, key.as_str()), (7, "releases.critical_threshold"));
    assert!(message.ends_with("expected 0 to 1000, found 5000"), "{message}");
}

#[test]
fn inspector_is_off_and_a_scan_old_after_30_days_unless_set_and_a_bad_age_names_its_line() {
    let section = "[releases]\naccount_id = \"123456789012\"\nrepository = \"opsfactor/app\"\n";
    let default = parse(&format!("{TENANTS}{section}")).expect("valid").releases.expect("releases");
    assert_eq!((default.inspector, default.stale_scan_days), (false, 30));
    let set = parse(&format!("{TENANTS}{section}inspector = true\nstale_scan_days = 0\n")).expect("valid");
    let set = set.releases.expect("releases");
    assert_eq!((set.inspector, set.stale_scan_days), (true, 0));
    let (line, key, message) = invalid(&format!("{TENANTS}{section}stale_scan_days = 9999\n"));
    assert_eq!((line, key.as_str()), (7, "releases.stale_scan_days"));
    assert!(message.ends_with("expected 0 to 3650, found 9999"), "{message}");
}

#[test]
fn governance_names_the_management_account_and_home_region_with_its_default_role() {
    let text = format!("{TENANTS}[governance]\naccount_id = \"111111111111\"\nregion = \"us-east-1\"\n");
    let governance = parse(&text).expect("valid").governance.expect("governance");
    assert_eq!(governance.role.as_deref(), Some("SiloGovernance"));
    assert_eq!(governance.region.as_deref(), Some("us-east-1"));
    let (line, key, message) = invalid(&format!("{TENANTS}[governance]\naccount_id = \"12345\"\n"));
    assert_eq!((line, key.as_str()), (5, "governance.account_id"));
    assert!(message.contains("expected a 12-digit AWS account id"), "{message}");
}

#[test]
fn the_operators_zone_is_the_configured_one_else_tz_else_utc_and_a_bad_name_names_its_line() {
    let text = format!("zone = \"America/Sao_Paulo\"\n{TENANTS}");
    let zone = parse(&text).expect("valid").zone;
    assert_eq!(zone, Some(chrono_tz::America::Sao_Paulo));
    assert_eq!(super::operator_zone(zone, Some("Europe/Berlin")), chrono_tz::America::Sao_Paulo);
    assert_eq!(super::operator_zone(None, Some(":Europe/Berlin")), chrono_tz::Europe::Berlin);
    assert_eq!(super::operator_zone(None, Some("nonsense")), chrono_tz::UTC);
    assert_eq!(super::operator_zone(None, None), chrono_tz::UTC);
    let (line, key, message) = invalid(&format!("zone = \"Mars/Olympus\"\n{TENANTS}"));
    assert_eq!((line, key.as_str()), (1, "zone"));
    assert!(message.contains("expected an IANA time zone"), "{message}");
}
