//! The house's rules, as Cargo sees them: the layers are crates, each may use only the crates below it, and the
//! window's crate cannot reach the store's. `ARCHITECTURE.md` draws the same table.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// Every crate of the workspace, bottom first, with the workspace crates it may depend on.
const ALLOWED: &[(&str, &[&str])] = &[
    ("atlas-core", &[]),
    ("atlas-answers", &["atlas-core"]),
    ("atlas-store", &["atlas-core", "atlas-answers"]),
    ("atlas-analysis", &["atlas-core"]),
    ("atlas-export", &["atlas-core", "atlas-analysis"]),
    ("atlas-qda", &["atlas-core", "atlas-store"]),
    ("atlas-live", &["atlas-core", "atlas-answers", "atlas-store", "atlas-analysis"]),
    ("atlas-session", &["atlas-core", "atlas-answers", "atlas-store", "atlas-analysis", "atlas-qda", "atlas-live"]),
    ("atlas-ui", &["atlas-core", "atlas-answers", "atlas-analysis", "atlas-export", "atlas-live", "atlas-session"]),
    (
        "integration-atlas",
        &[
            "atlas-core",
            "atlas-answers",
            "atlas-store",
            "atlas-analysis",
            "atlas-export",
            "atlas-qda",
            "atlas-live",
            "atlas-session",
            "atlas-ui",
        ],
    ),
];

/// The workspace's crates and the workspace crates each one depends on (normal dependencies), from `cargo metadata`.
fn workspace_graph() -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON");
    let packages = meta["packages"].as_array().expect("packages");
    let names: BTreeSet<String> = packages.iter().map(|p| p["name"].as_str().unwrap_or_default().to_owned()).collect();
    packages
        .iter()
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|d| d["kind"].is_null())
                .filter_map(|d| d["name"].as_str())
                .filter(|d| names.contains(*d))
                .map(str::to_owned)
                .collect();
            (p["name"].as_str().unwrap_or_default().to_owned(), deps)
        })
        .collect()
}

#[test]
fn the_layers_are_crates_and_each_uses_only_the_ones_below() {
    let graph = workspace_graph();
    let expected: BTreeSet<&str> = ALLOWED.iter().map(|(name, _)| *name).collect();
    let found: BTreeSet<&str> = graph.keys().map(String::as_str).collect();
    assert_eq!(found, expected, "the workspace's crates");
    for (rank, (name, allowed)) in ALLOWED.iter().enumerate() {
        for dep in &graph[*name] {
            assert!(allowed.contains(&dep.as_str()), "{name} depends on {dep}, which the house does not allow");
            let dep_rank = ALLOWED.iter().position(|(n, _)| n == dep).expect("a workspace crate");
            assert!(dep_rank < rank, "{name} depends on {dep}, which is above it");
        }
    }
}

#[test]
fn the_window_cannot_reach_the_store() {
    let graph = workspace_graph();
    assert!(!graph["atlas-ui"].contains("atlas-store"), "atlas-ui must not depend on atlas-store");
    assert!(!graph["atlas-analysis"].contains("atlas-store"), "the analysis is pure: no store");
    assert!(!graph["atlas-export"].contains("atlas-store"), "exports read the model, not the store");
    // Nor any of the crates the window uses directly, other than through the session.
    for below in ["atlas-core", "atlas-answers", "atlas-analysis", "atlas-export"] {
        assert!(!graph[below].contains("atlas-store"), "{below} must not depend on atlas-store");
    }
}
