//! CSV: one file per kind of node, columns flattened from the node's document (`label.fr`,
//! lists joined by `|`, nested records as JSON), plus one file per relationship.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::relations::relations;
use super::{io_error, node_tables, ExportError};
use crate::domain::Batch;

fn flatten(prefix: &str, value: &Value, out: &mut Map<String, Value>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                flatten(&format!("{prefix}{k}."), v, out);
            }
        }
        other => {
            out.insert(prefix.trim_end_matches('.').to_owned(), other.clone());
        }
    }
}

fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            items.iter().map(cell).collect::<Vec<_>>().join("|")
        }
        other => other.to_string(),
    }
}

fn write_table(path: &Path, rows: &[Map<String, Value>]) -> Result<(), ExportError> {
    let mut columns: Vec<String> = Vec::new();
    for row in rows {
        for key in row.keys() {
            if !columns.contains(key) {
                columns.push(key.clone());
            }
        }
    }
    if let Some(i) = columns.iter().position(|c| c == "id") {
        let id = columns.remove(i);
        columns.insert(0, id);
    }
    let to_err = |e: csv::Error| io_error(path)(std::io::Error::other(e.to_string()));
    let mut writer = csv::Writer::from_path(path).map_err(to_err)?;
    writer.write_record(&columns).map_err(to_err)?;
    for row in rows {
        let record: Vec<String> = columns
            .iter()
            .map(|c| row.get(c).map(cell).unwrap_or_default())
            .collect();
        writer.write_record(&record).map_err(to_err)?;
    }
    writer.flush().map_err(io_error(path))
}

/// Writes `<kind>.csv` and `relations.csv` into `dir`; returns their paths.
pub(crate) fn write(batch: &Batch, dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    let mut files = Vec::new();
    for (name, docs) in node_tables(batch) {
        let rows: Vec<Map<String, Value>> = docs
            .iter()
            .map(|doc| {
                let mut row = Map::new();
                if let Value::Object(map) = doc {
                    // Top-level keys keep their order; nested text flattens to `label.fr`.
                    for (k, v) in map {
                        match v {
                            Value::Object(_) => flatten(&format!("{k}."), v, &mut row),
                            other => {
                                row.insert(k.clone(), other.clone());
                            }
                        }
                    }
                }
                row
            })
            .collect();
        let path = dir.join(format!("{name}.csv"));
        write_table(&path, &rows)?;
        files.push(path);
    }
    let rows: Vec<Map<String, Value>> = relations(batch)
        .into_iter()
        .map(|r| {
            let mut row = Map::new();
            row.insert("type".into(), Value::String(r.kind.into()));
            row.insert("from".into(), Value::String(r.from.into()));
            row.insert("to".into(), Value::String(r.to.into()));
            let props: Map<String, Value> = r
                .properties
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
                .collect();
            row.insert(
                "properties".into(),
                if props.is_empty() {
                    Value::Null
                } else {
                    Value::Object(props)
                },
            );
            row
        })
        .collect();
    let path = dir.join("relations.csv");
    write_table(&path, &rows)?;
    files.push(path);
    Ok(files)
}
