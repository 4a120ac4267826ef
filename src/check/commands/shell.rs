//! Shell splitting: a documented command line as simple commands of
//! unquoted words, each with its offset in the line.

/// One word of a command line, unquoted, with its byte offset in the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub offset: usize,
}

/// Splits a command line into simple commands. `&&`, `||`, `;`, `|`, `&` and
/// newlines separate commands; `$( … )` and backquoted text are commands of
/// their own; comments, redirections and their file names are dropped.
pub fn split_command_line(line: &str) -> Vec<Vec<Word>> {
    let mut out = Vec::new();
    split_into(line, 0, &mut out);
    out
}

fn split_into(line: &str, base: usize, out: &mut Vec<Vec<Word>>) {
    let bytes = line.as_bytes();
    let mut command: Vec<Word> = Vec::new();
    let mut word = String::new();
    let mut word_start: Option<usize> = None;
    let mut skip_next_word = false; // the file name after a redirection
    let mut i = 0;

    fn end_word(
        word: &mut String,
        start: &mut Option<usize>,
        skip: &mut bool,
        command: &mut Vec<Word>,
        base: usize,
    ) {
        if let Some(s) = start.take() {
            if *skip {
                *skip = false;
            } else {
                command.push(Word {
                    text: std::mem::take(word),
                    offset: base + s,
                });
            }
            word.clear();
        }
    }

    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                end_word(
                    &mut word,
                    &mut word_start,
                    &mut skip_next_word,
                    &mut command,
                    base,
                );
                if c == b'\n' {
                    out.extend((!command.is_empty()).then(|| std::mem::take(&mut command)));
                }
                i += 1;
            }
            b'#' if word_start.is_none() => {
                // A comment runs to the end of the line.
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'\'' => {
                word_start.get_or_insert(i);
                let end = line[i + 1..].find('\'').map_or(line.len(), |e| i + 1 + e);
                word.push_str(&line[i + 1..end]);
                i = end + 1;
            }
            b'"' => {
                word_start.get_or_insert(i);
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' && i + 1 < bytes.len() {
                        i += 1;
                    } else if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'(') {
                        let end = matching_paren(line, i + 1);
                        split_into(&line[i + 2..end], base + i + 2, out);
                        word.push_str("$(…)");
                        i = end + 1;
                        continue;
                    }
                    let ch = line[i..].chars().next().unwrap_or(' ');
                    word.push(ch);
                    i += ch.len_utf8();
                }
                i += 1;
            }
            b'\\' => {
                word_start.get_or_insert(i);
                if let Some(ch) = line[i + 1..].chars().next() {
                    if ch != '\n' {
                        word.push(ch);
                    }
                    i += 1 + ch.len_utf8();
                } else {
                    i += 1;
                }
            }
            b'$' if bytes.get(i + 1) == Some(&b'(') && bytes.get(i + 2) != Some(&b'(') => {
                word_start.get_or_insert(i);
                let end = matching_paren(line, i + 1);
                split_into(&line[i + 2..end], base + i + 2, out);
                word.push_str("$(…)");
                i = end + 1;
            }
            b'`' => {
                word_start.get_or_insert(i);
                let end = line[i + 1..].find('`').map_or(line.len(), |e| i + 1 + e);
                split_into(&line[i + 1..end], base + i + 1, out);
                word.push_str("`…`");
                i = end + 1;
            }
            b'>' | b'<' => {
                // `2>` and `&>`: the digits before belong to the operator.
                if word.chars().all(|c| c.is_ascii_digit()) && word_start.is_some() {
                    word.clear();
                    word_start = None;
                }
                end_word(
                    &mut word,
                    &mut word_start,
                    &mut skip_next_word,
                    &mut command,
                    base,
                );
                i += 1;
                while i < bytes.len() && matches!(bytes[i], b'>' | b'<' | b'&' | b'|') {
                    i += 1;
                }
                // `>&2` names a descriptor, not a file.
                let rest = &line[i..];
                if !(line[..i].ends_with('&')
                    && rest.starts_with(|c: char| c.is_ascii_digit() || c == '-'))
                {
                    skip_next_word = true;
                } else {
                    while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'-') {
                        i += 1;
                    }
                }
            }
            b'&' | b'|' | b';' | b'(' | b')' => {
                end_word(
                    &mut word,
                    &mut word_start,
                    &mut skip_next_word,
                    &mut command,
                    base,
                );
                out.extend((!command.is_empty()).then(|| std::mem::take(&mut command)));
                i += 1;
            }
            _ => {
                word_start.get_or_insert(i);
                let ch = line[i..].chars().next().unwrap_or(' ');
                word.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    end_word(
        &mut word,
        &mut word_start,
        &mut skip_next_word,
        &mut command,
        base,
    );
    out.extend((!command.is_empty()).then_some(command));
}

/// The index of the `)` closing the `(` at `open`, or the end of the line.
fn matching_paren(line: &str, open: usize) -> usize {
    let mut depth = 0;
    for (i, c) in line[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return open + i;
                }
            }
            _ => {}
        }
    }
    line.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Vec<String>> {
        split_command_line(line)
            .into_iter()
            .map(|c| c.into_iter().map(|w| w.text).collect())
            .collect()
    }

    #[test]
    fn split_command_line_cases() {
        let cases: &[(&str, &[&[&str]])] = &[
            (
                "./a.sh --x && ./b.sh || c; d | e",
                &[&["./a.sh", "--x"], &["./b.sh"], &["c"], &["d"], &["e"]],
            ),
            ("echo 'a && b' \"c; d\"", &[&["echo", "a && b", "c; d"]]),
            (
                "x=$(./get.sh --id) ./run.sh",
                &[&["./get.sh", "--id"], &["x=$(…)", "./run.sh"]],
            ),
            (
                "echo `./inner.sh -q`",
                &[&["./inner.sh", "-q"], &["echo", "`…`"]],
            ),
            ("./a.sh > out.txt 2>&1", &[&["./a.sh"]]),
            ("./a.sh >/dev/null 2> err.log -v", &[&["./a.sh", "-v"]]),
            ("./a.sh # a comment --not-a-flag", &[&["./a.sh"]]),
            ("(cd sub && ./b.sh) &", &[&["cd", "sub"], &["./b.sh"]]),
            (
                "echo \"$(./nested.sh --deep)\"",
                &[&["./nested.sh", "--deep"], &["echo", "$(…)"]],
            ),
            ("a\\ b.sh", &[&["a b.sh"]]),
            ("", &[]),
        ];
        for (line, want) in cases {
            let want: Vec<Vec<String>> = want
                .iter()
                .map(|c| c.iter().map(|w| w.to_string()).collect())
                .collect();
            assert_eq!(words(line), want, "{line}");
        }
    }

    #[test]
    fn word_offsets_point_into_the_line() {
        let line = "FOO=1 ./x.sh  --flag";
        let cmd = &split_command_line(line)[0];
        assert_eq!(&line[cmd[2].offset..], "--flag");
    }
}
