//! The graph's relationships, named as sentences, shared by the GraphML and Cypher writers.

use crate::domain::Batch;

/// One relationship: its type, the two node ids, and its properties.
pub(crate) struct Relation<'a> {
    /// `SERVES`, `MADE`, `OF`...
    pub kind: &'static str,
    /// The node it starts from.
    pub from: &'a str,
    /// The node it points to.
    pub to: &'a str,
    /// Properties, as (name, value).
    pub properties: Vec<(&'static str, &'static str)>,
}

/// Every relationship of the batch, in a fixed order:
/// `(Solution)-[:SERVES]->(Need)`, `(Need)-[:BROADER]->(Need)`, `(Publisher)-[:PUBLISHES]->(Solution)`,
/// `(Solution)-[:REPLACES {confidence, kind}]->(Solution)`, `(Collectivity)-[:BELONGS_TO]->(Collectivity)`,
/// `(Collectivity)-[:MADE]->(Adoption)`, `(Adoption)-[:OF]->(Solution)`, `(Adoption)-[:FOR]->(Need)`,
/// `(Adoption)-[:REPLACED]->(Solution)`, `(Adoption)-[:HAD]->(Outcome)`,
/// `(Collectivity)-[:CONTRIBUTED]->(Contribution)-[:TO]->(Solution)`, `(node)-[:CITES]->(Source)`.
pub(crate) fn relations(batch: &Batch) -> Vec<Relation<'_>> {
    let mut out = Vec::new();
    let plain = |kind, from, to| Relation {
        kind,
        from,
        to,
        properties: Vec::new(),
    };
    for s in &batch.solutions {
        for n in &s.needs {
            out.push(plain("SERVES", s.id.as_str(), n.as_str()));
        }
        if let Some(p) = &s.publisher {
            out.push(plain("PUBLISHES", p.as_str(), s.id.as_str()));
        }
    }
    for n in &batch.needs {
        if let Some(b) = &n.broader {
            out.push(plain("BROADER", n.id.as_str(), b.as_str()));
        }
    }
    for a in &batch.alternatives {
        out.push(Relation {
            kind: "REPLACES",
            from: a.libre.as_str(),
            to: a.proprietary.as_str(),
            properties: vec![
                ("confidence", a.confidence.as_str()),
                ("kind", a.kind.as_str()),
            ],
        });
    }
    for c in &batch.collectivities {
        if let Some(p) = &c.parent {
            out.push(plain("BELONGS_TO", c.id.as_str(), p.as_str()));
        }
    }
    for a in &batch.adoptions {
        out.push(plain("MADE", a.collectivity.as_str(), a.id.as_str()));
        out.push(plain("OF", a.id.as_str(), a.solution.as_str()));
        out.push(plain("FOR", a.id.as_str(), a.need.as_str()));
        for r in &a.replaced {
            out.push(plain("REPLACED", a.id.as_str(), r.as_str()));
        }
    }
    for o in &batch.outcomes {
        out.push(plain("HAD", o.adoption.as_str(), o.id.as_str()));
    }
    for c in &batch.contributions {
        out.push(plain("CONTRIBUTED", c.collectivity.as_str(), c.id.as_str()));
        if let Some(s) = &c.solution {
            out.push(plain("TO", c.id.as_str(), s.as_str()));
        }
    }
    for r in &batch.releases {
        if let Some(s) = &r.solution {
            out.push(plain("CYCLE_OF", r.id.as_str(), s.as_str()));
        }
    }
    for c in &batch.citations {
        out.push(plain("CITES", c.subject.as_str(), c.source.as_str()));
    }
    out
}

/// The label of a node id's kind, as a Neo4j label (`Solution`).
pub(crate) fn label_of(id: &str) -> &'static str {
    match id.split_once(':').map(|(k, _)| k) {
        Some("need") => "Need",
        Some("solution") => "Solution",
        Some("publisher") => "Publisher",
        Some("collectivity") => "Collectivity",
        Some("adoption") => "Adoption",
        Some("outcome") => "Outcome",
        Some("alternative") => "Alternative",
        Some("source") => "Source",
        Some("contribution") => "Contribution",
        Some("release") => "ProductCycle",
        _ => "Node",
    }
}
