//! Parsed query documents, kept by their text. Clients send the same few queries again and
//! again (with other variables); parsing a document costs more than copying a parsed one, and
//! the field-count check and the schema then share one parse.

use std::sync::Arc;

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};

/// Default room for parsed documents, in bytes of query text (a parsed document weighs a
/// small multiple of its text).
pub const DEFAULT_CAPACITY_BYTES: u64 = 8 * 1024 * 1024;

/// Parsed documents by query text (documents that do not parse are not kept: the schema
/// reports why).
pub struct Documents {
    cache: moka::sync::Cache<String, Arc<ExecutableDocument>>,
}

impl Documents {
    /// Room for documents whose texts add up to about `capacity_bytes`.
    pub fn new(capacity_bytes: u64) -> Self {
        Self {
            cache: moka::sync::Cache::builder()
                .max_capacity(capacity_bytes)
                .weigher(|query: &String, _| u32::try_from(query.len()).unwrap_or(u32::MAX))
                .build(),
        }
    }

    /// The parsed document of `query`, or `None` when it does not parse.
    pub fn parse(&self, query: &str) -> Option<Arc<ExecutableDocument>> {
        if let Some(document) = self.cache.get(query) {
            return Some(document);
        }
        let document = Arc::new(async_graphql::parser::parse_query(query).ok()?);
        self.cache.insert(query.to_owned(), document.clone());
        Some(document)
    }
}

/// The type of the operation a request runs: the one named by `operation`, or the only one.
/// `None` when the name matches none, or none is named among several (the schema reports it).
pub fn operation_type(
    document: &ExecutableDocument,
    operation: Option<&str>,
) -> Option<OperationType> {
    match (&document.operations, operation) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| op.node.ty),
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// Whether any operation of the document is a mutation or a subscription.
pub fn has_non_query(document: &ExecutableDocument) -> bool {
    document
        .operations
        .iter()
        .any(|(_, op)| op.node.ty != OperationType::Query)
}

/// Counts the field selections of a document, fragments included once each.
pub fn count_fields(document: &ExecutableDocument) -> usize {
    use async_graphql::parser::types::{Selection, SelectionSet};
    fn count(set: &SelectionSet) -> usize {
        set.items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(f) => 1 + count(&f.node.selection_set.node),
                Selection::InlineFragment(f) => count(&f.node.selection_set.node),
                Selection::FragmentSpread(_) => 0,
            })
            .sum()
    }
    let operations: usize = document
        .operations
        .iter()
        .map(|(_, op)| count(&op.node.selection_set.node))
        .sum();
    let fragments: usize = document
        .fragments
        .values()
        .map(|f| count(&f.node.selection_set.node))
        .sum();
    operations + fragments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_parse_once_and_report_their_operation() {
        let documents = Documents::new(1024);
        let a = documents.parse("query A { x } mutation B { y }").unwrap();
        let b = documents.parse("query A { x } mutation B { y }").unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(operation_type(&a, Some("A")), Some(OperationType::Query));
        assert_eq!(operation_type(&a, Some("B")), Some(OperationType::Mutation));
        assert_eq!(operation_type(&a, Some("C")), None);
        assert_eq!(operation_type(&a, None), None);
        assert!(has_non_query(&a));
        assert_eq!(count_fields(&a), 2);
        assert!(documents.parse("{ unclosed").is_none());
    }

    #[test]
    fn fragments_count_once() {
        let documents = Documents::new(1024);
        let d = documents
            .parse("{ a { ...F } b { ...F } } fragment F on T { c d }")
            .unwrap();
        assert_eq!(count_fields(&d), 4);
        assert!(!has_non_query(&d));
    }
}
