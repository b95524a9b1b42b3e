//! The program as compiled: checked for size and nesting before jaq's recursive parser sees it, then
//! rewritten so the budget is counted where a program can loop or grow.
//!
//! The rewrite, applied to the user's program and to every definition of jaq's standard library:
//! - every `def` body starts with `!tick`, so every call counts a step (recursion, `repeat`, `until`, `while`,
//!   `recurse`, `limit` over them...), and so does every `reduce`/`foreach` update;
//! - what a program adds to values is counted (`!count`, see `budget`): each element collected by `[f]`
//!   (`!elem`, also a step), each value of an object built with `{...}`, each value interpolated into a
//!   string, each right operand of `+`, each value an assignment puts at a path (`l = r` is run as
//!   `r as $v | l |= $v`, `l += r` as `r as $v | l |= . + $v`, and so on) and each output of the natives
//!   that build ([`BUILDING`]);
//! - `l * r` calls `!mul`, which refuses a string repetition or a big-integer product past the size budget
//!   before making it (`"x" * 1000000000000` would otherwise ask for a terabyte at once);
//! - every [`TICK_EVERY`]th level of a deeply nested program counts a step too, so the stack check of
//!   `!tick` also sees nesting that calls no definition (`.|.|.|...`, `[[[...]]]`, long `a, b, c, ...`);
//!   and the terms jaq's compiler turns into chains as long as they are wide (an object's entries, a
//!   string's interpolations, `elif`s, a path's parts) are cut into nested pieces of [`TICK_EVERY`], so
//!   their levels are counted too (`{a: 1, b: 2}` is `{a: 1} + {b: 2}`, `.a.b` is `(.a).b`).
//!
//! None of this changes what a program computes: the hooks are identities that may fail.

use jaq_core::load::lex::StrPart;
use jaq_core::load::parse::{BinaryOp, Def, Pattern, Term};
use jaq_core::ops::Math;
use jaq_core::path::{Part, Path};

use super::natives::{BUILDING, COUNT, ELEM, MUL, TICK};

/// Longest program text accepted.
pub const MAX_SOURCE_BYTES: usize = 64 * 1024;
/// Deepest nesting of brackets, string interpolations and `if`s accepted in the text.
pub const MAX_NESTING: usize = 256;
/// Deepest program accepted once parsed, counting every level the evaluation recurses through (an object's
/// entries, an `if`'s branches and a path's parts each add one).
pub const MAX_PROGRAM_DEPTH: usize = 1_024;

/// Most arguments of a call or definition, and variables of one destructuring pattern: jaq binds them one
/// inside the other, without a step in between.
pub const MAX_BINDINGS: usize = 64;

/// Levels of a program between two steps counted for its nesting alone.
pub const TICK_EVERY: usize = 8;

/// Name of the binding `l *= r` keeps `r` in; no jq program can spell it.
const FACTOR: &str = "$!factor";

/// How deeply `source` nests brackets, string interpolations and `if`s, reading it the way jaq's lexer does
/// (strings and comments skipped). An upper bound of what the parser recurses through for them.
pub fn nesting(source: &str) -> usize {
    #[derive(PartialEq)]
    enum Open {
        Bracket,
        Interpolation,
        If,
    }
    let mut open: Vec<Open> = Vec::new();
    let mut deepest = 0;
    let mut chars = source.char_indices().peekable();
    let mut in_string = false;
    let mut word = String::new();
    let mut after_dot = false;
    while let Some((_, c)) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    if chars.next_if(|(_, c)| *c == '(').is_some() {
                        in_string = false;
                        open.push(Open::Interpolation);
                    } else {
                        chars.next();
                    }
                }
                '"' => in_string = false,
                _ => {}
            }
        } else if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        } else {
            end_word(&mut word, &mut open, after_dot);
            match c {
                '"' => in_string = true,
                '#' => while chars.next_if(|(_, c)| *c != '\n').is_some() {},
                '(' | '[' | '{' => open.push(Open::Bracket),
                ')' | ']' | '}' => {
                    while open.last() == Some(&Open::If) {
                        open.pop();
                    }
                    if open.pop() == Some(Open::Interpolation) {
                        in_string = true;
                    }
                }
                _ => {}
            }
            after_dot = matches!(c, '.' | '$' | '@');
        }
        deepest = deepest.max(open.len());
    }
    end_word(&mut word, &mut open, after_dot);
    return deepest.max(open.len());

    fn end_word(word: &mut String, open: &mut Vec<Open>, after_dot: bool) {
        match word.as_str() {
            "if" if !after_dot => open.push(Open::If),
            "end" if !after_dot && open.last() == Some(&Open::If) => {
                open.pop();
            }
            _ => {}
        }
        word.clear();
    }
}

