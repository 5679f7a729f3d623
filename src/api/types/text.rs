//! Text in French and English (`LocalizedText`).

use crate::api::enums::Language;
use crate::domain;
use async_graphql::Object;

/// Text in French and English.
pub struct Text(pub domain::LocalizedText);

#[Object(name = "LocalizedText")]
impl Text {
    /// The French text, when there is one.
    async fn fr(&self) -> Option<&str> {
        self.0.fr.as_deref()
    }
    /// The English text, when there is one.
    async fn en(&self) -> Option<&str> {
        self.0.en.as_deref()
    }
    /// The text in this language, else in the other one.
    async fn value(&self, #[graphql(default)] lang: Language) -> &str {
        self.0.get(lang == Language::Fr)
    }
}
