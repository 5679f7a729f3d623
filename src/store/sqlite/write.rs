//! Writing a batch: one immediate transaction, content hashes so unchanged nodes are left
//! alone, link tables and the search index kept in step, references checked before commit.

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Transaction};

use super::{map_err, table_of};
use crate::domain::{fold, Batch, Citation, EntityKind};
use crate::store::shared::{fnv1a_64, licence_key, to_doc};
use crate::store::{Fate, StoreError, StoreResult, WriteReport};

/// Inserts or updates one node row; `columns` are the indexed columns besides id, doc, hash.
fn upsert(
    tx: &Transaction<'_>,
    table: &str,
    id: &str,
    doc: &str,
    columns: &[(&str, Value)],
) -> StoreResult<Fate> {
    let hash = fnv1a_64(doc.as_bytes());
    let existing: Option<i64> = tx
        .prepare_cached(&format!("SELECT hash FROM {table} WHERE id = ?1"))
        .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
        .map_err(map_err)?;
    let mut values: Vec<Value> = vec![Value::Text(doc.to_owned()), Value::Integer(hash)];
    values.extend(columns.iter().map(|(_, v)| v.clone()));
    values.push(Value::Text(id.to_owned()));
    let names: Vec<&str> = ["doc", "hash"]
        .into_iter()
        .chain(columns.iter().map(|(n, _)| *n))
        .collect();
    let fate = match existing {
        Some(h) if h == hash => return Ok(Fate::Unchanged),
        Some(_) => {
            let set: Vec<String> = names.iter().map(|n| format!("{n} = ?")).collect();
            let sql = format!("UPDATE {table} SET {} WHERE id = ?", set.join(", "));
            tx.prepare_cached(&sql)
                .and_then(|mut s| s.execute(rusqlite::params_from_iter(values)))
                .map_err(map_err)?;
            Fate::Updated
        }
        None => {
            let sql = format!(
                "INSERT INTO {table} ({}, id) VALUES ({})",
                names.join(", "),
                vec!["?"; names.len() + 1].join(", ")
            );
            tx.prepare_cached(&sql)
                .and_then(|mut s| s.execute(rusqlite::params_from_iter(values)))
                .map_err(map_err)?;
            Fate::Created
        }
    };
    Ok(fate)
}

/// Replaces the rows of a link table for one subject.
fn replace_links(
    tx: &Transaction<'_>,
    table: &str,
    subject_column: &str,
    object_column: &str,
    subject: &str,
    objects: &[String],
) -> StoreResult<()> {
    tx.prepare_cached(&format!("DELETE FROM {table} WHERE {subject_column} = ?1"))
        .and_then(|mut s| s.execute([subject]))
        .map_err(map_err)?;
    let sql = format!(
        "INSERT OR IGNORE INTO {table} ({subject_column}, {object_column}) VALUES (?1, ?2)"
    );
    let mut stmt = tx.prepare_cached(&sql).map_err(map_err)?;
    for object in objects {
        stmt.execute([subject, object.as_str()]).map_err(map_err)?;
    }
    Ok(())
}

