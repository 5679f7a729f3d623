//! A Cypher script that rebuilds the graph in Neo4j: constraints, then nodes and relationships
//! in `UNWIND` batches. Strings are written as JSON string literals, which Cypher reads alike.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::relations::{label_of, relations};
use super::{node_tables, readable_label, write_file, ExportError};
use crate::domain::Batch;

/// Rows per `UNWIND` statement.
const CHUNK: usize = 500;

fn literal(text: &str) -> String {
    serde_json::to_string(text).expect("strings serialise")
}

/// Writes `retex.cypher` into `dir`; returns its path.
pub(crate) fn write(batch: &Batch, dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    let path = write_file(dir, "retex.cypher", |out| {
        writeln!(
            out,
            "// retex graph export. Rebuild with: cypher-shell -f retex.cypher"
        )?;
        writeln!(
            out,
            "// Every node keeps its canonical JSON document in `doc`."
        )?;
        for label in [
            "Need",
            "Solution",
            "Publisher",
            "Collectivity",
            "Adoption",
            "Outcome",
            "Alternative",
            "Source",
            "Contribution",
            "ProductCycle",
        ] {
            writeln!(
                out,
                "CREATE CONSTRAINT {}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE;",
                label.to_lowercase()
            )?;
        }
        for (name, docs) in node_tables(batch) {
            if name == "citations" {
                continue; // relationships, below
            }
            for chunk in docs.chunks(CHUNK) {
                let node_label = chunk
                    .first()
                    .and_then(|d| d.get("id"))
                    .and_then(Value::as_str)
                    .map(label_of)
                    .unwrap_or("Node");
                let rows: Vec<String> = chunk
                    .iter()
                    .map(|doc| {
                        let id = doc.get("id").and_then(Value::as_str).unwrap_or_default();
                        format!(
                            "{{id: {}, name: {}, doc: {}}}",
                            literal(id),
                            literal(readable_label(doc).unwrap_or_default()),
                            literal(&doc.to_string())
                        )
                    })
                    .collect();
                writeln!(
                    out,
                    "UNWIND [{}] AS row MERGE (n:{node_label} {{id: row.id}}) SET n.name = row.name, n.doc = row.doc;",
                    rows.join(", ")
                )?;
            }
        }
        // Grouped by type and by the labels at both ends, so every MATCH uses a constraint's index.
        let mut groups: std::collections::BTreeMap<(&str, &str, &str), Vec<String>> =
            Default::default();
        for r in relations(batch) {
            let props: Vec<String> = r
                .properties
                .iter()
                .map(|(k, v)| format!("{k}: {}", literal(v)))
                .collect();
            groups
                .entry((r.kind, label_of(r.from), label_of(r.to)))
                .or_default()
                .push(format!(
                    "{{from: {}, to: {}, props: {{{}}}}}",
                    literal(r.from),
                    literal(r.to),
                    props.join(", ")
                ));
        }
        for ((kind, from, to), rows) in groups {
            for chunk in rows.chunks(CHUNK) {
                writeln!(
                    out,
                    "UNWIND [{}] AS row MATCH (a:{from} {{id: row.from}}), (b:{to} {{id: row.to}}) MERGE (a)-[r:{kind}]->(b) SET r += row.props;",
                    chunk.join(", ")
                )?;
            }
        }
        Ok(())
    })?;
    Ok(vec![path])
}
