//! The native filters jq programs run with: jaq's own, less the few that could hang, blow up memory or
//! reach outside the program, plus the budget's hooks.
//!
//! Added (their names cannot be written in jq, so a program can neither call nor shadow them):
//! - `!tick`: the identity, counting one step (see [`super::budget`]); it works in paths and updates too, so
//!   `path(f)` and `f |= g` behave as before when `f` calls a definition.
//! - `!count`: the identity, adding its input to what the evaluation built (see [`super::budget`]); in paths
//!   and updates it is the identity only, so it can follow natives like `first` or `path`.
//! - `!elem`: the identity on an element being collected into an array: a step, and a count.
//! - `!mul($l; $r)`: `$l * $r`, refusing beforehand a string repeated past the size budget or a product of big
//!   integers that would be too large, and counting what it made.
//!
//! Replaced (same name and semantics unless said): `range/3` (counts a step per output), `fromjson` (refuses
//! text nested too deep before parsing it, since jaq's parser recurses), `env` (an empty object: a reducer
//! file from someone else must not copy secrets into a state or a report), `halt` (an error instead of
//! ending the process), and `localtime` and `strflocaltime`, which are jaq's `gmtime` and `strftime` under
//! those names: the machine's timezone would otherwise leak into a state or a report, and make a replay's
//! result depend on the machine it ran on. (`mktime`, `strptime` and `strftime` of a broken-down time read it
//! as UTC in jaq already.)

use jaq_core::box_iter::box_once;
use jaq_core::native::{Fun, v};
use jaq_core::{Cv, DataT, Error, Exn, Native, ValXs, data::HasLut};
use jaq_json::{Num, Val};

use super::budget::{Limit, MAX_VALUE_DEPTH, MAX_VALUE_SIZE, Meter, scalar_size};

/// Names of jaq's natives this module replaces; theirs are left out.
const REPLACED: [&str; 6] = [
    "range",
    "fromjson",
    "env",
    "halt",
    "localtime",
    "strflocaltime",
];

/// jaq's natives that use the machine's timezone, each with the UTC one that runs in its place.
const AS_UTC: [(&str, &str); 2] = [("localtime", "gmtime"), ("strflocaltime", "strftime")];

pub(crate) const TICK: &str = "!tick";
pub(crate) const COUNT: &str = "!count";
pub(crate) const MUL: &str = "!mul";
pub(crate) const ELEM: &str = "!elem";

/// What jq programs run on: jaq's JSON values, with a [`Meter`] beside the program.
pub(crate) struct Metered;

/// The data every native sees: the program and the meter of the evaluation.
#[derive(Clone)]
pub(crate) struct Env<'a> {
    pub(crate) lut: &'a jaq_core::Lut<Metered>,
    pub(crate) meter: &'a Meter,
}

impl DataT for Metered {
    type V<'a> = Val;
    type Data<'a> = Env<'a>;
}

impl<'a> HasLut<'a, Metered> for Env<'a> {
    fn lut(&self) -> &'a jaq_core::Lut<Metered> {
        self.lut
    }
}

fn meter<'a>(cv: &Cv<'a, Metered, impl Sized>) -> &'a Meter {
    cv.0.data().meter
}

/// The error a program sees when a limit is exceeded (it cannot catch its way past it: the meter remembers).
fn limit_error<'a>(limit: Limit) -> Exn<'a, Val> {
    Exn::from(Error::str(format!("eventscope: {limit}")))
}

/// Natives whose outputs are new values, possibly larger than their inputs, so counted as built; the others
/// give numbers, booleans or values they were given (`length`, `first`, `limit`...).
pub(crate) const BUILDING: [&str; 32] = [
    "tojson",
    "tobytes",
    "explode",
    "implode",
    "ascii_downcase",
    "ascii_upcase",
    "reverse",
    "sort",
    "sort_by",
    "group_by",
    "ltrimstr",
    "rtrimstr",
    "trim",
    "ltrim",
    "rtrim",
    "escape_sh",
    "escape_html",
    "unescape_html",
    "encode_uri",
    "decode_uri",
    "encode_base64",
    "decode_base64",
    "indices",
    "keys_unsorted",
    "key_values",
    "path",
    "path_value",
    "matches",
    "split_matches",
    "split_",
    "strftime",
    "strflocaltime",
];

