//! The architecture as tests: the crate graph is the layering (read from `cargo metadata`), and
//! inside every crate no two top-level modules import each other, directly or round a loop.
//! docs/architecture.md describes the same rules; a failure prints the edge or the cycle.

#[path = "support/modules.rs"]
mod support_modules;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use support_modules::{cycles, module_graph};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Which silo crates each crate may depend on. Normal dependencies only: `[dev-dependencies]`
/// are checked by `DEV_ALLOWED`.
const ALLOWED: [(&str, &[&str]); 7] = [
    ("silo-core", &[]),
    ("silo-aws", &["silo-core"]),
    ("silo-demo", &["silo-core"]),
    ("silo-engine", &["silo-core"]),
    ("silo-tui", &["silo-core", "silo-engine"]),
    ("silo-fixtures", &["silo-core", "silo-demo"]),
    ("silo", &["silo-core", "silo-aws", "silo-demo", "silo-engine", "silo-tui"]),
];

/// Test-only edges: the demo (and the fixture store built on it) is test data for the engine and
/// the TUI; nothing below the binary sees the AWS layer, not even in its tests.
const DEV_ALLOWED: [(&str, &[&str]); 7] = [
    ("silo-core", &[]),
    ("silo-aws", &[]),
    ("silo-demo", &["silo-core"]),
    ("silo-engine", &["silo-demo"]),
    ("silo-tui", &["silo-demo", "silo-fixtures"]),
    ("silo-fixtures", &[]),
    ("silo", &["silo-fixtures"]),
];

/// Outside crates the core must not reach, directly or through anything it depends on.
const CORE_FORBIDDEN: [&str; 3] = ["tokio", "ratatui", "crossterm"];

fn metadata() -> Value {
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1"])
        .current_dir(ROOT)
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON")
}

/// (package, dependency name, kind) for every dependency of every workspace package.
fn workspace_edges(meta: &Value) -> Vec<(String, String, String)> {
    let members: BTreeSet<&str> =
        meta["workspace_members"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect();
    let mut edges = Vec::new();
    for package in meta["packages"].as_array().unwrap() {
        if !members.contains(package["id"].as_str().unwrap()) {
            continue;
        }
        let name = package["name"].as_str().unwrap().to_string();
        for dep in package["dependencies"].as_array().unwrap() {
            let kind = dep["kind"].as_str().unwrap_or("normal").to_string();
            edges.push((name.clone(), dep["name"].as_str().unwrap().to_string(), kind));
        }
    }
    edges
}

fn allowed(table: &[(&str, &[&str])], package: &str, dep: &str) -> bool {
    table.iter().find(|(p, _)| *p == package).is_some_and(|(_, deps)| deps.contains(&dep))
}

#[test]
fn the_crate_graph_is_the_layering() {
    let meta = metadata();
    let edges = workspace_edges(&meta);
    assert!(edges.iter().any(|(p, _, _)| p == "silo-core"), "the workspace has its crates");
    let wrong: Vec<String> = edges
        .iter()
        .filter(|(_, dep, _)| dep.starts_with("silo"))
        .filter(|(p, dep, kind)| match kind.as_str() {
            "dev" => !allowed(&DEV_ALLOWED, p, dep),
            _ => !allowed(&ALLOWED, p, dep),
        })
        .map(|(p, dep, kind)| format!("{p} -> {dep} ({kind})"))
        .collect();
    assert!(wrong.is_empty(), "dependencies outside the layering: {wrong:#?}");
}

#[test]
fn the_core_reaches_no_runtime_terminal_or_aws_sdk() {
    let meta = metadata();
    let nodes: BTreeMap<&str, &Value> =
        meta["resolve"]["nodes"].as_array().unwrap().iter().map(|n| (n["id"].as_str().unwrap(), n)).collect();
    let names: BTreeMap<&str, &str> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    let core = names.iter().find(|(_, n)| **n == "silo-core").map(|(id, _)| *id).expect("silo-core");
    let mut seen = BTreeSet::new();
    let mut todo = vec![core];
    while let Some(id) = todo.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes[id]["deps"].as_array().unwrap() {
            let normal = dep["dep_kinds"].as_array().unwrap().iter().any(|k| k["kind"].is_null());
            if normal {
                todo.push(dep["pkg"].as_str().unwrap());
            }
        }
    }
    let reached: Vec<&str> = seen
        .iter()
        .map(|id| names[id])
        .filter(|n| CORE_FORBIDDEN.contains(n) || n.starts_with("aws-") || (n.starts_with("silo") && *n != "silo-core"))
        .collect();
    assert!(reached.is_empty(), "silo-core reaches {reached:?}");
}