/// Replaces a node's full-text row.
fn index(
    tx: &Transaction<'_>,
    id: &str,
    kind: EntityKind,
    label: &str,
    body: &str,
) -> StoreResult<()> {
    let rowid: Option<i64> = tx
        .prepare_cached("SELECT rowid FROM search_docs WHERE entity_id = ?1")
        .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
        .map_err(map_err)?;
    let rowid = match rowid {
        Some(rowid) => {
            tx.prepare_cached("DELETE FROM search_index WHERE rowid = ?1")
                .and_then(|mut s| s.execute([rowid]))
                .map_err(map_err)?;
            rowid
        }
        None => {
            tx.prepare_cached("INSERT INTO search_docs (entity_id) VALUES (?1)")
                .and_then(|mut s| s.execute([id]))
                .map_err(map_err)?;
            tx.last_insert_rowid()
        }
    };
    tx.prepare_cached(
        "INSERT INTO search_index (rowid, entity_id, kind, label, body) VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .and_then(|mut s| s.execute(rusqlite::params![rowid, id, kind.prefix(), label, fold(body)]))
    .map_err(map_err)?;
    Ok(())
}

/// The labels of these needs, as the transaction sees them (the batch's needs are written
/// before its solutions).
fn need_labels(tx: &Transaction<'_>, needs: &[crate::domain::NeedId]) -> StoreResult<Vec<String>> {
    let mut out = Vec::new();
    let mut stmt = tx
        .prepare_cached("SELECT doc FROM needs WHERE id = ?1")
        .map_err(map_err)?;
    for id in needs {
        let doc: Option<String> = stmt
            .query_row([id.as_str()], |r| r.get(0))
            .optional()
            .map_err(map_err)?;
        if let Some(doc) = doc {
            let need: crate::domain::Need = super::sql::parse_doc(&doc)?;
            out.push(crate::store::need_label_text(&need));
        }
    }
    Ok(out)
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn opt_text(s: Option<&str>) -> Value {
    s.map_or(Value::Null, text)
}

/// Writes the whole batch inside a transaction the caller commits.
pub(super) fn write_in(tx: &Transaction<'_>, batch: &Batch) -> StoreResult<WriteReport> {
    let mut report = WriteReport::default();
    // Upserts one node of a kind into its table (see `upsert`) and counts what happened.
    let mut node = |kind: EntityKind, id: &str, doc: String, columns: &[(&str, Value)]| {
        let fate = upsert(tx, table_of(kind), id, &doc, columns)?;
        report.count(kind.prefix(), fate);
        Ok::<_, StoreError>(fate)
    };

    for s in &batch.sources {
        let cols = [
            ("kind", text(s.kind.as_str())),
            ("licence", opt_text(s.licence.as_ref().map(|l| l.as_str()))),
        ];
        node(EntityKind::Source, s.id.as_str(), to_doc(s)?, &cols)?;
    }
    for n in &batch.needs {
        let label = n.label.get(true).to_owned();
        let cols = [
            (
                "broader_id",
                opt_text(n.broader.as_ref().map(|b| b.as_str())),
            ),
            ("sort_key", text(&fold(&label))),
        ];
        let fate = node(EntityKind::Need, n.id.as_str(), to_doc(n)?, &cols)?;
        if fate != Fate::Unchanged {
            let body = crate::store::need_search_text(n);
            index(tx, n.id.as_str(), EntityKind::Need, &label, &body)?;
        }
    }
    for p in &batch.publishers {
        let cols = [("status", text(p.status.as_str()))];
        node(EntityKind::Publisher, p.id.as_str(), to_doc(p)?, &cols)?;
    }
    for s in &batch.solutions {
        let cols = [
            ("kind", text(s.kind.as_str())),
            ("status", text(s.status.as_str())),
            (
                "licence_key",
                text(&licence_key(s.licence.as_ref().map(|l| l.as_str()))),
            ),
            (
                "publisher_id",
                opt_text(s.publisher.as_ref().map(|p| p.as_str())),
            ),
            ("sort_key", text(&fold(&s.name))),
        ];
        let fate = node(EntityKind::Solution, s.id.as_str(), to_doc(s)?, &cols)?;
        if fate != Fate::Unchanged {
            let needs: Vec<String> = s.needs.iter().map(|n| n.to_string()).collect();
            replace_links(
                tx,
                "solution_needs",
                "solution_id",
                "need_id",
                s.id.as_str(),
                &needs,
            )?;
            let labels = need_labels(tx, &s.needs)?;
            let body = crate::store::solution_search_text(s, &labels);
            index(tx, s.id.as_str(), EntityKind::Solution, &s.name, &body)?;
        }
    }
    for a in &batch.alternatives {
        let cols = [
            ("libre_id", text(a.libre.as_str())),
            ("proprietary_id", text(a.proprietary.as_str())),
        ];
        node(EntityKind::Alternative, a.id.as_str(), to_doc(a)?, &cols)?;
    }
    for c in &batch.collectivities {
        let cols = [
            ("kind", text(c.kind.as_str())),
            ("country", text(c.country.as_str())),
            (
                "population",
                c.population
                    .map_or(Value::Null, |p| Value::Integer(p as i64)),
            ),
            ("department", opt_text(c.department.as_deref())),
            ("parent_id", opt_text(c.parent.as_ref().map(|p| p.as_str()))),
            ("sort_key", text(&fold(&c.name))),
        ];
        let fate = node(EntityKind::Collectivity, c.id.as_str(), to_doc(c)?, &cols)?;
        if fate != Fate::Unchanged {
            let body = crate::store::collectivity_search_text(c);
            index(tx, c.id.as_str(), EntityKind::Collectivity, &c.name, &body)?;
        }
    }
    for a in &batch.adoptions {
        let cols = [
            ("collectivity_id", text(a.collectivity.as_str())),
            ("solution_id", text(a.solution.as_str())),
            ("need_id", text(a.need.as_str())),
            ("status", text(a.status.as_str())),
            (
                "started_key",
                text(&a.started.map(|d| d.sort_key()).unwrap_or_default()),
            ),
        ];
        let fate = node(EntityKind::Adoption, a.id.as_str(), to_doc(a)?, &cols)?;
        if fate != Fate::Unchanged {
            let replaced: Vec<String> = a.replaced.iter().map(|s| s.to_string()).collect();
            replace_links(
                tx,
                "adoption_replaced",
                "adoption_id",
                "solution_id",
                a.id.as_str(),
                &replaced,
            )?;
        }
    }
    for o in &batch.outcomes {
        let cols = [
            ("adoption_id", text(o.adoption.as_str())),
            ("kind", text(o.kind.as_str())),
        ];
        node(EntityKind::Outcome, o.id.as_str(), to_doc(o)?, &cols)?;
    }
    for c in &batch.contributions {
        let cols = [
            ("collectivity_id", text(c.collectivity.as_str())),
            (
                "solution_id",
                opt_text(c.solution.as_ref().map(|s| s.as_str())),
            ),
            ("kind", text(c.kind.as_str())),
        ];
        node(EntityKind::Contribution, c.id.as_str(), to_doc(c)?, &cols)?;
    }
    for c in &batch.citations {
        let exists: bool = tx
            .prepare_cached(&format!(
                "SELECT EXISTS (SELECT 1 FROM {} WHERE id = ?1)",
                table_of(c.subject.kind())
            ))
            .and_then(|mut s| s.query_row([c.subject.as_str()], |r| r.get(0)))
            .map_err(map_err)?;
        if !exists {
            return Err(StoreError::MissingReference(format!(
                "a citation of {} names a node that does not exist",
                c.subject
            )));
        }
        let fate = write_citation(tx, c)?;
        report.count("citation", fate);
    }

    for r in &batch.releases {
        let doc = to_doc(r)?;
        let cols = [(
            "solution_id",
            opt_text(r.solution.as_ref().map(|s| s.as_str())),
        )];
        report.count(
            "product_cycle",
            upsert(tx, "product_cycles", &r.id, &doc, &cols)?,
        );
    }

    check_references(tx)?;
    if !report.is_no_op() {
        tx.execute(
            "UPDATE store_meta SET value = value + 1 WHERE key = 'revision'",
            [],
        )
        .map_err(map_err)?;
    }
    Ok(report)
}

/// Inserts a citation, or updates its locator; a citation already there is left alone.
fn write_citation(tx: &Transaction<'_>, c: &Citation) -> StoreResult<Fate> {
    let existing: Option<Option<String>> = tx
        .prepare_cached("SELECT locator FROM citations WHERE subject_id = ?1 AND source_id = ?2")
        .and_then(|mut s| {
            s.query_row([c.subject.as_str(), c.source.as_str()], |r| r.get(0))
                .optional()
        })
        .map_err(map_err)?;
    let (sql, fate) = match existing {
        None => (
            "INSERT INTO citations (subject_id, source_id, locator) VALUES (?1, ?2, ?3)",
            Fate::Created,
        ),
        // A citation without a locator never erases a known one.
        Some(old) if c.locator.is_none() || old == c.locator => return Ok(Fate::Unchanged),
        Some(_) => (
            "UPDATE citations SET locator = ?3 WHERE subject_id = ?1 AND source_id = ?2",
            Fate::Updated,
        ),
    };
    tx.prepare_cached(sql)
        .and_then(|mut s| {
            s.execute(rusqlite::params![
                c.subject.as_str(),
                c.source.as_str(),
                c.locator
            ])
        })
        .map_err(map_err)?;
    Ok(fate)
}

/// Fails with a readable message when any row refers to a node that does not exist.
fn check_references(tx: &Transaction<'_>) -> StoreResult<()> {
    let mut stmt = tx.prepare("PRAGMA foreign_key_check").map_err(map_err)?;
    let violations: Vec<(String, Option<i64>, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .map_err(map_err)?
        .collect::<Result<_, _>>()
        .map_err(map_err)?;
    let Some((table, rowid, parent)) = violations.first() else {
        return Ok(());
    };
    let subject = match rowid {
        Some(rowid) => tx
            .query_row(
                &format!("SELECT id FROM {table} WHERE rowid = ?1"),
                [rowid],
                |r| r.get::<_, String>(0),
            )
            .unwrap_or_else(|_| table.clone()),
        None => format!("a row of {table}"),
    };
    Err(StoreError::MissingReference(format!(
        "{subject} refers to a {parent} node that does not exist ({} broken reference{} in all)",
        violations.len(),
        if violations.len() == 1 { "" } else { "s" }
    )))
}
