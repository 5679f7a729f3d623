//! Parsed query documents, kept by their text. Clients send the same few queries again and
//! again (with other variables); parsing a document costs more than copying a parsed one, and
//! the price check and the schema then share one parse.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};

/// Default room for parsed documents, in bytes of query text (a parsed document weighs a
/// small multiple of its text).
pub const DEFAULT_CAPACITY_BYTES: u64 = 8 * 1024 * 1024;

/// Parsed documents by query text (documents that do not parse are not kept: the schema
/// reports why).
pub struct Documents {
    cache: moka::sync::Cache<String, Arc<Document>>,
}

/// A parsed document, and whether it has passed the schema's validation.
pub struct Document {
    parsed: ExecutableDocument,
    /// It declares no variables: every validation rule but complexity and depth then reads the
    /// document alone, so it passes them on every request or on none.
    self_contained: bool,
    passed: AtomicBool,
}

impl Document {
    fn new(parsed: ExecutableDocument) -> Self {
        let self_contained = parsed
            .operations
            .iter()
            .all(|(_, op)| op.node.variable_definitions.is_empty());
        Self {
            parsed,
            self_contained,
            passed: AtomicBool::new(false),
        }
    }

    /// Whether the schema's full validation needs not run again: this document declares no
    /// variables and a request with it has passed every rule (`api::Schemas::fast` then checks
    /// its complexity and depth only).
    pub fn passed(&self) -> bool {
        self.passed.load(Ordering::Relaxed)
    }

    /// Notes that a request with this document passed the full validation (an answer
    /// without errors); ignored for a document with variables, whose values some rules read.
    pub fn note_passed(&self) {
        if self.self_contained {
            self.passed.store(true, Ordering::Relaxed);
        }
    }

    /// The parsed document, for a request to run.
    pub fn to_parsed(&self) -> ExecutableDocument {
        self.parsed.clone()
    }
}

impl std::ops::Deref for Document {
    type Target = ExecutableDocument;

    fn deref(&self) -> &ExecutableDocument {
        &self.parsed
    }
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
    pub fn parse(&self, query: &str) -> Option<Arc<Document>> {
        if let Some(document) = self.cache.get(query) {
            return Some(document);
        }
        let document = Arc::new(Document::new(
            async_graphql::parser::parse_query(query).ok()?,
        ));
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

/// The query text without what does not change its meaning: comments, and runs of white
/// space and commas outside strings become one space. Answers are kept under this text, so a
/// client cannot bypass the answer cache by changing a comment or the indentation.
pub fn normalise(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let mut chars = query.chars().peekable();
    let mut gap = false;
    while let Some(c) = chars.next() {
        match c {
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' || c == '\r' {
                        break;
                    }
                }
                gap = true;
            }
            ' ' | '\t' | '\n' | '\r' | ',' | '\u{feff}' => gap = true,
            '"' => {
                push_gap(&mut out, &mut gap);
                out.push('"');
                copy_string(&mut chars, &mut out);
            }
            c => {
                push_gap(&mut out, &mut gap);
                out.push(c);
            }
        }
    }
    out
}

fn push_gap(out: &mut String, gap: &mut bool) {
    if *gap && !out.is_empty() {
        out.push(' ');
    }
    *gap = false;
}

/// Copies a string (`"..."`, or a block string `"""..."""`) whose opening quote was copied.
fn copy_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, out: &mut String) {
    let block = chars.peek() == Some(&'"') && {
        let mut ahead = chars.clone();
        ahead.next();
        ahead.peek() == Some(&'"')
    };
    if block {
        out.push_str("\"\"");
        chars.next();
        chars.next();
        let mut quotes = 0;
        while let Some(c) = chars.next() {
            out.push(c);
            match c {
                '"' => {
                    quotes += 1;
                    if quotes == 3 {
                        return;
                    }
                }
                '\\' if chars.peek() == Some(&'"') => {
                    quotes = 0;
                    // `\"""` is an escaped triple quote: copy it whole.
                    for _ in 0..3 {
                        if let Some(q) = chars.next() {
                            out.push(q);
                        }
                    }
                }
                _ => quotes = 0,
            }
        }
        return;
    }
    while let Some(c) = chars.next() {
        out.push(c);
        match c {
            '\\' => {
                if let Some(escaped) = chars.next() {
                    out.push(escaped);
                }
            }
            '"' | '\n' => return,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_documents_without_variables_are_noted_as_passed() {
        let documents = Documents::new(1024);
        let plain = documents
            .parse("{ solution(id: \"solution:x\") { name } }")
            .unwrap();
        assert!(!plain.passed(), "not before a request passed");
        plain.note_passed();
        assert!(documents
            .parse("{ solution(id: \"solution:x\") { name } }")
            .unwrap()
            .passed());
        // Which rules a document with variables passes depends on their values.
        let with_variables = documents
            .parse("query($id: ID!) { solution(id: $id) { name } }")
            .unwrap();
        with_variables.note_passed();
        assert!(!with_variables.passed());
    }

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
        assert!(documents.parse("{ unclosed").is_none());
    }

    #[test]
    fn comments_and_spacing_do_not_change_the_normal_text() {
        let plain = normalise("{ search(text: \"a  # b\") { kind } }");
        assert_eq!(plain, "{ search(text: \"a  # b\") { kind } }");
        assert_eq!(
            normalise("# hello\n{\n  search(text: \"a  # b\"),  # why\n { kind } }\n"),
            plain
        );
        assert_ne!(normalise("{ search(text: \"a b\") { kind } }"), plain);
        let block = "{ a(t: \"\"\"x # \\\"\"\" y\"\"\") }";
        assert_eq!(normalise(block), block);
    }
}
