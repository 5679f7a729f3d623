//! The judged question set (`tests/judged/questions.yaml`): questions a French commune's IT
//! director asks, on the real datasets imported as `retex import --all` does, each with the
//! answer a practitioner expects and where that expectation comes from. Asked through the
//! GraphQL endpoint (alternatives, experience, the selection procedure's libre step, peers and
//! search); measured as precision of the top 3 and nDCG@5, which must not fall below
//! the committed figures (`tests/judged/figures.yaml`). `scripts/judged.sh` prints them.
//!
//! The shared data folder comes from `RETEX_SHARED_DATA` (default `../shared/data`); when it is
//! missing the test fails in CI and is skipped, with a notice, elsewhere.

mod common;

use std::path::Path;

use common::{shared_data, TestApp};
use serde::Deserialize;
use serde_json::{json, Value};

/// The question set.
#[derive(Deserialize)]
struct QuestionSet {
    questions: Vec<Question>,
}

/// What is asked.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
enum Kind {
    /// `adoptionPaths(from, for)`: the alternatives, in order.
    Alternatives,
    /// `experience(need, for)`: the solutions, in order.
    Experience,
    /// `selectionAdvice(collectivity, need)`: the options of its LIBRE step.
    Selection,
    /// `peers(of)`: the closest peers.
    Peers,
    /// `search(text)`: the nodes found, in order.
    Search,
}

/// One judged question.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Question {
    id: String,
    asks: String,
    kind: Kind,
    from: Option<String>,
    need: Option<String>,
    #[serde(rename = "for")]
    asker: Option<String>,
    of: Option<String>,
    text: Option<String>,
    #[serde(default)]
    expected: Vec<Expected>,
    like: Option<Like>,
    basis: Option<String>,
}

/// An answer a practitioner expects, graded.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    id: String,
    grade: u32,
    basis: String,
}

/// What a relevant peer looks like.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Like {
    kind: String,
    country: String,
    population_factor: f64,
}

/// The committed figures.
#[derive(Deserialize)]
struct Figures {
    precision_at_3: f64,
    ndcg_at_5: f64,
}

fn load<T: serde::de::DeserializeOwned>(file: &str) -> T {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/judged")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

fn ids(list: &Value, path: &[&str]) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|x| {
            path.iter()
                .fold(x, |v, k| &v[*k])
                .as_str()
                .expect("an id")
                .to_owned()
        })
        .collect()
}

/// An answer: the ids ranked, each with its grade; and, for adoption paths, the tiers.
struct Answer {
    ranked: Vec<(String, u32)>,
    tiers: Vec<String>,
}

fn grade_of(q: &Question, id: &str) -> u32 {
    q.expected
        .iter()
        .find(|e| e.id == id)
        .map_or(0, |e| e.grade)
}

/// The answer's ids with their expected grades.
fn graded(q: &Question, found: Vec<String>, tiers: Vec<String>) -> Answer {
    Answer {
        ranked: found
            .into_iter()
            .map(|id| {
                let grade = grade_of(q, &id);
                (id, grade)
            })
            .collect(),
        tiers,
    }
}

