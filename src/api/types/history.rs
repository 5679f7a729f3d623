//! `HistoryEntry`: one change of a node made through the API.

use crate::domain;
use async_graphql::{Object, ID};

/// One change of a node, made through the API.
pub struct HistoryEntryNode(pub domain::HistoryEntry);

/// A document as shown in history: a collectivity's contact never appears there.
fn public_doc(doc: &Option<serde_json::Value>) -> Option<async_graphql::Json<serde_json::Value>> {
    doc.clone().map(|mut d| {
        if let Some(map) = d.as_object_mut() {
            map.remove("contact");
        }
        async_graphql::Json(d)
    })
}

#[Object(name = "HistoryEntry")]
impl HistoryEntryNode {
    /// The node changed.
    async fn node(&self) -> ID {
        ID(self.0.node.to_string())
    }
    /// When (RFC 3339).
    async fn at(&self) -> String {
        self.0.at.to_rfc3339()
    }
    /// The id of the token that made the change (`tok_...`).
    async fn author(&self) -> String {
        self.0.author.to_string()
    }
    /// What was done: CREATE, UPDATE or RETIRE.
    async fn action(&self) -> &str {
        self.0.action.as_str()
    }
    /// The node's document before the change (null for a creation).
    async fn before(&self) -> Option<async_graphql::Json<serde_json::Value>> {
        public_doc(&self.0.before)
    }
    /// The node's document after the change.
    async fn after(&self) -> Option<async_graphql::Json<serde_json::Value>> {
        public_doc(&self.0.after)
    }
    /// Why, in the author's words.
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }
}
