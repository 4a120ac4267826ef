//! HTML escaping, for every module that writes HTML.

/// `s` with `&`, `<`, `>`, `"` and `'` escaped for HTML text and attributes.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    escape_into(&mut out, s);
    out
}

/// `escape`, appending to `out`.
pub(crate) fn escape_into(out: &mut String, s: &str) {
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(out, s);
}
