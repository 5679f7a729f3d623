//! Fuzzing the parsers that take outside input, with property-based generators: real samples
//! (the shared open data, the seed, the watch fixtures, typical GraphQL requests) mutated by a
//! seeded RNG (see [`mutate`]), fed to each parser (see [`targets`]). Properties: no panic; a
//! clear error or a valid result; a failed import leaves the store as it was; the GraphQL
//! endpoint never answers 5xx nor an error without a code.
//!
//! - `cargo test --test fuzz`: a few dozen iterations per target (`RETEX_FUZZ_ITERATIONS`), and
//!   the corpus of inputs that once broke a property (`tests/fixtures/fuzz/<target>/`) replayed.
//! - `scripts/fuzz.sh [seconds]`: the campaign, every target for a set time, in parallel
//!   (`cargo test --test fuzz -- --ignored campaign` with `RETEX_FUZZ_SECONDS`); a failing input
//!   is written to `target/fuzz-found/<target>/`, to be moved into the corpus once fixed.

#[path = "../common/mod.rs"]
mod common;
mod mutate;
mod targets;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use targets::Target;

/// What one target's run found.
#[derive(Debug, Default)]
struct Outcome {
    iterations: u64,
    failures: Vec<String>,
    elapsed: Duration,
}

/// How long a run goes on.
#[derive(Debug, Clone, Copy)]
enum Budget {
    Iterations(u64),
    Time(Duration),
}

/// Set while a target runs an input, so the panic hook stays quiet for caught panics.
static QUIET: AtomicBool = AtomicBool::new(false);

fn quiet_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !QUIET.load(Ordering::Relaxed) {
            default(info);
        }
    }));
}

/// Runs `input` on `target` at `path`: `Err` with what broke (a property, or a panic).
fn run_one(target: &mut dyn Target, path: &str, input: &[u8]) -> Result<(), String> {
    let outcome =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| target.check(path, input)));
    match outcome {
        Ok(result) => result,
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "a panic".to_owned());
            Err(format!("panic: {message}"))
        }
    }
}

/// Mutates the target's samples under `budget`, seeded by `seed`; failing inputs are saved
/// under `found` (when given).
fn fuzz(target: &mut dyn Target, budget: Budget, seed: u64, found: Option<&Path>) -> Outcome {
    let mut rng = fastrand::Rng::with_seed(seed);
    let paths: Vec<String> = target.files().keys().cloned().collect();
    assert!(!paths.is_empty(), "{} has no sample", target.name());
    let started = Instant::now();
    let mut outcome = Outcome::default();
    loop {
        let done = match budget {
            Budget::Iterations(n) => outcome.iterations >= n,
            Budget::Time(limit) => started.elapsed() >= limit,
        };
        if done {
            break;
        }
        let path = &paths[rng.usize(..paths.len())];
        let input = mutate::mutate(&mut rng, &target.files()[path]);
        QUIET.store(true, Ordering::Relaxed);
        let result = run_one(target, path, &input);
        QUIET.store(false, Ordering::Relaxed);
        outcome.iterations += 1;
        if let Err(failure) = result {
            if let Some(dir) = found {
                save(dir, target.name(), path, &input);
            }
            outcome.failures.push(format!("{path}: {failure}"));
        }
    }
    outcome.elapsed = started.elapsed();
    outcome
}

/// Saves a failing input as `<dir>/<target>/<hash>--<path with / as %>`.
fn save(dir: &Path, target: &str, path: &str, input: &[u8]) {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    input.hash(&mut hasher);
    let folder = dir.join(target);
    let _ = std::fs::create_dir_all(&folder);
    let name = format!("{:016x}--{}", hasher.finish(), path.replace('/', "%"));
    let _ = std::fs::write(folder.join(name), input);
}

