//! A small reader of a crate's module graph, for the architecture test: which top-level module
//! refers to which (`crate::x`, or `super::x` that climbs to the crate root), leaving out test
//! code (files declared `#[cfg(test)] mod …;` and inline `#[cfg(test)] mod … { … }` blocks) and
//! comments.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub type Graph = BTreeMap<String, BTreeSet<String>>;

/// Every `.rs` file under `dir` with its text.
pub fn files_under(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("readable source directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("readable source file");
                out.push((path, text));
            }
        }
    }
    out.sort();
    out
}

/// Every `.rs` file under `src` that is not test code (a file declared `#[cfg(test)] mod …;`).
pub fn production_files(src: &Path) -> Vec<(PathBuf, String)> {
    let files = files_under(src);
    let tests: Vec<Vec<String>> = files.iter().flat_map(|(f, text)| test_modules(&module_path(src, f), text)).collect();
    files.into_iter().filter(|(f, _)| !tests.iter().any(|t| module_path(src, f).starts_with(t))).collect()
}

/// The module path of a file: `lib.rs` → [], `a.rs` and `a/mod.rs` → [a], `a/b.rs` → [a, b].
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("file under src");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    let root_file = parts.is_empty() && (last == "lib.rs" || last == "main.rs");
    if last != "mod.rs" && !root_file {
        parts.push(last.trim_end_matches(".rs").to_string());
    }
    parts
}

/// Modules declared `#[cfg(test)] mod name;` in this file, as full module paths.
fn test_modules(path: &[String], text: &str) -> Vec<Vec<String>> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let decl = line.strip_prefix("pub ").unwrap_or(line);
        let Some(name) = decl.strip_prefix("mod ").and_then(|r| r.strip_suffix(';')) else { continue };
        let attrs = lines[..i].iter().rev().take_while(|l| l.starts_with("#["));
        if attrs.into_iter().any(|a| a.starts_with("#[cfg(test)]")) {
            let mut full = path.to_vec();
            full.push(name.trim().to_string());
            out.push(full);
        }
    }
    out
}

/// The text without line comments and without inline `#[cfg(test)] mod … {` blocks (by
/// convention the last thing in a file, so everything from there on is dropped).
pub fn production_code(text: &str) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        let next = lines.get(i + 1).map(|l| l.trim()).unwrap_or("");
        if trimmed == "#[cfg(test)]" && next.contains("mod ") && next.ends_with('{') {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        out.push_str(line.split(" // ").next().unwrap_or(""));
        out.push('\n');
    }
    out
}

/// The top-level modules a file's code refers to.
fn references(path: &[String], code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        out.insert(ident(&code[at + "crate::".len()..]));
    }
    for (at, _) in code.match_indices("super::") {
        if code[..at].ends_with("super::") || code[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric()) {
            continue;
        }
        let mut rest = &code[at..];
        let mut climbs = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            climbs += 1;
            rest = r;
        }
        match path.len().checked_sub(climbs) {
            Some(0) => {
                out.insert(ident(rest));
            }
            Some(_) => {
                out.insert(path[0].clone());
            }
            None => {}
        }
    }
    out
}

fn ident(text: &str) -> String {
    text.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
}

/// Top-level module → the other top-level modules its production code refers to.
pub fn module_graph(src: &Path) -> Graph {
    let files = files_under(src);
    let tests: Vec<Vec<String>> = files.iter().flat_map(|(f, text)| test_modules(&module_path(src, f), text)).collect();
    let mut graph = Graph::new();
    for (file, text) in &files {
        let path = module_path(src, file);
        if path.is_empty() || tests.iter().any(|t| path.starts_with(t)) {
            continue;
        }
        graph.entry(path[0].clone()).or_default();
        for target in references(&path, &production_code(text)) {
            if target != path[0] {
                graph.entry(path[0].clone()).or_default().insert(target);
            }
        }
    }
    let known: BTreeSet<String> = graph.keys().cloned().collect();
    graph.values_mut().for_each(|targets| targets.retain(|t| known.contains(t)));
    graph
}

/// Every loop in the graph, one per group of modules that reach each other (Tarjan's strongly
/// connected components), written as a path that returns to its start.
pub fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    let mut state = Tarjan { graph, index: BTreeMap::new(), low: BTreeMap::new(), stack: vec![], groups: vec![] };
    for node in graph.keys() {
        if !state.index.contains_key(node.as_str()) {
            state.visit(node);
        }
    }
    state.groups.into_iter().filter(|g| g.len() > 1).map(|g| loop_through(graph, &g)).collect()
}

