//! GraphML: one graph, every node with its kind, label and document, every relationship typed.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::relations::{label_of, relations};
use super::{io_error, node_tables, readable_label, ExportError};
use crate::domain::{xml_escape, Batch};

/// A readable label for a node document: its readable label, else its id.
fn label(doc: &Value) -> String {
    readable_label(doc)
        .or_else(|| doc.get("id"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// Writes `retex.graphml` into `dir`; returns its path.
pub(crate) fn write(batch: &Batch, dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    let path = dir.join("retex.graphml");
    let file = std::fs::File::create(&path).map_err(io_error(&path))?;
    let mut out = BufWriter::new(file);
    let mut w = |text: &str| out.write_all(text.as_bytes());
    let result: std::io::Result<()> = (|| {
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
                w(&format!(
                    "    <node id=\"{}\"><data key=\"kind\">{}</data><data key=\"label\">{}</data><data key=\"doc\">{}</data></node>\n",
                    xml_escape(id),
                    label_of(id),
                    xml_escape(&label(&doc)),
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
    })();
    result.map_err(io_error(&path))?;
    out.flush().map_err(io_error(&path))?;
    Ok(vec![path])
}