#[test]
fn no_crate_has_an_import_cycle_between_its_top_level_modules() {
    let crates = ["crates/core/src", "crates/aws/src", "crates/demo/src", "crates/engine/src", "crates/tui/src", "src"];
    let mut found = Vec::new();
    for dir in crates {
        let graph = module_graph(&Path::new(ROOT).join(dir));
        assert!(graph.len() >= 2, "{dir}: modules found");
        for cycle in cycles(&graph) {
            found.push(format!("{dir}: {}", cycle.join(" -> ")));
        }
    }
    assert!(found.is_empty(), "import cycles between top-level modules:\n{}", found.join("\n"));
}

/// Inside every crate no two files import each other, directly or round a loop: a module's
/// shared types live in a file of their own, not in a parent its children import while it calls
/// them. Re-exports (`pub use child::X`) are not imports.
#[test]
fn no_crate_has_an_import_cycle_between_its_files() {
    let crates = ["crates/core/src", "crates/aws/src", "crates/demo/src", "crates/engine/src", "crates/tui/src", "src"];
    let mut found = Vec::new();
    for dir in crates {
        let graph = support_modules::file_graph(&Path::new(ROOT).join(dir));
        for cycle in cycles(&graph) {
            found.push(format!("{dir}: {}", cycle.join(" -> ")));
        }
    }
    assert!(found.is_empty(), "import cycles between files:\n{}", found.join("\n"));
}

/// The reader of the file graph sees what it must: a parent that calls its child while the child
/// imports the parent is a loop; a re-export is not.
#[test]
fn the_file_graph_sees_a_parent_and_child_loop_and_leaves_re_exports_alone() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let src = dir.path();
    std::fs::create_dir_all(src.join("plan")).expect("plan/");
    let write = |file: &str, text: &str| std::fs::write(src.join(file), text).expect("a source file");
    write("lib.rs", "pub mod plan;\npub mod other;\n");
    write("plan/mod.rs", "mod kinds;\npub mod deploy;\npub use kinds::Kind;\npub fn all() { deploy::run() }\n");
    write("plan/kinds.rs", "pub struct Kind;\n");
    write("plan/deploy.rs", "use super::{kinds::Kind, Plan};\npub fn run() {}\n");
    write("other.rs", "use crate::plan::{deploy::run, kinds::Kind};\n");
    let graph = support_modules::file_graph(src);
    let edges = |n: &str| graph[n].iter().cloned().collect::<Vec<_>>();
    assert_eq!(edges("plan"), ["plan/deploy"], "the call is an edge, the re-export is not");
    assert_eq!(edges("plan/deploy"), ["plan", "plan/kinds"], "`super::Plan` is the parent, `super::kinds` its file");
    assert_eq!(edges("other"), ["plan/deploy", "plan/kinds"], "a use tree's braces are expanded");
    assert_eq!(cycles(&graph), [vec!["plan".to_string(), "plan/deploy".to_string(), "plan".to_string()]]);
}

