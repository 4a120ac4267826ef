//! A page's title without rendering the page: the text of its first `#`
//! heading, from a scan of its lines (a large site keeps only the lines up
//! to it until the page is written).

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The markdown options of every pass.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// The text of the first `#` heading of `text[body_start..]`, found without
/// parsing the whole page: a line scan that skips fenced code, HTML blocks and
/// comments, then a parse of the heading's own lines. It agrees with
/// `render(..).title` on ordinary pages; a build checks that it did and
/// renders again the slow way when not (a heading in a list item, a
/// reference link in a title).
pub(crate) fn first_heading_title(text: &str, body_start: usize) -> Option<String> {
    first_heading(text, body_start).map(|(title, _)| title)
}

/// `first_heading_title`, and where the heading's last line ends in `text`:
/// the text up to there gives the same title.
pub(crate) fn first_heading(text: &str, body_start: usize) -> Option<(String, usize)> {
    let body = &text[body_start..];
    let at = |title: Option<String>, end: usize| title.map(|t| (t, body_start + end));
    let mut fence: Option<(char, usize)> = None;
    let mut in_comment = false;
    let mut in_html = false;
    // Where the current paragraph started (a setext heading's text), if in one.
    let mut paragraph: Option<usize> = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start_matches(' ').len();
        let mut trimmed = &content[indent.min(content.len())..];
        if in_comment {
            in_comment = !content.contains("-->");
            continue;
        }
        if let Some((c, n)) = fence {
            let run = trimmed.len() - trimmed.trim_start_matches(c).len();
            if indent < 4 && run >= n && trimmed[run..].trim().is_empty() {
                fence = None;
            }
            continue;
        }
        if content.trim().is_empty() {
            in_html = false;
            paragraph = None;
            continue;
        }
        if in_html {
            continue;
        }
        if indent >= 4 && paragraph.is_none() {
            continue;
        }
        // Block quote markers: a heading inside one is still the page's heading.
        while let Some(rest) = trimmed.strip_prefix('>') {
            trimmed = rest.trim_start_matches(' ');
        }
        for c in ['`', '~'] {
            let run = trimmed.len() - trimmed.trim_start_matches(c).len();
            if run >= 3 && indent < 4 && !(c == '`' && trimmed[run..].contains('`')) {
                fence = Some((c, run));
            }
        }
        if fence.is_some() {
            paragraph = None;
            continue;
        }
        if trimmed.starts_with("<!--") {
            in_comment = !trimmed.contains("-->");
            paragraph = None;
            continue;
        }
        if trimmed.starts_with('<') && paragraph.is_none() {
            in_html = true;
            continue;
        }
        let hashes = trimmed.len() - trimmed.trim_start_matches('#').len();
        if hashes > 0
            && hashes <= 6
            && trimmed[hashes..]
                .chars()
                .next()
                .is_none_or(|c| c == ' ' || c == '\t')
        {
            if hashes == 1 {
                return at(heading_text(content), offset);
            }
            paragraph = None;
            continue;
        }
        if let Some(from) = paragraph
            && indent < 4
            && !trimmed.is_empty()
            && trimmed.trim_end().chars().all(|c| c == '=')
        {
            return at(heading_text(&body[from..offset]), offset);
        }
        if paragraph.is_none() {
            let list = ["- ", "* ", "+ "].iter().any(|m| trimmed.starts_with(m))
                || trimmed
                    .trim_end()
                    .chars()
                    .all(|c| c == '-' || c == '*' || c == '_' || c == ' ');
            paragraph = (!list).then_some(start);
        }
    }
    None
}

/// The text of the heading in `source` as the markdown pass collects it.
fn heading_text(source: &str) -> Option<String> {
    let mut text = String::new();
    let mut inside = false;
    for event in Parser::new_ext(source, options()) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => inside = true,
            Event::End(TagEnd::Heading(_)) if inside => return Some(text.trim().to_string()),
            Event::Text(t) | Event::Code(t) if inside => text.push_str(&t),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_heading_is_found_without_rendering() {
        let pages = [
            "# Title\n\nText.\n",
            "Intro.\n\n# The `release.sh` *script*\n",
            "```md\n# not this\n```\n\n# This\n",
            "~~~~\n```\n# no\n~~~~\n# Yes\n",
            "<!-- a\n# comment -->\n\n# After\n",
            "<div>\n# inside html\n</div>\n\n# Outside\n",
            "Setext\nover two lines\n===\n",
            "## Second level\n\nSetext\n---\n\n# First\n",
            "> # Quoted title\n",
            "    # indented code\n\n# Real\n",
            "No heading at all.\n",
            "#hashtag\n\n#\tTabbed\n",
            "- item\n\nTitle\n=====\n",
            "Para\n\n***\n\n# After rule\n",
            "# Ends with hashes ##\n",
            "# [Link](x.md) and &amp; <b>bold</b>\n",
        ];
        for page in pages {
            assert_eq!(
                first_heading_title(page, 0),
                crate::markdown::scan(page, 0).title,
                "{page:?}"
            );
            // A large site keeps only the text up to the heading's end
            // (`project::keep_layout_lines`): the title read from it is the same.
            if let Some((title, end)) = first_heading(page, 0) {
                assert!(end <= page.len(), "{page:?}");
                let kept = &page[..end];
                assert_eq!(first_heading_title(kept, 0), Some(title), "{page:?}");
                assert!(page[end..].is_empty() || kept.ends_with('\n'), "{page:?}");
            }
        }
        // With front matter, the body starts after it.
        let text = "---\ntitle: x\n---\n# Body title\n";
        assert_eq!(first_heading_title(text, 16).as_deref(), Some("Body title"));
    }
}
