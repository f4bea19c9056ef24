//! The architecture rules of `src/lib.rs`, checked by reading `src/`: only
//! one module names each outside library, and the modules' imports form no
//! cycle (arrows point down). Test code (`#[cfg(test)]` modules and
//! `tests.rs` files) may reach anywhere and is not read.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One source file: its module path (`desk::ingest`) and its non-test code.
struct Source {
    module: Vec<String>,
    path: PathBuf,
    code: String,
}

fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut folders = vec![root.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("read src/") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .filter(|path| path.file_name().is_some_and(|n| n != "tests.rs"))
        .map(|path| {
            let relative = path.strip_prefix(&root).expect("under src/");
            let mut module: Vec<String> = relative
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module
                .last()
                .is_some_and(|m| m == "mod" || m == "lib" || m == "main")
            {
                module.pop();
            }
            let text = std::fs::read_to_string(&path).expect("read a source file");
            let code = without_tests(&text);
            Source { module, path, code }
        })
        .collect()
}

/// The code without its test items: a `#[cfg(test)] mod tests;` line, or a
/// `#[cfg(test)]` item with its braces.
fn without_tests(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at..];
        let semicolon = item.find(';');
        let brace = item.find('{');
        let end = match (semicolon, brace) {
            (Some(s), b) if b.is_none_or(|b| s < b) => s + 1,
            (_, Some(b)) => {
                let mut depth = 0;
                let mut end = item.len();
                for (i, c) in item[b..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            _ => item.len(),
        };
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// The lines of code (comments dropped) that name an outside crate.
fn naming(source: &Source, krate: &str) -> Vec<String> {
    source
        .code
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .filter(|line| {
            line.contains(&format!("{krate}::"))
                && !line.contains(&format!("_{krate}::"))
                && !line.contains(&format!("{krate}_"))
        })
        .map(|line| format!("{}: {}", source.path.display(), line.trim()))
        .collect()
}

#[test]
fn only_one_module_names_each_outside_library() {
    let rules: [(&str, &[&str]); 4] = [
        ("tantivy", &["index"]),
        ("rusqlite", &["store", "sqlite"]),
        ("jieba_rs", &["zh", "segment"]),
        ("teloxide", &["telegram"]),
    ];
    for (krate, owner) in rules {
        for source in sources() {
            if source
                .module
                .starts_with(&owner.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            {
                continue;
            }
            let lines = naming(&source, krate);
            assert!(
                lines.is_empty(),
                "{krate} is named outside {}:\n{}",
                owner.join("::"),
                lines.join("\n")
            );
        }
    }
}

/// The crate modules a source file imports (`crate::a::b`, `super::x`), as
/// module paths.
fn imports(source: &Source) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    // Comments (doc links included) are no imports.
    let code: String = source
        .code
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    for (prefix, base) in [("crate::", Vec::new()), ("super::", parent(&source.module))] {
        let mut rest = code.as_str();
        while let Some(at) = rest.find(prefix) {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let mut path = base.clone();
            for part in rest.split("::") {
                let word: String = part
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if word.is_empty() || word.starts_with(char::is_uppercase) {
                    break;
                }
                path.push(word.clone());
                if word.len() != part.len() {
                    break;
                }
            }
            if !path.is_empty() {
                out.insert(path);
            }
        }
    }
    out
}

fn parent(module: &[String]) -> Vec<String> {
    module[..module.len().saturating_sub(1)].to_vec()
}

/// Finds a cycle in a graph, if there is one.
fn cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut found = stack[at..].to_vec();
            found.push(node.to_string());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, edges, done, stack) {
                return Some(found);
            }
        }
        stack.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|node| visit(node, edges, &mut done, &mut Vec::new()))
}

#[test]
fn imports_between_modules_form_no_cycle() {
    let sources = sources();
    let known: BTreeSet<Vec<String>> = sources.iter().map(|s| s.module.clone()).collect();
    // Between the crate's top-level modules, and between the files of each folder.
    let mut top: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut siblings: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for source in &sources {
        let Some(first) = source.module.first() else {
            continue; // lib.rs declares the modules
        };
        for import in imports(source) {
            // The longest known module the path names.
            let Some(target) = (1..=import.len())
                .rev()
                .map(|n| import[..n].to_vec())
                .find(|m| known.contains(m))
            else {
                continue;
            };
            if &target[0] != first {
                top.entry(first.clone())
                    .or_default()
                    .insert(target[0].clone());
            } else if source.module.len() >= 2
                && target.len() >= 2
                && target[..target.len() - 1] == source.module[..source.module.len() - 1]
                && target != source.module
            {
                siblings
                    .entry(source.module.join("::"))
                    .or_default()
                    .insert(target.join("::"));
            }
        }
    }
    assert!(top.contains_key("desk"), "no imports read: {top:?}");
    if let Some(found) = cycle(&top) {
        panic!("modules import each other: {}", found.join(" → "));
    }
    if let Some(found) = cycle(&siblings) {
        panic!(
            "files of one folder import each other: {}",
            found.join(" → ")
        );
    }
    // Nothing below the desk reaches up to it or to the edges.
    let upper = ["desk", "telegram", "cli", "console"];
    let lower: Vec<&String> = top
        .keys()
        .filter(|m| !upper.contains(&m.as_str()))
        .collect();
    for module in lower {
        for target in &top[module] {
            assert!(
                !upper.contains(&target.as_str()),
                "{module} imports {target}, which sits above it"
            );
        }
    }
    for module in ["article", "place_name", "focus", "commands"] {
        let reaches: Vec<&String> = top.get(module).into_iter().flatten().collect();
        let allowed: &[&str] = match module {
            "article" => &["place_name"],
            "commands" => &["zh"],
            _ => &[],
        };
        assert!(
            reaches.iter().all(|m| allowed.contains(&m.as_str())),
            "{module} should stay at the bottom but imports {reaches:?}"
        );
    }
}