/// How many levels evaluating `term` recurses through, at most (see [`MAX_PROGRAM_DEPTH`]).
pub fn depth(term: &Term<&str>) -> usize {
    let max = |terms: &mut dyn Iterator<Item = &Term<&str>>| terms.map(depth).max().unwrap_or(0);
    1 + match term {
        Term::Id | Term::Recurse | Term::Num(_) | Term::Var(_) | Term::Break(_) => 0,
        Term::Arr(None) => 0,
        Term::Str(_, parts) => parts.len() + max(&mut str_terms(parts)),
        Term::Arr(Some(t)) | Term::Neg(t) | Term::Label(_, t) => depth(t),
        Term::Obj(entries) => {
            entries.len()
                + max(&mut entries
                    .iter()
                    .flat_map(|(k, v)| std::iter::once(k).chain(v)))
        }
        Term::BinOp(l, _, r) => depth(l).max(depth(r)),
        Term::Fold(_, xs, pattern, args) => depth(xs)
            .max(pattern_depth(pattern))
            .max(max(&mut args.iter())),
        Term::TryCatch(t, c) => depth(t).max(c.as_deref().map_or(0, depth)),
        Term::IfThenElse(branches, otherwise) => {
            branches.len()
                + max(&mut branches.iter().flat_map(|(i, t)| [i, t]))
                    .max(otherwise.as_deref().map_or(0, depth))
        }
        Term::Def(defs, body) => {
            let arity = defs.iter().map(|d| d.args.len()).max().unwrap_or(0);
            arity + max(&mut defs.iter().map(|d| &d.body)).max(depth(body))
        }
        Term::Call(_, args) => args.len() + max(&mut args.iter()),
        Term::Path(t, path) => {
            path.0.len() + depth(t).max(max(&mut path.0.iter().flat_map(|(p, _)| part_terms(p))))
        }
    }
}

/// The most arguments or pattern variables `term` binds at once (see [`MAX_BINDINGS`]).
pub fn bindings(term: &Term<&str>) -> usize {
    let max = |terms: &mut dyn Iterator<Item = &Term<&str>>| terms.map(bindings).max().unwrap_or(0);
    match term {
        Term::Id
        | Term::Recurse
        | Term::Num(_)
        | Term::Var(_)
        | Term::Break(_)
        | Term::Arr(None) => 0,
        Term::Str(_, parts) => max(&mut str_terms(parts)),
        Term::Arr(Some(t)) | Term::Neg(t) | Term::Label(_, t) => bindings(t),
        Term::Obj(entries) => max(&mut entries
            .iter()
            .flat_map(|(k, v)| std::iter::once(k).chain(v))),
        Term::BinOp(l, op, r) => {
            let pattern = match op {
                BinaryOp::Pipe(Some(pattern)) => pattern_bindings(pattern),
                _ => 0,
            };
            pattern.max(bindings(l)).max(bindings(r))
        }
        Term::Fold(_, xs, pattern, args) => bindings(xs)
            .max(pattern_bindings(pattern))
            .max(max(&mut args.iter())),
        Term::TryCatch(t, c) => bindings(t).max(c.as_deref().map_or(0, bindings)),
        Term::IfThenElse(branches, otherwise) => {
            max(&mut branches.iter().flat_map(|(i, t)| [i, t]))
                .max(otherwise.as_deref().map_or(0, bindings))
        }
        Term::Def(defs, body) => defs
            .iter()
            .map(|d| d.args.len().max(bindings(&d.body)))
            .max()
            .unwrap_or(0)
            .max(bindings(body)),
        Term::Call(_, args) => args.len().max(max(&mut args.iter())),
        Term::Path(t, path) => {
            bindings(t).max(max(&mut path.0.iter().flat_map(|(p, _)| part_terms(p))))
        }
    }
}

