//! The README's module graph is the code's: each top-level module of `src/`
//! and the others it names as `crate::x` (outside its tests), with no cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The `.rs` files of module `name`: `src/name.rs`, or everything under `src/name/`.
fn files_of(src: &Path, name: &str) -> Vec<std::path::PathBuf> {
    let file = src.join(format!("{name}.rs"));
    let dir = src.join(name);
    let mut files: Vec<_> = walk(&dir);
    if file.is_file() {
        files.push(file);
    }
    files
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
    out
}

fn code_graph(src: &Path) -> Graph {
    let mut names = BTreeSet::new();
    for e in std::fs::read_dir(src).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let stem = name.trim_end_matches(".rs").to_string();
        if !["lib", "main"].contains(&stem.as_str()) {
            names.insert(stem);
        }
    }
    let mut graph = Graph::new();
    for name in &names {
        let mut uses = BTreeSet::new();
        for file in files_of(src, name) {
            let text = std::fs::read_to_string(&file).unwrap();
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
            for (at, _) in code.match_indices("crate::") {
                let rest = &code[at + "crate::".len()..];
                let used: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if used != *name && names.contains(&used) {
                    uses.insert(used);
                }
            }
        }
        graph.insert(name.clone(), uses);
    }
    graph
}

fn readme_graph(readme: &str) -> Graph {
    let start = readme
        .find("```text\nbounded ->")
        .expect("the module graph in the README");
    let block = &readme[start + "```text\n".len()..];
    let block = &block[..block.find("```").unwrap()];
    block
        .lines()
        .map(|line| {
            let (name, uses) = line
                .split_once(" -> ")
                .unwrap_or((line.trim_end_matches(" ->"), ""));
            let uses = uses
                .split(", ")
                .filter(|u| !u.is_empty())
                .map(str::to_string)
                .collect();
            (name.trim().to_string(), uses)
        })
        .collect()
}

/// A module that leads back to itself, if any.
fn cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        graph: &Graph,
        at: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == at) {
            return Some(path[i..].to_vec());
        }
        if done.contains(at) {
            return None;
        }
        path.push(at.to_string());
        for next in graph.get(at).into_iter().flatten() {
            if let Some(c) = visit(graph, next, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(at.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(graph, m, &mut Vec::new(), &mut done))
}

#[test]
fn the_readme_module_graph_is_the_code_and_has_no_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let code = code_graph(&root.join("src"));
    assert_eq!(cycle(&code), None, "an import cycle");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert_eq!(
        readme_graph(&readme),
        code,
        "README's module graph is out of date"
    );
    for (module, banned) in [("check", "build"), ("load", "build"), ("report", "build")] {
        assert!(!code[module].contains(banned), "{module} uses {banned}");
    }
    assert!(!code.contains_key("cli") || code.values().all(|u| !u.contains("cli")));
}

#[test]
fn a_cycle_is_found() {
    let mut g = Graph::new();
    g.insert("a".into(), ["b".to_string()].into());
    g.insert("b".into(), ["a".to_string()].into());
    assert_eq!(cycle(&g), Some(vec!["a".to_string(), "b".to_string()]));
}
