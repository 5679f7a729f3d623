//! GraphML: one graph, every node with its kind, label and document, every relationship typed.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::relations::{label_of, relations};
use super::{node_tables, readable_label, write_file, ExportError};
use crate::domain::{xml_escape, Batch};

/// Writes `retex.graphml` into `dir`; returns its path.
pub(crate) fn write(batch: &Batch, dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    let path = write_file(dir, "retex.graphml", |out| {
        let mut w = |text: &str| out.write_all(text.as_bytes());
        w("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
        w("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n")?;
        w("  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n")?;
        w("  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n")?;
        w("  <key id=\"doc\" for=\"node\" attr.name=\"doc\" attr.type=\"string\"/>\n")?;
        w("  <key id=\"type\" for=\"edge\" attr.name=\"type\" attr.type=\"string\"/>\n")?;
        w("  <key id=\"confidence\" for=\"edge\" attr.name=\"confidence\" attr.type=\"string\"/>\n")?;
        w("  <key id=\"replacement\" for=\"edge\" attr.name=\"replacement\" attr.type=\"string\"/>\n")?;
        w("  <graph id=\"retex\" edgedefault=\"directed\">\n")?;
        for (name, docs) in node_tables(batch) {
            if name == "citations" {
                continue; // relationships, written as edges
            }
            for doc in docs {
                let id = doc.get("id").and_then(Value::as_str).unwrap_or_default();
                // Its readable label, else its id.
                let label = readable_label(&doc).unwrap_or(id);
                w(&format!(
                    "    <node id=\"{}\"><data key=\"kind\">{}</data><data key=\"label\">{}</data><data key=\"doc\">{}</data></node>\n",
                    xml_escape(id),
                    label_of(id),
                    xml_escape(label),
                    xml_escape(&doc.to_string())
                ))?;
            }
        }
        for (index, r) in relations(batch).iter().enumerate() {
            let mut data = format!("<data key=\"type\">{}</data>", r.kind);
            for (k, v) in &r.properties {
                let key = if *k == "kind" { "replacement" } else { k };
                data.push_str(&format!("<data key=\"{key}\">{}</data>", xml_escape(v)));
            }
            w(&format!(
                "    <edge id=\"e{index}\" source=\"{}\" target=\"{}\">{data}</edge>\n",
                xml_escape(r.from),
                xml_escape(r.to)
            ))?;
        }
        w("  </graph>\n</graphml>\n")?;
        Ok(())
    })?;
    Ok(vec![path])
}
