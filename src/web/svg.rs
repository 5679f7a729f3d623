//! Drawings rendered by the server as inline SVG (no JavaScript): a tree drawn left to right
//! (adoption paths, its boxes linking to their pages) and a bar chart (adoptions per year).
//! Each carries a title and a description; pages put the same facts in a list or a table
//! beside it.

use std::fmt::Write;

use super::html::esc;

/// A node of a tree drawn left to right.
#[derive(Debug, Clone)]
pub struct TreeNode {
    /// Its text, wrapped on up to [`MAX_LINES`] lines.
    pub label: String,
    /// Its CSS class (`proprietary`, `libre`, `adopter`, `outcome-success`...).
    pub class: String,
    /// Whether the edge from its parent is dashed (a weaker link).
    pub dashed: bool,
    /// The page it links to, if any.
    pub href: Option<String>,
    /// Its children, drawn in the next column.
    pub children: Vec<TreeNode>,
}

const COLUMN: f64 = 270.0;
const BOX_W: f64 = 235.0;
const LINE_H: f64 = 16.0;
/// Lines of text a box holds.
pub const MAX_LINES: usize = 4;
const BOX_H: f64 = 14.0 + MAX_LINES as f64 * LINE_H;
const ROW: f64 = BOX_H + 10.0;
const LINE_CHARS: usize = 31;

/// The label cut into lines of at most [`LINE_CHARS`] characters at spaces (a longer word
/// is cut); beyond [`MAX_LINES`], the last line ends with an ellipsis (the box's title and
/// the lists beside the drawing hold the whole text).
fn lines(label: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in label.split_whitespace() {
        let mut word: String = word.to_owned();
        while word.chars().count() > LINE_CHARS {
            if !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            let head: String = word.chars().take(LINE_CHARS).collect();
            word = word.chars().skip(LINE_CHARS).collect();
            out.push(head);
        }
        let len = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if len > LINE_CHARS && !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        out.push(line);
    }
    if out.len() > MAX_LINES {
        out.truncate(MAX_LINES);
        if let Some(last) = out.last_mut() {
            let kept: String = last.chars().take(LINE_CHARS - 1).collect();
            *last = format!("{kept}…");
        }
    }
    out
}

struct Placed {
    x: f64,
    y: f64,
}

fn depth(node: &TreeNode) -> usize {
    1 + node.children.iter().map(depth).max().unwrap_or(0)
}

/// Lays out `node` at column `col`; leaves take the next row. Returns its centre y.
fn draw(
    node: &TreeNode,
    col: usize,
    next_row: &mut usize,
    boxes: &mut String,
    edges: &mut String,
) -> f64 {
    let child_ys: Vec<f64> = node
        .children
        .iter()
        .map(|c| draw(c, col + 1, next_row, boxes, edges))
        .collect();
    let y = match (child_ys.first(), child_ys.last()) {
        (Some(first), Some(last)) => (first + last) / 2.0,
        _ => {
            let y = 10.0 + *next_row as f64 * ROW + BOX_H / 2.0;
            *next_row += 1;
            y
        }
    };
    let at = Placed {
        x: 10.0 + col as f64 * COLUMN,
        y,
    };
    for (c, cy) in node.children.iter().zip(&child_ys) {
        let (x1, x2) = (at.x + BOX_W, at.x + COLUMN);
        let mid = (x1 + x2) / 2.0;
        let _ = write!(
            edges,
            "<path class=\"edge{}\" d=\"M{x1:.0} {y:.0} C{mid:.0} {y:.0} {mid:.0} {cy:.0} {x2:.0} {cy:.0}\"/>",
            if c.dashed { " dashed" } else { "" },
        );
    }
    let text = lines(&node.label);
    let first_y = at.y - (text.len() as f64 - 1.0) * LINE_H / 2.0 + 5.0;
    let mut tspans = String::new();
    for (i, line) in text.iter().enumerate() {
        let _ = write!(
            tspans,
            "<tspan x=\"{:.0}\" y=\"{:.0}\">{}</tspan>",
            at.x + 8.0,
            first_y + i as f64 * LINE_H,
            esc(line)
        );
    }
    let shape = format!(
        "<g class=\"node {class}\"><title>{full}</title><rect x=\"{x:.0}\" y=\"{top:.0}\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"4\"/><text>{tspans}</text></g>",
        class = esc(&node.class),
        full = esc(&node.label),
        x = at.x,
        top = at.y - BOX_H / 2.0,
    );
    match &node.href {
        Some(href) => {
            let _ = write!(boxes, "<a href=\"{}\">{shape}</a>", esc(href));
        }
        None => boxes.push_str(&shape),
    }
    at.y
}