struct Tarjan<'a> {
    graph: &'a Graph,
    index: BTreeMap<&'a str, usize>,
    low: BTreeMap<&'a str, usize>,
    stack: Vec<&'a str>,
    groups: Vec<BTreeSet<String>>,
}

impl<'a> Tarjan<'a> {
    fn visit(&mut self, node: &'a str) {
        let n = self.index.len();
        self.index.insert(node, n);
        self.low.insert(node, n);
        self.stack.push(node);
        for next in &self.graph[node] {
            if !self.index.contains_key(next.as_str()) {
                self.visit(next);
                let low = self.low[node].min(self.low[next.as_str()]);
                self.low.insert(node, low);
            } else if self.stack.contains(&next.as_str()) {
                let low = self.low[node].min(self.index[next.as_str()]);
                self.low.insert(node, low);
            }
        }
        if self.low[node] == self.index[node] {
            let mut group = BTreeSet::new();
            while let Some(top) = self.stack.pop() {
                group.insert(top.to_string());
                if top == node {
                    break;
                }
            }
            self.groups.push(group);
        }
    }
}

/// A shortest path from the group's first module back to itself, staying inside the group.
fn loop_through(graph: &Graph, group: &BTreeSet<String>) -> Vec<String> {
    let start = group.iter().next().cloned().unwrap_or_default();
    let mut previous: BTreeMap<String, String> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start.clone()]);
    while let Some(node) = queue.pop_front() {
        for next in graph[&node].iter().filter(|n| group.contains(*n)) {
            if *next == start {
                let mut path = vec![node.clone()];
                while let Some(p) = previous.get(path.last().unwrap_or(&start)) {
                    path.push(p.clone());
                }
                path.reverse();
                if path.first() != Some(&start) {
                    path.insert(0, start.clone());
                }
                path.push(start.clone());
                return path;
            }
            if !previous.contains_key(next) && *next != start {
                previous.insert(next.clone(), node.clone());
                queue.push_back(next.clone());
            }
        }
    }
    group.iter().cloned().collect()
}

/// Whether `word` occurs in `code` as a whole identifier.
pub fn names_word(code: &str, word: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    code.match_indices(word).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + word.len()..].chars().next();
        !before.is_some_and(ident) && !after.is_some_and(ident)
    })
}

/// What follows `fn ` on a line that declares a function (any visibility, `const`, `async`).
fn fn_name_start(line: &str) -> Option<&str> {
    let mut rest = line.trim_start();
    if let Some(r) = rest.strip_prefix("pub") {
        rest = match r.strip_prefix('(') {
            Some(inner) => inner.split_once(')')?.1.trim_start(),
            None => r.trim_start(),
        };
    }
    for qualifier in ["const ", "async ", "unsafe "] {
        rest = rest.strip_prefix(qualifier).unwrap_or(rest);
    }
    rest.strip_prefix("fn ")
}

/// (name, lines) of every function in `code`, from its `fn` line to its closing brace (found by
/// counting braces, which is enough for this code base: no braces in its strings matter here).
pub fn function_lengths(code: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = fn_name_start(line) else { continue };
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let mut depth = 0i32;
        let mut opened = false;
        for (j, body) in lines[i..].iter().enumerate() {
            depth += body.matches('{').count() as i32 - body.matches('}').count() as i32;
            opened |= body.contains('{');
            if opened && depth <= 0 {
                out.push((name.clone(), j + 1));
                break;
            }
        }
    }
    out
}