fn pattern_bindings(pattern: &Pattern<&str>) -> usize {
    match pattern {
        Pattern::Var(_) => 1,
        Pattern::Arr(items) => items.iter().map(pattern_bindings).sum(),
        Pattern::Obj(entries) => entries
            .iter()
            .map(|(k, p)| pattern_bindings(p).max(bindings(k)))
            .sum(),
    }
}

fn pattern_depth(pattern: &Pattern<&str>) -> usize {
    match pattern {
        Pattern::Var(_) => 0,
        Pattern::Arr(items) => items.len() + items.iter().map(pattern_depth).max().unwrap_or(0),
        Pattern::Obj(entries) => {
            entries.len()
                + entries
                    .iter()
                    .map(|(k, p)| depth(k).max(pattern_depth(p)))
                    .max()
                    .unwrap_or(0)
        }
    }
}

fn str_terms<'t, 's>(
    parts: &'t [StrPart<&'s str, Term<&'s str>>],
) -> impl Iterator<Item = &'t Term<&'s str>> {
    parts.iter().filter_map(|part| match part {
        StrPart::Term(t) => Some(t),
        StrPart::Str(_) | StrPart::Char(_) => None,
    })
}

fn part_terms<'t, 's>(part: &'t Part<Term<&'s str>>) -> impl Iterator<Item = &'t Term<&'s str>> {
    let (a, b) = match part {
        Part::Index(t) => (Some(t), None),
        Part::Range(from, to) => (from.as_ref(), to.as_ref()),
    };
    a.into_iter().chain(b)
}

fn call(name: &str) -> Term<&str> {
    Term::Call(name, Vec::new())
}

fn pipe<'s>(l: Term<&'s str>, r: Term<&'s str>) -> Term<&'s str> {
    Term::BinOp(Box::new(l), BinaryOp::Pipe(None), Box::new(r))
}

/// `!tick | term`
fn ticked(term: Term<&str>) -> Term<&str> {
    pipe(call(TICK), term)
}

/// `term | !count`
fn counted(term: Term<&str>) -> Term<&str> {
    pipe(term, call(COUNT))
}

/// `value as $!factor | body($!factor)`
fn bind<'s>(
    value: Term<&'s str>,
    body: impl FnOnce(Term<&'s str>) -> Term<&'s str>,
) -> Term<&'s str> {
    Term::BinOp(
        Box::new(value),
        BinaryOp::Pipe(Some(Pattern::Var(FACTOR))),
        Box::new(body(Term::Var(FACTOR))),
    )
}

fn update<'s>(path: Term<&'s str>, f: Term<&'s str>) -> Term<&'s str> {
    Term::BinOp(Box::new(path), BinaryOp::Update, Box::new(f))
}

/// A definition with its body rewritten and counting a step per call.
pub fn def(def: Def<&str>) -> Def<&str> {
    Def {
        name: def.name,
        args: def.args,
        body: ticked(term(def.body, 0)),
    }
}

/// Whether evaluating `term` may recurse into other terms.
fn is_leaf(term: &Term<&str>) -> bool {
    match term {
        Term::Id
        | Term::Recurse
        | Term::Num(_)
        | Term::Var(_)
        | Term::Break(_)
        | Term::Arr(None) => true,
        Term::Str(_, parts) => !parts.iter().any(|p| matches!(p, StrPart::Term(_))),
        Term::Call(_, args) => args.is_empty(),
        _ => false,
    }
}

/// `term`, `level` levels below the last step counted, rewritten (see the module doc).
fn term(term: Term<&str>, level: usize) -> Term<&str> {
    if level + 1 >= TICK_EVERY && !is_leaf(&term) {
        return ticked(nested(term, 0));
    }
    nested(term, level + 1)
}