async fn ask(app: &TestApp, q: &Question) -> Answer {
    let vars = json!({
        "from": q.from, "need": q.need, "asker": q.asker, "of": q.of, "text": q.text,
    });
    let data = |query: &'static str| {
        let vars = vars.clone();
        async move {
            let answer = app.query_with(query, vars).await;
            assert!(answer.get("errors").is_none(), "{}: {answer}", q.id);
            answer["data"].clone()
        }
    };
    match q.kind {
        Kind::Alternatives => {
            let d = data(
                "query($from: ID!, $asker: ID) { adoptionPaths(from: $from, for: $asker, first: 10) {
                    paths { tier alternative { solution { id } } } } }",
            )
            .await;
            let paths = &d["adoptionPaths"]["paths"];
            let found = ids(paths, &["alternative", "solution", "id"]);
            graded(q, found, ids(paths, &["tier"]))
        }
        Kind::Experience => {
            let d = data(
                "query($need: ID!, $asker: ID) { experience(need: $need, for: $asker, first: 10) {
                    solutions { solution { id } } } }",
            )
            .await;
            let found = ids(&d["experience"]["solutions"], &["solution", "id"]);
            graded(q, found, Vec::new())
        }
        Kind::Selection => {
            let d = data(
                "query($need: ID!, $asker: ID!) { selectionAdvice(collectivity: $asker, need: $need) {
                    steps { kind options { solution { id } } } } }",
            )
            .await;
            let steps = d["selectionAdvice"]["steps"].as_array().unwrap().clone();
            let libre = steps
                .iter()
                .find(|s| s["kind"] == "LIBRE")
                .expect("a LIBRE step");
            let found = ids(&libre["options"], &["solution", "id"]);
            graded(q, found, Vec::new())
        }
        Kind::Search => {
            let d =
                data("query($text: String!) { search(text: $text, first: 10) { node { id } } }")
                    .await;
            let found = ids(&d["search"], &["node", "id"]);
            graded(q, found, Vec::new())
        }
        Kind::Peers => {
            let d = data(
                "query($of: ID!) { collectivity(id: $of) { population }
                    peers(of: $of, first: 5) { collectivity { id kind country population } } }",
            )
            .await;
            let own = d["collectivity"]["population"]
                .as_f64()
                .expect("a population");
            let like = q
                .like
                .as_ref()
                .expect("peers questions say what a peer is like");
            let ranked = d["peers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    let c = &p["collectivity"];
                    let ratio = c["population"]
                        .as_f64()
                        .map_or(f64::INFINITY, |x| (x / own).max(own / x));
                    let alike = c["kind"] == like.kind.as_str()
                        && c["country"] == like.country.as_str()
                        && ratio <= like.population_factor;
                    (c["id"].as_str().unwrap().to_owned(), u32::from(alike))
                })
                .collect();
            Answer {
                ranked,
                tiers: Vec::new(),
            }
        }
    }
}

/// Relevant answers among the top 3 shown, over as many as could be relevant there: 3, or
/// fewer when fewer answers are expected or the answer lists fewer (what is missing counts in
/// nDCG@5); an empty answer scores 0.
fn precision_at_3(q: &Question, a: &Answer) -> f64 {
    let expected = match q.kind {
        Kind::Peers => 3,
        _ => q.expected.iter().filter(|e| e.grade > 0).count(),
    };
    let slots = expected.min(a.ranked.len()).min(3);
    if slots == 0 {
        return 0.0;
    }
    let hits = a.ranked.iter().take(3).filter(|(_, g)| *g > 0).count();
    hits as f64 / slots as f64
}

fn dcg(grades: impl Iterator<Item = u32>) -> f64 {
    grades
        .take(5)
        .enumerate()
        .map(|(i, g)| (2f64.powi(g as i32) - 1.0) / ((i + 2) as f64).log2())
        .sum()
}

/// nDCG of the top 5, with gains 2^grade − 1.
fn ndcg_at_5(q: &Question, a: &Answer) -> f64 {
    let mut ideal: Vec<u32> = match q.kind {
        Kind::Peers => vec![1; 5],
        _ => q.expected.iter().map(|e| e.grade).collect(),
    };
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let best = dcg(ideal.into_iter());
    if best == 0.0 {
        return 0.0;
    }
    dcg(a.ranked.iter().map(|(_, g)| *g)) / best
}

/// True when no declared replacement comes after a same-need candidate.
fn tiers_in_order(tiers: &[String]) -> bool {
    tiers
        .windows(2)
        .all(|w| !(w[0] == "SAME_NEED" && w[1] == "DECLARED_REPLACEMENT"))
}