/// The tree as an inline SVG drawing titled `title` and described by `desc`; its boxes are
/// links (so it is a group of links, not a single image).
pub fn tree(root: &TreeNode, id: &str, title: &str, desc: &str) -> String {
    let (mut boxes, mut edges) = (String::new(), String::new());
    let mut rows = 0;
    draw(root, 0, &mut rows, &mut boxes, &mut edges);
    let width = 20.0 + (depth(root) as f64 - 1.0) * COLUMN + BOX_W;
    let height = 20.0 + rows.max(1) as f64 * ROW;
    format!(
        "<svg class=\"graph\" role=\"group\" aria-labelledby=\"{id}-t\" aria-describedby=\"{id}-d\" viewBox=\"0 0 {width:.0} {height:.0}\" \
         width=\"{width:.0}\" height=\"{height:.0}\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-t\">{title}</title><desc id=\"{id}-d\">{desc}</desc>{edges}{boxes}</svg>\n",
        title = esc(title),
        desc = esc(desc),
    )
}

/// A bar chart of counts per year, as an inline SVG image.
pub fn bars(years: &[(u16, u32)], id: &str, title: &str, desc: &str) -> String {
    let max = years.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1) as f64;
    let bar = 36.0;
    let plot = 120.0;
    let width = 20.0 + years.len().max(1) as f64 * (bar + 8.0);
    let mut out = format!(
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" viewBox=\"0 0 {width:.0} {h:.0}\" \
         width=\"{width:.0}\" height=\"{h:.0}\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-t\">{title}</title><desc id=\"{id}-d\">{desc}</desc>",
        h = plot + 50.0,
        title = esc(title),
        desc = esc(desc),
    );
    for (i, (year, n)) in years.iter().enumerate() {
        let x = 10.0 + i as f64 * (bar + 8.0);
        let h = (*n as f64 / max) * plot;
        let y = 20.0 + plot - h;
        let _ = write!(
            out,
            "<rect class=\"bar\" x=\"{x:.0}\" y=\"{y:.0}\" width=\"{bar}\" height=\"{h:.0}\"/>\
             <text x=\"{cx:.0}\" y=\"{ny:.0}\" text-anchor=\"middle\">{n}</text>\
             <text x=\"{cx:.0}\" y=\"{yy:.0}\" text-anchor=\"middle\">{year}</text>",
            cx = x + bar / 2.0,
            ny = y - 4.0,
            yy = 20.0 + plot + 18.0,
        );
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_wrap_whole() {
        let label =
            "Autres collectivités de l'agglomération grenobloise (non nommées) (abandonnée)";
        let wrapped = lines(label);
        assert!(wrapped.len() > 1 && wrapped.len() <= MAX_LINES);
        assert_eq!(wrapped.join(" "), label, "nothing lost");
        assert!(wrapped.iter().all(|l| l.chars().count() <= LINE_CHARS));
        assert_eq!(lines("Zoom"), vec!["Zoom"]);
    }

    #[test]
    fn boxes_link_to_their_pages() {
        let leaf = TreeNode {
            label: "Fontaine (déployée)".into(),
            class: "adopter".into(),
            dashed: false,
            href: Some("/collectivites/fr-commune-38169".into()),
            children: Vec::new(),
        };
        let root = TreeNode {
            label: "BigBlueButton".into(),
            class: "libre".into(),
            dashed: false,
            href: Some("/solutions/bigbluebutton".into()),
            children: vec![leaf],
        };
        let drawn = tree(&root, "t", "Titre", "Description");
        assert!(drawn.contains("<a href=\"/collectivites/fr-commune-38169\">"));
        assert!(drawn.contains("<a href=\"/solutions/bigbluebutton\">"));
        assert!(drawn.contains(">Fontaine (déployée)</tspan>"));
    }
}