/// The corpus of inputs that once broke a property.
fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz")
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Every target, a few dozen iterations each (`RETEX_FUZZ_ITERATIONS`, default 16): part of
/// the ordinary `cargo test`.
#[test]
fn every_parser_survives_mutated_samples() {
    quiet_panics();
    let iterations = env_number("RETEX_FUZZ_ITERATIONS", 16);
    let mut failures = Vec::new();
    for name in targets::NAMES {
        let Some(mut target) = targets::build(name) else {
            eprintln!("fuzz: {name} skipped (its data is not on this machine)");
            continue;
        };
        if let Err(e) = target.baseline() {
            failures.push(format!("{name}: {e}"));
            continue;
        }
        let seed = env_number("RETEX_FUZZ_SEED", 17);
        let outcome = fuzz(target.as_mut(), Budget::Iterations(iterations), seed, None);
        failures.extend(outcome.failures.into_iter().map(|f| format!("{name}: {f}")));
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The corpus replayed: every input that once broke a property now passes.
#[test]
fn the_corpus_of_found_cases_passes() {
    quiet_panics();
    let mut replayed = 0;
    let mut failures = Vec::new();
    for name in targets::NAMES {
        let Ok(entries) = std::fs::read_dir(corpus_dir().join(name)) else {
            continue;
        };
        let Some(mut target) = targets::build(name) else {
            continue;
        };
        for entry in entries.filter_map(|e| e.ok()) {
            let file = entry.file_name().to_string_lossy().into_owned();
            let Some((_, path)) = file.split_once("--") else {
                continue;
            };
            let path = path.replace('%', "/");
            let input = std::fs::read(entry.path()).expect("a corpus file");
            if !target.files().contains_key(&path) {
                failures.push(format!("{name}/{file}: no sample file {path}"));
                continue;
            }
            replayed += 1;
            QUIET.store(true, Ordering::Relaxed);
            let result = run_one(target.as_mut(), &path, &input);
            QUIET.store(false, Ordering::Relaxed);
            if let Err(failure) = result {
                failures.push(format!("{name}/{file}: {failure}"));
            }
        }
    }
    eprintln!("fuzz corpus: {replayed} inputs replayed");
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The campaign (`scripts/fuzz.sh`): every target (or those named in `RETEX_FUZZ_TARGETS`,
/// comma-separated) for `RETEX_FUZZ_SECONDS` each, all at once on their own threads; prints
/// per target its iterations, failures and time, and saves failing inputs under
/// `target/fuzz-found/`.
#[test]
#[ignore = "the fuzz campaign: run by scripts/fuzz.sh"]
fn campaign() {
    quiet_panics();
    let seconds = env_number("RETEX_FUZZ_SECONDS", 60);
    let seed = env_number("RETEX_FUZZ_SEED", 0x5eed);
    let chosen: Vec<String> = std::env::var("RETEX_FUZZ_TARGETS")
        .map(|v| v.split(',').map(|s| s.trim().to_owned()).collect())
        .unwrap_or_else(|_| targets::NAMES.iter().map(|s| (*s).to_owned()).collect());
    let found = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-found");
    let started = Instant::now();
    let handles: Vec<_> = chosen
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let found = found.clone();
            std::thread::spawn(move || {
                let Some(mut target) = targets::build(&name) else {
                    return (name, None);
                };
                let budget = Budget::Time(Duration::from_secs(seconds));
                let outcome = fuzz(target.as_mut(), budget, seed + i as u64, Some(&found));
                (name, Some(outcome))
            })
        })
        .collect();
    let mut crashed = 0;
    println!(
        "{:<18} {:>10} {:>9} {:>9}",
        "target", "iterations", "failures", "seconds"
    );
    for handle in handles {
        let (name, outcome) = handle.join().expect("a target thread");
        match outcome {
            None => println!("{name:<18} skipped: its data is not on this machine"),
            Some(outcome) => {
                println!(
                    "{name:<18} {:>10} {:>9} {:>9.1}",
                    outcome.iterations,
                    outcome.failures.len(),
                    outcome.elapsed.as_secs_f64()
                );
                for failure in outcome.failures.iter().take(5) {
                    println!("    {}", failure.chars().take(300).collect::<String>());
                }
                crashed += outcome.failures.len();
            }
        }
    }
    println!(
        "campaign: {:.0} s wall, {crashed} failures (inputs in {})",
        started.elapsed().as_secs_f64(),
        found.display()
    );
    assert_eq!(crashed, 0, "failing inputs are in {}", found.display());
}
