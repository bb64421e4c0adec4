//! Reads syscall numbers out of the kernel's `unistd*.h` headers.
//!
//! The headers are a list of `#define`s whose values are numbers or sums of other macros
//! (`(__NR_SYSCALL_BASE+ 3)`, `(__ARM_NR_BASE+5)`). Rather than run the C preprocessor,
//! which would need a cross compiler for every architecture, this collects every object-like
//! `#define` (honouring `#undef`) and evaluates the syscall macros over that set. It does
//! not evaluate `#if`: values that depend on configuration are pinned by the arch spec.

use std::collections::HashMap;

use anyhow::{bail, Context, Result};

/// Where a macro was defined, for error messages.
#[derive(Debug, Clone)]
struct Origin {
    file: String,
    line: usize,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

#[derive(Debug, Clone)]
struct Macro {
    body: String,
    origin: Origin,
}

/// How to recognise syscall macros; the parser's part of an arch spec.
pub struct HeaderSyntax<'a> {
    pub syscall_prefixes: &'a [(&'a str, &'a str)],
    pub not_syscalls: &'a [&'a str],
    pub fixed_macros: &'a [(&'a str, u64)],
}

/// All object-like macros of a set of headers, in definition order.
#[derive(Default)]
pub struct Macros {
    order: Vec<String>,
    defs: HashMap<String, Macro>,
}

impl Macros {
    /// Adds the `#define`s and `#undef`s of one header, named `file` in messages.
    pub fn add_header(&mut self, file: &str, text: &str) {
        for (index, raw_line) in text.lines().enumerate() {
            let line = strip_comments(raw_line);
            let Some(directive) = line.trim_start().strip_prefix('#') else {
                continue;
            };
            let directive = directive.trim_start();
            if let Some(rest) = directive.strip_prefix("define") {
                let rest = rest.trim_start();
                let name_len = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                let (name, body) = rest.split_at(name_len);
                // Function-like macros (`#define X(a)`) are never syscall numbers.
                if name.is_empty() || body.starts_with('(') {
                    continue;
                }
                let origin = Origin {
                    file: file.to_string(),
                    line: index + 1,
                };
                self.define(name, body.trim(), origin);
            } else if let Some(rest) = directive.strip_prefix("undef") {
                let name = rest.trim();
                self.defs.remove(name);
                self.order.retain(|n| n != name);
            }
        }
    }

    fn define(&mut self, name: &str, body: &str, origin: Origin) {
        if self.defs.contains_key(name) {
            self.order.retain(|n| n != name);
        }
        self.order.push(name.to_string());
        self.defs.insert(
            name.to_string(),
            Macro {
                body: body.to_string(),
                origin,
            },
        );
    }

    /// The syscalls these macros define, as `(number, name)` sorted by number.
    pub fn syscalls(&self, syntax: &HeaderSyntax) -> Result<Vec<(u32, String)>> {
        let fixed: HashMap<&str, u64> = syntax.fixed_macros.iter().copied().collect();
        let syscall_name = |macro_name: &str| -> Option<String> {
            if syntax.not_syscalls.contains(&macro_name) || fixed.contains_key(macro_name) {
                return None;
            }
            syntax
                .syscall_prefixes
                .iter()
                .find_map(|(prefix, table_prefix)| {
                    let rest = macro_name.strip_prefix(prefix)?;
                    (!rest.is_empty()).then(|| format!("{table_prefix}{rest}"))
                })
        };

        let mut found: Vec<(u32, String, &Origin)> = Vec::new();
        for macro_name in &self.order {
            let Some(name) = syscall_name(macro_name) else {
                continue;
            };
            let def = &self.defs[macro_name];
            // `#define __NR_sync_file_range2 __NR_arm_sync_file_range` is a second name
            // for a syscall already listed, not a syscall of its own.
            if syscall_name(&def.body).is_some() && self.defs.contains_key(&def.body) {
                continue;
            }
            let value = self
                .evaluate(&def.body, &fixed, 0)
                .with_context(|| format!("{}: cannot evaluate {macro_name}", def.origin))?;
            let number = u32::try_from(value).with_context(|| {
                format!("{}: {macro_name} = {value} does not fit u32", def.origin)
            })?;
            found.push((number, name, &def.origin));
        }

        found.sort_by_key(|(number, _, _)| *number);
        for pair in found.windows(2) {
            let ((n, a, origin_a), (_, b, origin_b)) = (&pair[0], &pair[1]);
            if pair[0].0 == pair[1].0 {
                bail!(
                    "syscall number {n} is defined twice: {a} at {origin_a} and {b} at {origin_b}"
                );
            }
        }
        Ok(found.into_iter().map(|(n, name, _)| (n, name)).collect())
    }