fn counted<'a>(meter: &Meter, value: Val) -> ValXs<'a, Val> {
    box_once(meter.count(&value).map(|()| value).map_err(limit_error))
}

/// Every native a program may call.
pub(crate) fn all() -> Vec<Fun<Metered>> {
    let theirs = jaq_core::funs::<Metered>()
        .chain(jaq_std::funs::<Metered>())
        .chain(jaq_json::funs::<Metered>())
        .filter(|(name, _, _)| !REPLACED.contains(name));
    // jaq's own UTC natives again, under the local names (a `Native` cannot be cloned, only made again).
    let utc = jaq_std::funs::<Metered>().filter_map(|(name, args, native)| {
        AS_UTC
            .iter()
            .find(|(_, utc)| *utc == name)
            .map(|(local, _)| (*local, args, native))
    });
    let ours = [
        (TICK, v(0), tick()),
        (COUNT, v(0), count()),
        (
            ELEM,
            v(0),
            Native::new(|cv| match meter(&cv).tick() {
                Ok(()) => counted(meter(&cv), cv.1),
                Err(limit) => box_once(Err(limit_error(limit))),
            }),
        ),
        // Closures, not the functions themselves: jaq's function pointer type names the value type through
        // `DataT`, which only a closure's inferred signature matches.
        (MUL, v(2), Native::new(|cv| mul(cv))),
        ("range", v(3), Native::new(|cv| range(cv))),
        ("fromjson", v(0), Native::new(|cv| fromjson(cv))),
        (
            "env",
            v(0),
            Native::new(|_| box_once(Ok(Val::obj(Default::default())))),
        ),
        ("halt", v(1), Native::new(|cv| halt(cv))),
    ];
    theirs.chain(utc).chain(ours).collect()
}

/// `!tick` in all three of jaq's modes: run, paths and update.
fn tick() -> Native<Metered> {
    Native::new(|cv| {
        let counted = meter(&cv).tick();
        box_once(counted.map(|()| cv.1).map_err(limit_error))
    })
    .with_paths(|cv| {
        let counted = meter(&cv).tick();
        box_once(counted.map(|()| cv.1).map_err(limit_error))
    })
    .with_update(|cv, f| match meter(&cv).tick() {
        Ok(()) => f(cv.1),
        Err(limit) => box_once(Err(limit_error(limit))),
    })
}

/// `!count`: counts in run mode, the identity in the others.
fn count() -> Native<Metered> {
    Native::new(|cv| counted(meter(&cv), cv.1))
        .with_paths(|cv| box_once(Ok(cv.1)))
        .with_update(|cv, f| f(cv.1))
}