/// File → the files its production code refers to, each file named by its module path (`plan`,
/// `plan/deploy`, `lib` for the crate root). A reference is `crate::…`, `super::…` or `self::…`
/// (use trees with braces expanded) or a child module named as `child::…` in its parent, and goes
/// to the deepest module of its path that is a file. A `pub use` of a child's items is not an
/// edge: re-exporting is how a parent shows its children, not something it depends on.
pub fn file_graph(src: &Path) -> Graph {
    let files = files_under(src);
    let tests: Vec<Vec<String>> = files.iter().flat_map(|(f, text)| test_modules(&module_path(src, f), text)).collect();
    let sources: Vec<(Vec<String>, String)> = files
        .iter()
        .map(|(f, text)| (module_path(src, f), production_code(text)))
        .filter(|(path, _)| !tests.iter().any(|t| path.starts_with(t)))
        .collect();
    let known: BTreeSet<Vec<String>> = sources.iter().map(|(p, _)| p.clone()).collect();
    let mut graph = Graph::new();
    for (path, code) in &sources {
        let targets = file_references(path, code, &known);
        let name = node_name(path);
        let edges = graph.entry(name).or_default();
        edges.extend(targets.iter().filter(|t| *t != path).map(|t| node_name(t)));
    }
    graph
}

fn node_name(path: &[String]) -> String {
    if path.is_empty() {
        "lib".to_string()
    } else {
        path.join("/")
    }
}

/// The known modules one file's code refers to.
fn file_references(path: &[String], code: &str, known: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    let children: Vec<&Vec<String>> =
        known.iter().filter(|k| k.len() == path.len() + 1 && k.starts_with(path)).collect();
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let trimmed = line.trim_start();
        let reexport = trimmed.starts_with("pub use ") || trimmed.starts_with("pub(crate) use ");
        for target in line_references(path, line, known) {
            let into_child = target.len() > path.len() && target.starts_with(path);
            if !(reexport && into_child) {
                out.insert(target);
            }
        }
        if !reexport {
            let named = children.iter().filter(|c| starts_a_path(line, c.last().map(String::as_str).unwrap_or("")));
            out.extend(named.map(|c| (*c).clone()));
        }
    }
    out
}

/// Whether `name::` occurs in `line` at the start of a path (not after `::` or inside a word).
fn starts_a_path(line: &str, name: &str) -> bool {
    let pattern = format!("{name}::");
    line.match_indices(&pattern).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
    })
}

fn line_references(path: &[String], line: &str, known: &BTreeSet<Vec<String>>) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for anchor in ["crate::", "super::", "self::"] {
        for (at, _) in line.match_indices(anchor) {
            let before = line[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let (base, rest) = base_of(path, anchor, &line[at + anchor.len()..]);
            let Some(base) = base else { continue };
            for tail in use_tree(rest) {
                let full: Vec<String> = base.iter().cloned().chain(tail).collect();
                if let Some(found) = (1..=full.len()).rev().map(|n| full[..n].to_vec()).find(|p| known.contains(p)) {
                    out.push(found);
                }
            }
        }
    }
    out
}

/// The module a path starting with `anchor` is relative to, and the rest of the path.
fn base_of<'a>(path: &[String], anchor: &str, mut rest: &'a str) -> (Option<Vec<String>>, &'a str) {
    match anchor {
        "crate::" => (Some(Vec::new()), rest),
        "self::" => (Some(path.to_vec()), rest),
        _ => {
            let mut base = path.to_vec();
            base.pop();
            while let Some(r) = rest.strip_prefix("super::") {
                if base.pop().is_none() {
                    return (None, rest);
                }
                rest = r;
            }
            (Some(base), rest)
        }
    }
}

/// The paths of a use tree (`a::{b, c::d}` → `a::b`, `a::c::d`), as segments.
fn use_tree(text: &str) -> Vec<Vec<String>> {
    let mut chars = text.chars().peekable();
    tree(&mut chars, Vec::new())
}

fn tree(chars: &mut std::iter::Peekable<std::str::Chars>, prefix: Vec<String>) -> Vec<Vec<String>> {
    let mut current = prefix;
    loop {
        skip_blanks(chars);
        if chars.peek() == Some(&'{') {
            chars.next();
            let mut out = Vec::new();
            loop {
                out.extend(tree(chars, current.clone()));
                skip_blanks(chars);
                match chars.next() {
                    Some(',') => continue,
                    _ => return out,
                }
            }
        }
        let name: String = std::iter::from_fn(|| chars.next_if(|c| c.is_alphanumeric() || *c == '_')).collect();
        if name.is_empty() {
            return vec![current];
        }
        current.push(name);
        if chars.clone().take(2).collect::<String>() != "::" {
            return vec![current];
        }
        chars.next();
        chars.next();
    }
}

fn skip_blanks(chars: &mut std::iter::Peekable<std::str::Chars>) {
    while chars.next_if(|c| c.is_whitespace()).is_some() {}
}
