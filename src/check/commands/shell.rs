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
    let mut lexer = Lexer {
        line,
        base,
        i: 0,
        command: Vec::new(),
        word: String::new(),
        word_start: None,
        skip_next_word: false,
    };
    while lexer.i < bytes.len() {
        let i = lexer.i;
        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                lexer.end_word();
                if c == b'\n' {
                    lexer.end_command(out);
                }
                lexer.i += 1;
            }
            b'#' if lexer.word_start.is_none() => {
                // A comment runs to the end of the line.
                while lexer.i < bytes.len() && bytes[lexer.i] != b'\n' {
                    lexer.i += 1;
                }
            }
            b'\'' => lexer.single_quoted(),
            b'"' => lexer.double_quoted(out),
            b'\\' => lexer.escaped(),
            b'$' if bytes.get(i + 1) == Some(&b'(') && bytes.get(i + 2) != Some(&b'(') => {
                lexer.substitution(out)
            }
            b'`' => lexer.backquoted(out),
            b'>' | b'<' => lexer.redirection(),
            b'&' | b'|' | b';' | b'(' | b')' => {
                lexer.end_word();
                lexer.end_command(out);
                lexer.i += 1;
            }
            _ => lexer.plain(),
        }
    }
    lexer.end_word();
    lexer.end_command(out);
}

/// Where `split_into` is in a line: at byte `i`, in the command and the
/// word being read.
struct Lexer<'l> {
    line: &'l str,
    /// The line's offset in the whole command line.
    base: usize,
    i: usize,
    command: Vec<Word>,
    word: String,
    word_start: Option<usize>,
    /// The next word is the file name after a redirection.
    skip_next_word: bool,
}

impl Lexer<'_> {
    fn end_word(&mut self) {
        if let Some(s) = self.word_start.take() {
            if self.skip_next_word {
                self.skip_next_word = false;
            } else {
                self.command.push(Word {
                    text: std::mem::take(&mut self.word),
                    offset: self.base + s,
                });
            }
            self.word.clear();
        }
    }

    fn end_command(&mut self, out: &mut Vec<Vec<Word>>) {
        out.extend((!self.command.is_empty()).then(|| std::mem::take(&mut self.command)));
    }

    /// A character of a word, unquoted.
    fn plain(&mut self) {
        let i = self.i;
        self.word_start.get_or_insert(i);
        let ch = self.line[i..].chars().next().unwrap_or(' ');
        self.word.push(ch);
        self.i += ch.len_utf8();
    }

    /// `'…'`: taken as written.
    fn single_quoted(&mut self) {
        let (line, i) = (self.line, self.i);
        self.word_start.get_or_insert(i);
        let end = line[i + 1..].find('\'').map_or(line.len(), |e| i + 1 + e);
        self.word.push_str(&line[i + 1..end]);
        self.i = end + 1;
    }

    /// `"…"`: backslashes escape, and `$( … )` is a command of its own.
    fn double_quoted(&mut self, out: &mut Vec<Vec<Word>>) {
        let (line, bytes, base) = (self.line, self.line.as_bytes(), self.base);
        let mut i = self.i;
        self.word_start.get_or_insert(i);
        i += 1;
        while i < bytes.len() && bytes[i] != b'"' {
            if bytes[i] == b'\\' && i + 1 < bytes.len() {
                i += 1;
            } else if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'(') {
                let end = matching_paren(line, i + 1);
                split_into(&line[i + 2..end], base + i + 2, out);
                self.word.push_str("$(…)");
                i = end + 1;
                continue;
            }
            let ch = line[i..].chars().next().unwrap_or(' ');
            self.word.push(ch);
            i += ch.len_utf8();
        }
        self.i = i + 1;
    }

    /// `\x`: the character itself; a backslash before a line break joins lines.
    fn escaped(&mut self) {
        let i = self.i;
        self.word_start.get_or_insert(i);
        if let Some(ch) = self.line[i + 1..].chars().next() {
            if ch != '\n' {
                self.word.push(ch);
            }
            self.i += 1 + ch.len_utf8();
        } else {
            self.i += 1;
        }
    }

    /// `$( … )`: a command of its own.
    fn substitution(&mut self, out: &mut Vec<Vec<Word>>) {
        let (line, i) = (self.line, self.i);
        self.word_start.get_or_insert(i);
        let end = matching_paren(line, i + 1);
        split_into(&line[i + 2..end], self.base + i + 2, out);
        self.word.push_str("$(…)");
        self.i = end + 1;
    }

    /// `` `…` ``: a command of its own.
    fn backquoted(&mut self, out: &mut Vec<Vec<Word>>) {
        let (line, i) = (self.line, self.i);
        self.word_start.get_or_insert(i);
        let end = line[i + 1..].find('`').map_or(line.len(), |e| i + 1 + e);
        split_into(&line[i + 1..end], self.base + i + 1, out);
        self.word.push_str("`…`");
        self.i = end + 1;
    }

    /// `>`, `2>>`, `<`, `&>`: the operator and the file name after it are
    /// dropped; `>&2` names a descriptor, not a file.
    fn redirection(&mut self) {
        let (line, bytes) = (self.line, self.line.as_bytes());
        // `2>` and `&>`: the digits before belong to the operator.
        if self.word.chars().all(|c| c.is_ascii_digit()) && self.word_start.is_some() {
            self.word.clear();
            self.word_start = None;
        }
        self.end_word();
        let mut i = self.i + 1;
        while i < bytes.len() && matches!(bytes[i], b'>' | b'<' | b'&' | b'|') {
            i += 1;
        }
        let rest = &line[i..];
        if !(line[..i].ends_with('&') && rest.starts_with(|c: char| c.is_ascii_digit() || c == '-'))
        {
            self.skip_next_word = true;
        } else {
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'-') {
                i += 1;
            }
        }
        self.i = i;
    }
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
