//! The registries both sources keep in step: the AWS source and the demo read the same fleet
//! columns in the same order (the table, the card and the reports follow that order), each name
//! in the JSON and CSV contracts is new, and the fixture store shows what both register.

use silo_core::column::ColumnSpec;
use std::collections::HashSet;

fn names(registry: &[ColumnSpec]) -> Vec<&'static str> {
    registry.iter().map(|s| s.name).collect()
}

fn aws() -> Vec<ColumnSpec> {
    silo_aws::columns::COLUMNS.iter().map(|(spec, _)| *spec).collect()
}

fn demo() -> Vec<ColumnSpec> {
    silo_demo::columns::COLUMNS.iter().map(|(spec, _)| *spec).collect()
}

#[test]
fn aws_and_the_demo_register_the_same_columns_in_the_same_order() {
    assert_eq!(names(&aws()), names(&demo()));
    assert_eq!(names(&aws()), names(&silo_fixtures::columns()), "the fixture store shows every column");
}

#[test]
fn every_column_adds_new_names_to_the_contracts() {
    let mut csv_seen: HashSet<&str> = silo_core::report::CSV_COLUMNS.into_iter().collect();
    let typed_json = ["name", "account_id", "region", "health", "alarms", "service", "findings", "spend", "errors"];
    let mut json_seen: HashSet<&str> = typed_json.into_iter().chain(["data_at"]).collect();
    for spec in aws() {
        assert!(json_seen.insert(spec.json), "JSON field {} of column {} is taken", spec.json, spec.name);
        for csv in spec.csv {
            assert!(csv_seen.insert(csv), "CSV column {csv} of column {} is taken", spec.name);
        }
    }
    let store_names: HashSet<&str> = names(&aws()).into_iter().collect();
    assert_eq!(store_names.len(), aws().len(), "store names are unique");
}

#[test]
fn per_tenant_and_org_wide_columns_are_read_where_their_reader_says() {
    use silo_core::column::Scope;
    for ((spec, aws_read), (_, demo_read)) in silo_aws::columns::COLUMNS.iter().zip(silo_demo::columns::COLUMNS) {
        let aws_org = matches!(aws_read, silo_aws::columns::ColumnReader::OrgWide { .. });
        let demo_org = matches!(demo_read, silo_demo::columns::ColumnReader::OrgWide(_));
        let spec_org = spec.scope == Scope::OrgWide;
        assert_eq!((aws_org, demo_org), (spec_org, spec_org), "{}: the readers follow the spec's scope", spec.name);
    }
}
