//! The library's layers, checked by reading its sources: `describe` knows no file format, and no module imports one that imports it back.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file below `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    found
}

/// The code of a file before its tests, without line comments.
fn code(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    let before_tests = text.split("#[cfg(test)]").next().unwrap_or_default();
    before_tests
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules `code` names as `crate::module`.
fn imported(code: &str) -> BTreeSet<String> {
    code.match_indices("crate::")
        .map(|(at, _)| {
            let rest = &code[at + "crate::".len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            rest[..end].to_string()
        })
        .collect()
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn describing_imports_no_reader_source_name_rule_or_polars() {
    let forbidden = ["read", "sources", "formats", "summary", "results", "output"];
    let mut offences = Vec::new();
    for path in sources(&src().join("describe")) {
        let code = code(&path);
        for module in imported(&code) {
            if forbidden.contains(&module.as_str()) {
                offences.push(format!("{}: crate::{module}", path.display()));
            }
        }
        if code.contains("polars::") || code.contains("polars_") {
            offences.push(format!("{}: Polars", path.display()));
        }
    }
    assert!(offences.is_empty(), "describe/ knows: {offences:#?}");
}

#[test]
fn no_two_modules_import_each_other_even_through_others() {
    let root = src();
    let mut imports: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in sources(&root) {
        let relative = path.strip_prefix(&root).unwrap();
        let first = relative.components().next().unwrap();
        let module = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        // The binary's modules sit above the library.
        if module == "main" || module == "cli" || module == "lib" {
            continue;
        }
        let named = imported(&code(&path));
        let entry = imports.entry(module.clone()).or_default();
        entry.extend(named.into_iter().filter(|m| *m != module));
    }
    assert!(imports.len() > 10, "the modules were found: {imports:?}");
    // A module reaches itself through its imports only if they form a circle.
    for start in imports.keys() {
        let mut seen = BTreeSet::new();
        let mut path_to: BTreeMap<String, String> = BTreeMap::new();
        let mut stack: Vec<String> = imports[start].iter().cloned().collect();
        for next in &stack {
            path_to.insert(next.clone(), start.clone());
        }
        while let Some(module) = stack.pop() {
            assert!(
                module != *start,
                "an import circle through {start} (reached from {})",
                path_to[&module]
            );
            if seen.insert(module.clone()) {
                for next in imports.get(&module).into_iter().flatten() {
                    path_to.entry(next.clone()).or_insert(module.clone());
                    stack.push(next.clone());
                }
            }
        }
    }
}