/// `term` rewritten, its parts at `level`.
fn nested(term: Term<&str>, level: usize) -> Term<&str> {
    let boxed = |t: Box<Term<_>>| Box::new(self::term(*t, level));
    let term = match cut(term) {
        Ok(pieces) => return self::term(pieces, level),
        Err(term) => term,
    };
    match term {
        t @ (Term::Id
        | Term::Recurse
        | Term::Num(_)
        | Term::Var(_)
        | Term::Break(_)
        | Term::Arr(None)) => t,
        Term::Str(format, parts) => Term::Str(
            format,
            parts
                .into_iter()
                .map(|part| match part {
                    StrPart::Term(t) => StrPart::Term(counted(self::term(t, level))),
                    StrPart::Str(s) => StrPart::Str(s),
                    StrPart::Char(c) => StrPart::Char(c),
                })
                .collect(),
        ),
        Term::Arr(Some(t)) => Term::Arr(Some(Box::new(pipe(self::term(*t, level), call(ELEM))))),
        Term::Obj(entries) => Term::Obj(
            entries
                .into_iter()
                .map(|(k, v)| {
                    // The shorthands spelled out, so their values are counted too: `{$x}` is `{x: $x}`
                    // and `{a}` is `{a: .a}`, as jaq's compiler reads them.
                    let (k, v) = match (k, v) {
                        (Term::Var(x), None) => {
                            let name = x.strip_prefix('$').unwrap_or(x);
                            (Term::Str(None, vec![StrPart::Str(name)]), Term::Var(x))
                        }
                        (k, None) => {
                            let value =
                                Term::Path(Box::new(Term::Id), Path::from(Part::Index(k.clone())));
                            (k, value)
                        }
                        (k, Some(v)) => (k, v),
                    };
                    (self::term(k, level), Some(counted(self::term(v, level))))
                })
                .collect(),
        ),
        Term::Neg(t) => Term::Neg(boxed(t)),
        Term::Label(name, t) => Term::Label(name, boxed(t)),
        Term::BinOp(l, op, r) => binary(self::term(*l, level), op, self::term(*r, level), level),
        Term::Fold(name, xs, pattern, args) => {
            let args = args
                .into_iter()
                .enumerate()
                // The second argument is the update, run once per element.
                .map(|(i, arg)| {
                    let arg = self::term(arg, level);
                    if i == 1 { ticked(arg) } else { arg }
                })
                .collect();
            Term::Fold(name, boxed(xs), self::pattern(pattern, level), args)
        }
        Term::TryCatch(t, c) => Term::TryCatch(boxed(t), c.map(boxed)),
        Term::IfThenElse(branches, otherwise) => Term::IfThenElse(
            branches
                .into_iter()
                .map(|(i, t)| (self::term(i, level), self::term(t, level)))
                .collect(),
            otherwise.map(boxed),
        ),
        Term::Def(defs, body) => Term::Def(defs.into_iter().map(def).collect(), boxed(body)),
        Term::Call(name, args) => {
            let call = Term::Call(
                name,
                args.into_iter().map(|t| self::term(t, level)).collect(),
            );
            if BUILDING.contains(&name) {
                counted(call)
            } else {
                call
            }
        }
        Term::Path(t, path) => Term::Path(
            boxed(t),
            Path(
                path.0
                    .into_iter()
                    .map(|(part, opt)| {
                        let part = match part {
                            Part::Index(i) => Part::Index(self::term(i, level)),
                            Part::Range(from, to) => Part::Range(
                                from.map(|t| self::term(t, level)),
                                to.map(|t| self::term(t, level)),
                            ),
                        };
                        (part, opt)
                    })
                    .collect(),
            ),
        ),
    }
}