    /// Evaluates a macro body: integer literals, macro names, `+` and parentheses.
    fn evaluate(&self, body: &str, fixed: &HashMap<&str, u64>, depth: usize) -> Result<u64> {
        // Deeper than any real header nests; guards against self-referring macros.
        const MAX_DEPTH: usize = 16;
        if depth > MAX_DEPTH {
            bail!("macros nest deeper than {MAX_DEPTH} (a cycle?)");
        }
        let tokens = tokenize(body)?;
        let mut parser = ExprParser {
            tokens: &tokens,
            pos: 0,
        };
        let value = parser.sum(&mut |name| {
            if let Some(&value) = fixed.get(name) {
                return Ok(value);
            }
            let def = self
                .defs
                .get(name)
                .with_context(|| format!("unknown macro {name}"))?;
            self.evaluate(&def.body, fixed, depth + 1)
                .with_context(|| format!("in {name} at {}", def.origin))
        })?;
        if parser.pos != tokens.len() {
            bail!("unexpected {:?} in `{body}`", tokens[parser.pos]);
        }
        Ok(value)
    }
}

/// Removes `/* ... */` (on one line) and `//` comments.
fn strip_comments(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    loop {
        let block = rest.find("/*");
        let eol = rest.find("//");
        match (block, eol) {
            (Some(b), e) if e.is_none_or(|e| b < e) => {
                out.push_str(&rest[..b]);
                out.push(' ');
                match rest[b + 2..].find("*/") {
                    Some(end) => rest = &rest[b + 2 + end + 2..],
                    // A comment running onto the next line: nothing after it matters here.
                    None => return out,
                }
            }
            (_, Some(e)) => {
                out.push_str(&rest[..e]);
                return out;
            }
            _ => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Number(u64),
    Name(String),
    Plus,
    Open,
    Close,
}

fn tokenize(text: &str) -> Result<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let single = match c {
            '+' => Some(Token::Plus),
            '(' => Some(Token::Open),
            ')' => Some(Token::Close),
            _ => None,
        };
        if let Some(token) = single {
            tokens.push(token);
            chars.next();
            continue;
        }
        if !(c.is_ascii_alphanumeric() || c == '_') {
            bail!("unsupported character {c:?} in `{text}`");
        }
        let mut end = start;
        while let Some(&(i, c)) = chars.peek() {
            if !(c.is_ascii_alphanumeric() || c == '_') {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        let word = &text[start..end];
        tokens.push(if c.is_ascii_digit() {
            Token::Number(parse_integer(word)?)
        } else {
            Token::Name(word.to_string())
        });
    }
    Ok(tokens)
}

/// A C integer literal: decimal, `0x` hex or `0` octal, with optional `u`/`l` suffixes.
fn parse_integer(word: &str) -> Result<u64> {
    let digits = word.trim_end_matches(['u', 'U', 'l', 'L']);
    let parsed = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        u64::from_str_radix(hex, 16)
    } else if digits.len() > 1 && digits.starts_with('0') {
        u64::from_str_radix(&digits[1..], 8)
    } else {
        digits.parse()
    };
    parsed.with_context(|| format!("bad integer literal `{word}`"))
}

/// `sum := term ('+' term)*`, `term := number | name | '(' sum ')'`.
struct ExprParser<'t> {
    tokens: &'t [Token],
    pos: usize,
}

