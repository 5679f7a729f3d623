//! Build-time inputs of the binary:
//!
//! - the curated seed (`seed/*.yaml`) and the resolution overrides
//!   (`seed/resolution/overrides.yaml`), listed in `$OUT_DIR/embedded_seed.rs` so that the binary
//!   carries them (`include_str!`) and runs from any folder;
//! - the commit the binary is built from (`git rev-parse`, "unknown" outside a checkout), for
//!   `retex --version`;
//! - the front-end assets GraphiQL needs (GraphiQL and React), as locked in
//!   `web/package-lock.json`, fetched with `npm ci` into the build's output folder. Nothing is
//!   vendored. `RETEX_WEB_ASSETS` may name a folder that already holds the `node_modules` tree
//!   (for builds without network access). When neither is available (no npm: a Rust toolchain
//!   alone), the binary is built without them and `/graphiql` says how to get the IDE; the API
//!   and the explorer do not need them. `RETEX_NPM` names the npm program (default `npm`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The files the binary embeds, relative to `node_modules`.
const ASSETS: &[&str] = &[
    "graphiql/graphiql.min.js",
    "graphiql/graphiql.min.css",
    "react/umd/react.production.min.js",
    "react-dom/umd/react-dom.production.min.js",
];

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    embed_seed(&out);
    git_commit();
    web_assets(&out);
}

/// Writes `embedded_seed.rs`: the seed's YAML files (name order) and the overrides file.
fn embed_seed(out: &Path) {
    println!("cargo:rerun-if-changed=seed");
    println!("cargo:rerun-if-changed=seed/resolution/overrides.yaml");
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let seed = root.join("seed");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&seed)
        .expect("read the seed folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
        })
        .collect();
    files.sort();
    let mut code = String::from(
        "/// The seed's YAML files, in name order: (file name, text).\n\
         pub const SEED_FILES: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 name");
        code.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
    }
    code.push_str("];\n");
    let overrides = seed.join("resolution/overrides.yaml");
    code.push_str(&format!(
        "/// The resolution overrides (`seed/resolution/overrides.yaml`).\n\
         pub const OVERRIDES: &str = include_str!({:?});\n",
        overrides.display().to_string()
    ));
    std::fs::write(out.join("embedded_seed.rs"), code).expect("write embedded_seed.rs");
}

/// Sets `RETEX_GIT_COMMIT` to the short commit hash, or "unknown".
fn git_commit() {
    // Rerun when HEAD moves: its file, and the branch it names (worktrees keep both apart).
    if let Some(head) = git(&["rev-parse", "--git-path", "HEAD"]) {
        println!("cargo:rerun-if-changed={head}");
    }
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        if let Some(path) = git(&["rev-parse", "--git-path", &branch]) {
            if Path::new(&path).exists() {
                println!("cargo:rerun-if-changed={path}");
            }
        }
    }
    let commit = git(&["rev-parse", "--short=12", "HEAD"])
        .filter(|s| s.chars().all(|c| c.is_ascii_hexdigit()))
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=RETEX_GIT_COMMIT={commit}");
}

/// What a git command prints, trimmed; `None` outside a checkout or without git.
fn git(args: &[&str]) -> Option<String> {
    Command::new("git")
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// Copies GraphiQL's assets into `$OUT_DIR/assets`; without npm, writes empty files and sets
/// the `retex_no_graphiql` cfg.
fn web_assets(out: &Path) {
    println!("cargo:rerun-if-changed=web/package.json");
    println!("cargo:rerun-if-changed=web/package-lock.json");
    println!("cargo:rerun-if-env-changed=RETEX_WEB_ASSETS");
    println!("cargo:rerun-if-env-changed=RETEX_NPM");
    println!("cargo::rustc-check-cfg=cfg(retex_no_graphiql)");
    let assets = out.join("assets");
    std::fs::create_dir_all(&assets).expect("create the assets folder");
    let modules = match std::env::var_os("RETEX_WEB_ASSETS") {
        Some(dir) => Some(PathBuf::from(dir).join("node_modules")),
        None => install(out),
    };
    let Some(modules) = modules else {
        println!(
            "cargo:warning=npm not found: building without GraphiQL's assets (/graphiql says how to get them; the API and the explorer are complete)"
        );
        println!("cargo:rustc-cfg=retex_no_graphiql");
        for asset in ASSETS {
            let name = Path::new(asset).file_name().expect("asset names a file");
            std::fs::write(assets.join(name), b"").expect("write an empty asset");
        }
        return;
    };
    for asset in ASSETS {
        let from = modules.join(asset);
        let name = Path::new(asset).file_name().expect("asset names a file");
        std::fs::copy(&from, assets.join(name)).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (is web/package-lock.json in step with ASSETS?)",
                from.display()
            )
        });
    }
}

/// Runs `npm ci` on a copy of `web/` under `out`, unless the lock file there is already
/// installed; `None` when npm is not installed.
fn install(out: &Path) -> Option<PathBuf> {
    let npm = std::env::var("RETEX_NPM").unwrap_or_else(|_| "npm".to_owned());
    let web = out.join("web");
    std::fs::create_dir_all(&web).expect("create the web folder");
    let lock = std::fs::read("web/package-lock.json").expect("read web/package-lock.json");
    let installed = web.join("node_modules/.retex-lock");
    let probe = Command::new(&npm).arg("--version").output();
    if matches!(&probe, Err(e) if e.kind() == std::io::ErrorKind::NotFound) {
        return None;
    }
    if std::fs::read(&installed).ok().as_deref() == Some(&lock[..]) {
        return Some(web.join("node_modules"));
    }
    std::fs::copy("web/package.json", web.join("package.json")).expect("copy web/package.json");
    std::fs::write(web.join("package-lock.json"), &lock).expect("copy web/package-lock.json");
    let status = Command::new(&npm)
        .args([
            "ci",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ])
        .current_dir(&web)
        .status()
        .unwrap_or_else(|e| panic!("cannot run {npm} to fetch the GraphiQL assets ({e})"));
    assert!(status.success(), "npm ci failed in {}", web.display());
    std::fs::write(&installed, &lock).expect("mark the install");
    Some(web.join("node_modules"))
}