/// `term` as nested pieces of at most [`TICK_EVERY`] entries, parts or branches, the same filter; or `term`
/// itself when it is not that wide.
fn cut(term: Term<&str>) -> Result<Term<&str>, Term<&str>> {
    let sum = |pieces: Vec<Term<_>>| {
        pieces
            .into_iter()
            .reduce(|l, r| Term::BinOp(Box::new(l), BinaryOp::Math(Math::Add), Box::new(r)))
            .unwrap_or_default()
    };
    match term {
        Term::Obj(entries) if entries.len() > TICK_EVERY => {
            let mut entries = entries.into_iter().peekable();
            let mut pieces = Vec::new();
            while entries.peek().is_some() {
                pieces.push(Term::Obj(entries.by_ref().take(TICK_EVERY).collect()));
            }
            Ok(sum(pieces))
        }
        Term::Str(format, parts) if parts.len() > TICK_EVERY => {
            let mut parts = parts.into_iter().peekable();
            let mut pieces = Vec::new();
            while parts.peek().is_some() {
                pieces.push(Term::Str(format, parts.by_ref().take(TICK_EVERY).collect()));
            }
            Ok(sum(pieces))
        }
        Term::IfThenElse(mut branches, otherwise) if branches.len() > TICK_EVERY => {
            let rest = branches.split_off(TICK_EVERY);
            let inner = Term::IfThenElse(rest, otherwise);
            Ok(Term::IfThenElse(branches, Some(Box::new(inner))))
        }
        Term::Path(t, path) if path.0.len() > TICK_EVERY => {
            let mut parts = path.0;
            let last = parts.split_off(parts.len() - TICK_EVERY);
            Ok(Term::Path(Box::new(Term::Path(t, Path(parts))), Path(last)))
        }
        term => Err(term),
    }
}

fn binary<'s>(
    l: Term<&'s str>,
    op: BinaryOp<&'s str>,
    r: Term<&'s str>,
    level: usize,
) -> Term<&'s str> {
    let math = |l, op, r| Term::BinOp(Box::new(l), BinaryOp::Math(op), Box::new(r));
    match op {
        BinaryOp::Math(Math::Mul) => Term::Call(MUL, vec![l, r]),
        BinaryOp::Math(Math::Add) => math(l, Math::Add, counted(r)),
        // A string split in parts.
        BinaryOp::Math(Math::Div) => counted(math(l, Math::Div, r)),
        BinaryOp::Assign => bind(r, |v| update(l, counted(v))),
        BinaryOp::Update => update(l, counted(r)),
        BinaryOp::UpdateMath(Math::Mul) => {
            bind(r, |v| update(l, Term::Call(MUL, vec![Term::Id, v])))
        }
        BinaryOp::UpdateMath(op @ (Math::Add | Math::Div)) => {
            bind(r, |v| update(l, counted(math(Term::Id, op, v))))
        }
        BinaryOp::UpdateAlt => bind(r, |v| {
            update(
                l,
                Term::BinOp(Box::new(Term::Id), BinaryOp::Alt, Box::new(counted(v))),
            )
        }),
        BinaryOp::Pipe(Some(pattern)) => Term::BinOp(
            Box::new(l),
            BinaryOp::Pipe(Some(self::pattern(pattern, level))),
            Box::new(r),
        ),
        op => Term::BinOp(Box::new(l), op, Box::new(r)),
    }
}

fn pattern(pattern: Pattern<&str>, level: usize) -> Pattern<&str> {
    match pattern {
        Pattern::Var(x) => Pattern::Var(x),
        Pattern::Arr(items) => {
            Pattern::Arr(items.into_iter().map(|p| self::pattern(p, level)).collect())
        }
        Pattern::Obj(entries) => Pattern::Obj(
            entries
                .into_iter()
                .map(|(k, p)| (self::term(k, level), self::pattern(p, level)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_counts_brackets_interpolations_and_ifs_but_not_strings_or_comments() {
        assert_eq!(nesting(".a | .b"), 0);
        assert_eq!(nesting("[(1)]"), 2);
        assert_eq!(nesting(r#""((((" | "\(1 + (2))""#), 2);
        assert_eq!(nesting("# (((\n1"), 0);
        assert_eq!(nesting("if if . then 1 else 2 end then 3 else 4 end"), 2);
        assert_eq!(
            nesting("if . then 1 else 2 end | if . then 1 else 2 end"),
            1
        );
        assert_eq!(nesting(".end | .if"), 0);
        assert_eq!(nesting(&"(".repeat(10_000)), 10_000);
    }

    fn parsed(code: &str) -> Term<&str> {
        jaq_core::load::parse(code, |p| p.term()).unwrap()
    }

    #[test]
    fn depth_counts_object_entries_and_branches() {
        assert_eq!(depth(&parsed(".")), 1);
        assert!(depth(&parsed("{a: 1, b: 2, c: 3}")) >= 4);
        let chain = vec!["."; 100].join(" | ");
        assert!(depth(&parsed(&chain)) >= 100);
    }
}
