//! Fetches the front-end assets the binary serves (GraphiQL and React), as locked in
//! `web/package-lock.json`, with `npm ci` into the build's output folder. Nothing is vendored.
//!
//! `RETEX_WEB_ASSETS` may name a folder that already holds the `node_modules` tree (for
//! builds without network access); otherwise npm must be on the PATH.

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
    println!("cargo:rerun-if-changed=web/package.json");
    println!("cargo:rerun-if-changed=web/package-lock.json");
    println!("cargo:rerun-if-env-changed=RETEX_WEB_ASSETS");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let modules = match std::env::var_os("RETEX_WEB_ASSETS") {
        Some(dir) => PathBuf::from(dir).join("node_modules"),
        None => install(&out),
    };
    let assets = out.join("assets");
    std::fs::create_dir_all(&assets).expect("create the assets folder");
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

/// Runs `npm ci` on a copy of `web/` under `out`, unless the lock file there is already installed.
fn install(out: &Path) -> PathBuf {
    let web = out.join("web");
    std::fs::create_dir_all(&web).expect("create the web folder");
    let lock = std::fs::read("web/package-lock.json").expect("read web/package-lock.json");
    let installed = web.join("node_modules/.retex-lock");
    if std::fs::read(&installed).ok().as_deref() == Some(&lock[..]) {
        return web.join("node_modules");
    }
    std::fs::copy("web/package.json", web.join("package.json")).expect("copy web/package.json");
    std::fs::write(web.join("package-lock.json"), &lock).expect("copy web/package-lock.json");
    let status = Command::new("npm")
        .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&web)
        .status()
        .unwrap_or_else(|e| {
            panic!("cannot run npm to fetch the GraphiQL assets ({e}); install Node.js and npm, or set RETEX_WEB_ASSETS")
        });
    assert!(status.success(), "npm ci failed in {}", web.display());
    std::fs::write(&installed, &lock).expect("mark the install");
    web.join("node_modules")
}