/// No production function in any crate is longer than 80 lines (tests aside): a longer one does
/// several things, each of which deserves a name.
#[test]
fn no_production_function_is_longer_than_80_lines() {
    let crates = ["crates/core/src", "crates/aws/src", "crates/demo/src", "crates/engine/src", "crates/tui/src", "src"];
    let mut long = Vec::new();
    for dir in crates {
        for (path, text) in support_modules::production_files(&Path::new(ROOT).join(dir)) {
            let code = support_modules::production_code(&text);
            for (name, lines) in support_modules::function_lengths(&code).into_iter().filter(|(_, n)| *n > 80) {
                long.push(format!("{}: fn {name} is {lines} lines", path.display()));
            }
        }
    }
    assert!(long.is_empty(), "functions over 80 lines:\n{}", long.join("\n"));
}

#[test]
fn headless_commands_never_use_the_tui() {
    let headless = support_modules::files_under(&Path::new(ROOT).join("src/headless"));
    let offenders: Vec<String> = headless
        .iter()
        .filter(|(_, text)| text.contains("silo_tui"))
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "headless code uses the TUI: {offenders:?}");
}

#[test]
fn screens_popups_and_widgets_never_name_the_app() {
    let mut offenders = Vec::new();
    for dir in ["crates/tui/src/screens", "crates/tui/src/modals", "crates/tui/src/widgets"] {
        for (path, text) in support_modules::files_under(&Path::new(ROOT).join(dir)) {
            let code = support_modules::production_code(&text);
            if support_modules::names_word(&code, "App") || code.contains("crate::app") {
                offenders.push(path.display().to_string());
            }
        }
    }
    assert!(offenders.is_empty(), "these draw or decide from the App instead of the context: {offenders:?}");
}

/// `update` and what it calls stay small: no function in the app's update and fetch modules is
/// longer than 60 lines, and applying a fetch result is one `match` over the event.
#[test]
fn update_is_short_functions_and_the_fetch_arm_is_one_match() {
    for file in ["crates/tui/src/app/update.rs", "crates/tui/src/app/fetch.rs"] {
        let text = std::fs::read_to_string(Path::new(ROOT).join(file)).expect("app source");
        for (name, lines) in support_modules::function_lengths(&support_modules::production_code(&text)) {
            assert!(lines <= 60, "{file}: fn {name} is {lines} lines (at most 60)");
        }
    }
    let fetch = std::fs::read_to_string(Path::new(ROOT).join("crates/tui/src/app/fetch.rs")).expect("fetch.rs");
    assert_eq!(fetch.matches("match event").count(), 1, "fetch results are applied in one match");
}

/// The `App` is the store, the screen states in one value, the session in another and the flags
/// of this run: at most 25 fields, so that a new screen or setting does not widen it.
#[test]
fn the_app_keeps_at_most_25_fields() {
    let text = std::fs::read_to_string(Path::new(ROOT).join("crates/tui/src/app/mod.rs")).expect("app/mod.rs");
    let body = text.split("pub struct App {").nth(1).and_then(|rest| rest.split("\n}").next()).expect("struct App");
    let fields = body.lines().filter(|l| !l.trim_start().starts_with("//") && l.contains(':')).count();
    assert!((10..=25).contains(&fields), "App has {fields} fields (at most 25; fewer than 10 means it was misread)");
}

/// A screen is drawn, given its key hints and its commands through the screen registry: the frame,
/// `update` and the context name no screen module but the registry.
#[test]
fn the_frame_and_update_reach_screens_only_through_the_registry() {
    for file in ["crates/tui/src/frame.rs", "crates/tui/src/app/update.rs", "crates/tui/src/context.rs"] {
        let text = std::fs::read_to_string(Path::new(ROOT).join(file)).expect("tui source");
        let code = support_modules::production_code(&text);
        let named: Vec<&str> = code
            .match_indices("screens::")
            .map(|(at, _)| code[at + 9..].split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or(""))
            .filter(|module| *module != "registry")
            .collect();
        assert!(named.is_empty(), "{file} names screen modules {named:?} instead of the registry");
    }
}
