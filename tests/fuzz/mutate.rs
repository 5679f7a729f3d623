//! Mutations of real samples, driven by a seeded RNG: byte flips, truncation, spliced tokens
//! (huge and negative numbers, invalid UTF-8, YAML anchors and tags, deep nesting) and, for
//! JSON and YAML, changes to the parsed tree (a value of the wrong type, a key dropped, a
//! subtree duplicated or nested deep) written back as text.

use fastrand::Rng;
use serde_json::Value;

/// Tokens spliced into inputs: the shapes parsers trip on.
const TOKENS: &[&[u8]] = &[
    b"-1",
    b"0",
    b"3000000000",
    b"18446744073709551616",
    b"-9223372036854775809",
    b"1e999",
    b"NaN",
    b"null",
    b"~",
    b"true",
    b"[]",
    b"{}",
    b"\"\"",
    b"\"",
    b"'",
    b"\\",
    b"\\u0000",
    b"\\ud800",
    b"\xff\xfe",
    b"\xc3",
    b"\xe2\x82",
    b"\x00",
    b"\r\n",
    b"\n- ",
    b": ",
    b"&a ",
    b"*a",
    b"!!binary ",
    b"!!python/object ",
    b"<<: *a",
    b"---\n",
    b"...\n",
    b"<![CDATA[",
    b"]]>",
    b"<entry>",
    b"</feed>",
    b"&amp;",
    b"&#xD800;",
    b"<!DOCTYPE x [<!ENTITY e \"e\">]>",
    b",",
    b";",
    b"\t",
    b"2025-13-45",
    b"0000-00-00",
    b"9999-12-31T25:61:61Z",
    b"javascript:alert(1)",
    b"http://169.254.169.254/",
    b"solution:",
    b"collectivity:fr-commune-",
    b"...",
    b"#",
    b"{{",
    b"}}",
    b"\"\"\"",
];

/// Applies one to four mutations to `input`.
pub fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut bytes = input.to_vec();
    let rounds = rng.usize(1..=4);
    for _ in 0..rounds {
        bytes = match rng.usize(0..10) {
            0 => flip(rng, bytes),
            1 => truncate(rng, bytes),
            2 | 3 => splice(rng, bytes),
            4 => delete(rng, bytes),
            5 => duplicate(rng, bytes),
            6 => nest(rng, bytes),
            7 => replace_number(rng, bytes),
            _ => tree(rng, &bytes).unwrap_or_else(|| splice(rng, bytes)),
        };
    }
    bytes
}

fn flip(rng: &mut Rng, mut bytes: Vec<u8>) -> Vec<u8> {
    if !bytes.is_empty() {
        let at = rng.usize(..bytes.len());
        bytes[at] ^= 1 << rng.u8(0..8);
    }
    bytes
}

fn truncate(rng: &mut Rng, mut bytes: Vec<u8>) -> Vec<u8> {
    let at = rng.usize(0..=bytes.len());
    bytes.truncate(at);
    bytes
}

fn splice(rng: &mut Rng, mut bytes: Vec<u8>) -> Vec<u8> {
    let token = TOKENS[rng.usize(..TOKENS.len())];
    let at = rng.usize(0..=bytes.len());
    bytes.splice(at..at, token.iter().copied());
    bytes
}

fn delete(rng: &mut Rng, mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.is_empty() {
        return bytes;
    }
    let start = rng.usize(..bytes.len());
    let end = (start + rng.usize(1..=64)).min(bytes.len());
    bytes.drain(start..end);
    bytes
}

fn duplicate(rng: &mut Rng, mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.is_empty() || bytes.len() > 1 << 20 {
        return bytes;
    }
    let start = rng.usize(..bytes.len());
    let end = (start + rng.usize(1..=256)).min(bytes.len());
    let chunk: Vec<u8> = bytes[start..end].to_vec();
    let at = rng.usize(0..=bytes.len());
    bytes.splice(at..at, chunk);
    bytes
}

/// Deep nesting: many brackets or indentation levels at one place.
fn nest(rng: &mut Rng, mut bytes: Vec<u8>) -> Vec<u8> {
    let depth = rng.usize(10..5_000);
    let (open, close): (&[u8], &[u8]) = match rng.usize(0..4) {
        0 => (b"[", b"]"),
        1 => (b"{\"a\":", b"}"),
        2 => (b"- ", b""),
        _ => (b"<a>", b"</a>"),
    };
    let at = rng.usize(0..=bytes.len());
    let mut inserted = open.repeat(depth);
    inserted.extend(b"1");
    inserted.extend(close.repeat(depth));
    bytes.splice(at..at, inserted);
    bytes
}

/// Replaces a run of digits by a huge, negative or fractional number.
fn replace_number(rng: &mut Rng, mut bytes: Vec<u8>) -> Vec<u8> {
    let starts: Vec<usize> = (0..bytes.len())
        .filter(|&i| bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_digit()))
        .collect();
    if starts.is_empty() {
        return bytes;
    }
    let start = starts[rng.usize(..starts.len())];
    let end = (start..bytes.len())
        .find(|&i| !bytes[i].is_ascii_digit())
        .unwrap_or(bytes.len());
    let number: &[u8] = match rng.usize(0..6) {
        0 => b"-1",
        1 => b"4294967296",
        2 => b"99999999999999999999999999",
        3 => b"0.5",
        4 => b"-0",
        _ => b"1e308",
    };
    bytes.splice(start..end, number.iter().copied());
    bytes
}

/// The input parsed as JSON or YAML, one node of its tree changed, written back in its syntax.
fn tree(rng: &mut Rng, bytes: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(bytes).ok()?;
    if let Ok(mut value) = serde_json::from_str::<Value>(text) {
        change(rng, &mut value);
        return serde_json::to_vec(&value).ok();
    }
    let mut value: Value = serde_norway::from_str(text).ok()?;
    if !(value.is_object() || value.is_array()) {
        return None;
    }
    change(rng, &mut value);
    serde_norway::to_string(&value).ok().map(String::into_bytes)
}

/// Changes one node of `value`, reached by a random walk of up to eight steps.
fn change(rng: &mut Rng, value: &mut Value) {
    let steps = rng.usize(0..8);
    change_at(rng, value, steps);
}

fn change_at(rng: &mut Rng, node: &mut Value, steps: usize) {
    if steps > 0 {
        match node {
            Value::Array(items) if !items.is_empty() => {
                let at = rng.usize(..items.len());
                return change_at(rng, &mut items[at], steps - 1);
            }
            Value::Object(map) if !map.is_empty() => {
                let at = rng.usize(..map.len());
                let child = map.values_mut().nth(at).expect("in range");
                return change_at(rng, child, steps - 1);
            }
            _ => {}
        }
    }
    match rng.usize(0..9) {
        0 => *node = Value::Null,
        1 => *node = Value::from(-1),
        2 => *node = Value::from(u64::MAX),
        3 => *node = Value::from(""),
        4 => *node = Value::Array(vec![node.clone(), node.clone()]),
        5 => *node = serde_json::json!({ "x": node.clone() }),
        6 => *node = Value::from("x".repeat(rng.usize(1..100_000))),
        7 => match node {
            Value::Object(map) if !map.is_empty() => {
                let key = map.keys().nth(rng.usize(..map.len())).cloned();
                if let Some(key) = key {
                    map.remove(&key);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                items.remove(rng.usize(..items.len()));
            }
            _ => *node = Value::Bool(true),
        },
        _ => {
            let mut deep = Value::from(1);
            for _ in 0..rng.usize(10..200) {
                deep = Value::Array(vec![deep]);
            }
            *node = deep;
        }
    }
}