#[tokio::test]
async fn judged_questions_keep_their_committed_precision_and_ndcg() {
    let Some(data) = shared_data() else { return };
    let set: QuestionSet = load("questions.yaml");
    let committed: Figures = load("figures.yaml");
    assert!(
        set.questions.len() >= 40,
        "{} questions",
        set.questions.len()
    );
    for q in &set.questions {
        let sourced = q.basis.is_some() || q.expected.iter().all(|e| !e.basis.is_empty());
        assert!(
            sourced && !q.asks.is_empty(),
            "{}: say where it comes from",
            q.id
        );
        assert!(
            q.kind == Kind::Peers || !q.expected.is_empty(),
            "{}: no expected answer",
            q.id
        );
    }
    let app = TestApp::spawn().await;
    let options = retex::import::Options {
        overrides: Some(retex::import::Curated::Embedded),
        seed: Some(retex::import::Curated::Embedded),
    };
    retex::import::import_all(app.store.as_ref(), &data, &options, |_| {})
        .await
        .expect("the shared datasets import");
    let (mut p3, mut ndcg) = (0.0, 0.0);
    let mut out_of_order = Vec::new();
    println!("question | precision@3 | nDCG@5 | top 3");
    for q in &set.questions {
        let a = ask(&app, q).await;
        let (p, n) = (precision_at_3(q, &a), ndcg_at_5(q, &a));
        p3 += p;
        ndcg += n;
        let top: Vec<String> = a
            .ranked
            .iter()
            .take(3)
            .map(|(id, g)| format!("{id} ({g})"))
            .collect();
        println!("{} | {p:.2} | {n:.2} | {}", q.id, top.join(", "));
        if !tiers_in_order(&a.tiers) {
            out_of_order.push(q.id.clone());
        }
    }
    let count = set.questions.len() as f64;
    let (p3, ndcg) = (p3 / count, ndcg / count);
    println!(
        "judged: {} questions, precision@3 {p3:.3}, nDCG@5 {ndcg:.3} (committed {:.3}, {:.3})",
        set.questions.len(),
        committed.precision_at_3,
        committed.ndcg_at_5
    );
    assert!(
        out_of_order.is_empty(),
        "a declared replacement ranks below a same-need candidate: {out_of_order:?}"
    );
    assert!(
        p3 >= committed.precision_at_3 - 1e-3,
        "precision@3 fell to {p3:.3} (committed {:.3})",
        committed.precision_at_3
    );
    assert!(
        ndcg >= committed.ndcg_at_5 - 1e-3,
        "nDCG@5 fell to {ndcg:.3} (committed {:.3})",
        committed.ndcg_at_5
    );
}

#[test]
fn metrics_count_what_they_say() {
    let q = Question {
        id: "q".into(),
        asks: "?".into(),
        kind: Kind::Alternatives,
        from: None,
        need: None,
        asker: None,
        of: None,
        text: None,
        expected: vec![
            Expected {
                id: "a".into(),
                grade: 3,
                basis: "b".into(),
            },
            Expected {
                id: "b".into(),
                grade: 1,
                basis: "b".into(),
            },
        ],
        like: None,
        basis: None,
    };
    let answer = |ranked: &[(&str, u32)]| Answer {
        ranked: ranked.iter().map(|(i, g)| (i.to_string(), *g)).collect(),
        tiers: Vec::new(),
    };
    let perfect = answer(&[("a", 3), ("b", 1), ("x", 0)]);
    assert_eq!(precision_at_3(&q, &perfect), 1.0);
    assert!((ndcg_at_5(&q, &perfect) - 1.0).abs() < 1e-12);
    let swapped = answer(&[("b", 1), ("a", 3)]);
    assert_eq!(precision_at_3(&q, &swapped), 1.0);
    assert!(ndcg_at_5(&q, &swapped) < 1.0);
    assert_eq!(precision_at_3(&q, &answer(&[("a", 3)])), 1.0);
    assert_eq!(precision_at_3(&q, &answer(&[("x", 0)])), 0.0);
    assert_eq!(precision_at_3(&q, &answer(&[])), 0.0);
    let miss = answer(&[("x", 0), ("y", 0), ("z", 0), ("a", 3)]);
    assert_eq!(precision_at_3(&q, &miss), 0.0);
    assert!(ndcg_at_5(&q, &miss) > 0.0);
    assert!(!tiers_in_order(&[
        "SAME_NEED".into(),
        "DECLARED_REPLACEMENT".into()
    ]));
}