impl ExprParser<'_> {
    fn sum(&mut self, resolve: &mut dyn FnMut(&str) -> Result<u64>) -> Result<u64> {
        let mut value = self.term(resolve)?;
        while self.tokens.get(self.pos) == Some(&Token::Plus) {
            self.pos += 1;
            let rhs = self.term(resolve)?;
            value = value.checked_add(rhs).context("sum overflows")?;
        }
        Ok(value)
    }

    fn term(&mut self, resolve: &mut dyn FnMut(&str) -> Result<u64>) -> Result<u64> {
        let token = self
            .tokens
            .get(self.pos)
            .context("expression ends too early")?;
        self.pos += 1;
        match token {
            Token::Number(n) => Ok(*n),
            Token::Name(name) => resolve(name),
            Token::Open => {
                let value = self.sum(resolve)?;
                if self.tokens.get(self.pos) != Some(&Token::Close) {
                    bail!("missing `)`");
                }
                self.pos += 1;
                Ok(value)
            }
            other => bail!("unexpected {other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: HeaderSyntax = HeaderSyntax {
        syscall_prefixes: &[("__NR_", "")],
        not_syscalls: &[],
        fixed_macros: &[],
    };

    fn parse(text: &str, syntax: &HeaderSyntax) -> Result<Vec<(u32, String)>> {
        let mut macros = Macros::default();
        macros.add_header("test.h", text);
        macros.syscalls(syntax)
    }

    fn owned(entries: &[(u32, &str)]) -> Vec<(u32, String)> {
        entries.iter().map(|&(n, s)| (n, s.to_string())).collect()
    }

    #[test]
    fn plain_numbers_sorted_by_number() {
        let text = "#ifndef _ASM_UNISTD_64_H\n#define _ASM_UNISTD_64_H\n\n\
                    #define __NR_write 1\n#define __NR_read 0\n\
                    #define __NR_futex_waitv 449\n#endif /* _ASM_UNISTD_64_H */\n";
        assert_eq!(
            parse(text, &PLAIN).unwrap(),
            owned(&[(0, "read"), (1, "write"), (449, "futex_waitv")])
        );
    }

    #[test]
    fn base_relative_definitions_with_comments_and_pinned_base() {
        // ARM's style: the base is chosen by `#if`, which the spec pins to EABI's 0.
        let text = "#define __NR_OABI_SYSCALL_BASE\t0x900000\n\
                    #if defined(__thumb__) || defined(__ARM_EABI__)\n\
                    #define __NR_SYSCALL_BASE\t0\n#else\n\
                    #define __NR_SYSCALL_BASE\t__NR_OABI_SYSCALL_BASE\n#endif\n\
                    #define __NR_restart_syscall\t\t(__NR_SYSCALL_BASE+  0)\n\
                    \t\t\t\t\t/* 7 was sys_waitpid */\n\
                    #define __NR_getrlimit\t(__NR_SYSCALL_BASE+ 76)\t/* Back compat */\n\
                    #define __ARM_NR_BASE\t\t\t(__NR_SYSCALL_BASE+0x0f0000)\n\
                    #define __ARM_NR_set_tls\t\t(__ARM_NR_BASE+5)\n";
        let syntax = HeaderSyntax {
            syscall_prefixes: &[("__NR_", ""), ("__ARM_NR_", "ARM_")],
            not_syscalls: &["__NR_OABI_SYSCALL_BASE", "__ARM_NR_BASE"],
            fixed_macros: &[("__NR_SYSCALL_BASE", 0)],
        };
        assert_eq!(
            parse(text, &syntax).unwrap(),
            owned(&[
                (0, "restart_syscall"),
                (76, "getrlimit"),
                (0x0f0005, "ARM_set_tls")
            ])
        );
    }

    #[test]
    fn aliases_undefs_and_function_macros_are_skipped() {
        let text = "#define __NR_arm_sync_file_range (341)\n\
                    #define __NR_sync_file_range2 __NR_arm_sync_file_range\n\
                    #define __NR_time 13\n#undef __NR_time\n\
                    #define __NR_syscall_cp(x) (x)\n";
        assert_eq!(
            parse(text, &PLAIN).unwrap(),
            owned(&[(341, "arm_sync_file_range")])
        );
    }

    #[test]
    fn hex_octal_and_suffixed_literals() {
        let text = "#define __NR_a 0x10\n#define __NR_b 010\n#define __NR_c 3UL\n";
        assert_eq!(
            parse(text, &PLAIN).unwrap(),
            owned(&[(3, "c"), (8, "b"), (16, "a")])
        );
    }

    #[test]
    fn errors_name_the_macro_and_line() {
        let unknown = parse("\n#define __NR_x (__NR_BASE+1)\n", &PLAIN).unwrap_err();
        let message = format!("{unknown:#}");
        assert!(message.contains("test.h:2"), "{message}");
        assert!(message.contains("__NR_BASE"), "{message}");

        let duplicate = parse("#define __NR_a 5\n#define __NR_b 5\n", &PLAIN).unwrap_err();
        let message = format!("{duplicate:#}");
        assert!(message.contains("defined twice"), "{message}");

        let minus = parse("#define __NR_a (10 - 1)\n", &PLAIN).unwrap_err();
        assert!(format!("{minus:#}").contains("unsupported character '-'"));

        let cycle = parse("#define __NR_a (__B+1)\n#define __B (__NR_a+1)\n", &PLAIN);
        assert!(format!("{:#}", cycle.unwrap_err()).contains("deeper"));

        let huge = parse("#define __NR_a 0x100000000\n", &PLAIN).unwrap_err();
        assert!(format!("{huge:#}").contains("does not fit u32"));
    }

    #[test]
    fn strip_comments_handles_both_styles() {
        assert_eq!(strip_comments("a /* b */ c // d").trim(), "a   c");
        assert_eq!(strip_comments("x /* open").trim(), "x");
    }
}
