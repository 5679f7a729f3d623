//! Escaping text for markup: the XML of the exports and feeds, the HTML of the explorer.

/// Escapes text for XML content and attribute values; characters XML 1.0 does not allow are
/// dropped.
pub fn xml_escape(text: &str) -> String {
    escape(text, "&apos;", |c| {
        (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r')
    })
}

/// Escapes text for HTML content and quoted attribute values (every character kept).
pub fn html_escape(text: &str) -> String {
    escape(text, "&#39;", |_| false)
}

/// `text` with the five markup characters replaced by entities (`apostrophe` for `'`) and the
/// characters `dropped` says so left out.
fn escape(text: &str, apostrophe: &str, dropped: fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str(apostrophe),
            c if dropped(c) => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_and_html_differ_only_in_the_apostrophe_and_control_characters() {
        let text = "a<b & \"c\" 'd'\u{1}\te";
        assert_eq!(
            xml_escape(text),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;\te"
        );
        assert_eq!(
            html_escape(text),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39;\u{1}\te"
        );
    }
}
