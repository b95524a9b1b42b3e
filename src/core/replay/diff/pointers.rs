//! JSON Pointers (RFC 6901) as the diff writes, reads and orders them: escaping of `~` and `/`, and the
//! order of paths by decoded segments with array indices compared as numbers.

use std::cmp::Ordering;

/// Builds a JSON Pointer from unescaped segments: no segments give `""` (the root).
pub fn pointer<I>(segments: I) -> String
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    let mut out = String::new();
    for segment in segments {
        out.push('/');
        push_escaped(&mut out, segment.as_ref());
    }
    out
}

/// Splits a JSON Pointer into its unescaped segments: `""` gives none, `"/"` gives one empty segment.
///
/// A path that does not start with `/` is read leniently, as if it did.
pub fn split_pointer(path: &str) -> Vec<String> {
    if path.is_empty() {
        return Vec::new();
    }
    let body = path.strip_prefix('/').unwrap_or(path);
    body.split('/').map(unescape).collect()
}

/// Orders two JSON Pointers by their decoded segments: segment by segment, a path before its extensions.
/// Segments that are canonical non-negative integers (array indices) compare by value and sort before other
/// segments, which compare as strings.
pub fn compare_pointers(a: &str, b: &str) -> Ordering {
    compare_segments(&split_pointer(a), &split_pointer(b))
}
fn push_escaped(out: &mut String, segment: &str) {
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            other => out.push(other),
        }
    }
}

fn unescape(segment: &str) -> String {
    // `~1` first, so that `~01` becomes `~1` (a literal tilde followed by "1") and not `/`.
    segment.replace("~1", "/").replace("~0", "~")
}

pub(super) fn compare_segments(a: &[String], b: &[String]) -> Ordering {
    for (left, right) in a.iter().zip(b) {
        let order = compare_segment(left, right);
        if order != Ordering::Equal {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

fn compare_segment(a: &str, b: &str) -> Ordering {
    match (is_index(a), is_index(b)) {
        // Canonical integers have no leading zeros, so a longer one is larger.
        (true, true) => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => a.cmp(b),
    }
}

/// Whether `segment` is written the way an array index is: digits only, no leading zero (except `0` itself).
fn is_index(segment: &str) -> bool {
    !segment.is_empty()
        && segment.bytes().all(|b| b.is_ascii_digit())
        && (segment == "0" || !segment.starts_with('0'))
}