/// `$l * $r` (see the module doc).
fn mul(mut cv: Cv<'_, Metered>) -> ValXs<'_, Val> {
    let r = cv.0.pop_var();
    let l = cv.0.pop_var();
    let meter = meter(&cv);
    if let Err(limit) = check_product(&l, &r) {
        return box_once(Err(limit_error(meter.exceed(limit))));
    }
    // An object merged into another adds at most the right one; a repeated string or a product is new.
    let added = match &r {
        Val::Obj(_) => Some(r.clone()),
        _ => None,
    };
    match l * r {
        Ok(Val::Obj(merged)) => match added.map_or(Ok(()), |r| meter.count(&r)) {
            Ok(()) => box_once(Ok(Val::Obj(merged))),
            Err(limit) => box_once(Err(limit_error(limit))),
        },
        Ok(product) => counted(meter, product),
        Err(err) => box_once(Err(Exn::from(err))),
    }
}

/// Refuse a product whose size is known beforehand to be too large.
fn check_product(l: &Val, r: &Val) -> Result<(), Limit> {
    let too_large = match (l, r) {
        (Val::TStr(s) | Val::BStr(s), number @ Val::Num(n))
        | (number @ Val::Num(n), Val::TStr(s) | Val::BStr(s)) => {
            // jaq repeats the string by an integer (a big one saturates), and gives null for one below 1.
            let times = match n {
                Num::Int(i) => u64::try_from(*i).unwrap_or(0),
                Num::BigInt(_) if *number > Val::from(0_isize) => u64::MAX,
                _ => 0,
            };
            u64::try_from(s.len())
                .unwrap_or(u64::MAX)
                .saturating_mul(times)
                > MAX_VALUE_SIZE
        }
        (Val::Num(Num::BigInt(_)), Val::Num(Num::Int(_) | Num::BigInt(_)))
        | (Val::Num(Num::Int(_)), Val::Num(Num::BigInt(_))) => {
            scalar_size(l).saturating_add(scalar_size(r)) > MAX_VALUE_SIZE
        }
        _ => false,
    };
    if too_large { Err(Limit::Size) } else { Ok(()) }
}

/// jaq's `range($from; $to; $by)`, one step per output.
fn range(mut cv: Cv<'_, Metered>) -> ValXs<'_, Val> {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let by = cv.0.pop_var();
    let to = cv.0.pop_var();
    let from = cv.0.pop_var();
    let meter = meter(&cv);
    let direction = by.partial_cmp(&Val::from(0_isize)).unwrap_or(Equal);
    let mut next: Option<Result<Val, Exn<'_, Val>>> = Some(Ok(from));
    Box::new(std::iter::from_fn(move || {
        let current = match next.take()? {
            Ok(current) => current,
            // An error ends the range.
            Err(err) => return Some(Err(err)),
        };
        let more = match direction {
            Greater => current < to,
            Less => current > to,
            Equal => current != to,
        };
        if !more {
            return None;
        }
        if let Err(limit) = meter.tick() {
            return Some(Err(limit_error(limit)));
        }
        next = Some((current.clone() + by.clone()).map_err(Exn::from));
        Some(Ok(current))
    }))
}

/// jaq's `fromjson`, refusing text nested deeper than a value may be before its recursive parser sees it.
fn fromjson(cv: Cv<'_, Metered>) -> ValXs<'_, Val> {
    let meter = meter(&cv);
    let text = match cv.1.try_as_utf8_bytes_owned() {
        Ok(text) => text,
        Err(err) => return box_once(Err(Exn::from(err))),
    };
    if nesting(&text) > MAX_VALUE_DEPTH {
        return box_once(Err(limit_error(meter.exceed(Limit::Depth))));
    }
    let input = cv.1;
    // Lazily, as jaq does it: text that does not parse yields errors without end, so stop at the first.
    let values = jaq_json::bytes_valrs(text, move |text| {
        Box::new(jaq_json::read::parse_many(text).map(move |value| {
            value.map_err(|err| Error::str(format_args!("cannot parse {input} as JSON: {err}")))
        }))
    });
    let mut failed = false;
    Box::new(values.map_while(move |value| {
        if failed {
            return None;
        }
        failed = value.is_err();
        Some(match value {
            Ok(value) => meter.count(&value).map(|()| value).map_err(limit_error),
            Err(err) => Err(Exn::from(err)),
        })
    }))
}

/// The deepest nesting of `[` and `{` in JSON text, ignoring string contents.
fn nesting(text: &[u8]) -> usize {
    let (mut depth, mut deepest) = (0_usize, 0_usize);
    let (mut in_string, mut escaped) = (false, false);
    for &byte in text {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

fn halt(_cv: Cv<'_, Metered>) -> ValXs<'_, Val> {
    box_once(Err(Exn::from(Error::str(
        "halt is not available in Eventscope's jq",
    ))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_ignores_brackets_in_strings() {
        assert_eq!(nesting(br#"[{"a": "[[[["}, [1]]"#), 2);
        assert_eq!(nesting(br#""\"[""#), 0);
        assert_eq!(nesting(b"1"), 0);
    }

    #[test]
    fn our_natives_replace_jaqs_and_none_is_defined_twice() {
        let natives = all();
        let mut names: Vec<(&str, usize)> = natives
            .iter()
            .map(|(name, args, _)| (*name, args.len()))
            .collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
        for name in REPLACED.into_iter().chain([TICK, COUNT, MUL, ELEM]) {
            assert!(names.iter().any(|(n, _)| *n == name), "{name}");
        }
        for name in BUILDING {
            assert!(
                names.iter().any(|(n, _)| *n == name),
                "{name} is not a native"
            );
        }
    }
}
