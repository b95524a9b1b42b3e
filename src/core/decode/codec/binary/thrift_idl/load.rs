//! A `.thrift` file and the files it includes, parsed by `pilota-thrift-parser`, resolved into an
//! [`Idl`]: each file's types are known as `file.Name` (`file` its name without `.thrift`, as Thrift
//! names an included file's types), an include is looked up beside the file that includes it, typedefs
//! are followed to the type they name, and an enum value without a number takes the one after the
//! previous value's. Constants, services and namespaces are not needed to read payloads and are skipped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pilota_thrift_parser::{self as ast, FileParser, FileSource, Item};

use super::super::thrift::Type;
use super::{FieldDef, Idl, StructDef, Ty};

/// How many files an IDL may span with its includes.
const MAX_FILES: usize = 256;

/// How many typedefs may name one another before a type is reached (a cycle never ends).
const MAX_TYPEDEF_HOPS: usize = 64;

/// How deeply an IDL may nest types (`list<list<...>>`) and constant values: the parser recurses once a
/// level, and no IDL people write comes near.
const MAX_NESTING: usize = 64;

/// How deeply `text` nests `<`, `[`, `{` and `(` outside comments and string literals.
fn nesting(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                // A literal runs to its closing quote.
                for inner in chars.by_ref() {
                    if inner == c {
                        break;
                    }
                }
            }
            '#' => while chars.next_if(|&n| n != '\n').is_some() {},
            '/' if chars.next_if_eq(&'/').is_some() => {
                while chars.next_if(|&n| n != '\n').is_some() {}
            }
            '/' if chars.next_if_eq(&'*').is_some() => {
                let mut last = ' ';
                for inner in chars.by_ref() {
                    if last == '*' && inner == '/' {
                        break;
                    }
                    last = inner;
                }
            }
            '<' | '[' | '{' | '(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            '>' | ']' | '}' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// One parsed file: its scope name and what it defines.
struct Parsed {
    scope: String,
    file: ast::File,
}

pub(super) fn load(path: &Path) -> Result<Idl, String> {
    let mut files: Vec<Parsed> = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut pending = vec![path.to_owned()];
    while let Some(next) = pending.pop() {
        let canonical = next.canonicalize().unwrap_or_else(|_| next.clone());
        if seen.contains(&canonical) {
            continue;
        }
        if seen.len() >= MAX_FILES {
            return Err(format!("includes more than {MAX_FILES} files"));
        }
        seen.push(canonical);
        let file = parse(&next, path)?;
        let folder = next.parent().map(Path::to_owned).unwrap_or_default();
        for item in &file.items {
            if let Item::Include(include) = item {
                pending.push(folder.join(include.path.0.as_str()));
            }
        }
        files.push(Parsed {
            scope: scope_of(&next),
            file,
        });
    }
    let root = scope_of(path);
    Resolver { files: &files }.idl(root)
}

/// The file at `path` parsed; an included file's errors name it.
fn parse(path: &Path, root: &Path) -> Result<ast::File, String> {
    let named = |reason: String| {
        if path == root {
            reason
        } else {
            format!("included {}: {reason}", path.display())
        }
    };
    let text =
        std::fs::read_to_string(path).map_err(|err| named(format!("cannot read it: {err}")))?;
    let depth = nesting(&text);
    if depth > MAX_NESTING {
        return Err(named(format!(
            "nests types or values {depth} levels deep, more than the {MAX_NESTING} read"
        )));
    }
    let source = FileSource::new_with_path(path.to_owned(), &text)
        .map_err(|err| named(format!("cannot read it: {err}")))?;
    FileParser::new(source).parse().map_err(|err| match err {
        ast::Error::Syntax { summary, .. } => named(format!("not a Thrift IDL: {summary}")),
        other => named(format!("not a Thrift IDL: {other}")),
    })
}

/// The name a file's types are known by: its file name without `.thrift`.
fn scope_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What a name in one file's scope stands for.
enum Named<'a> {
    Typedef(&'a ast::Type),
    Enum,
    Struct,
}

struct Resolver<'a> {
    files: &'a [Parsed],
}

impl<'a> Resolver<'a> {
    fn idl(&self, root: String) -> Result<Idl, String> {
        let mut idl = Idl {
            root,
            ..Idl::default()
        };
        for parsed in self.files {
            for item in &parsed.file.items {
                match item {
                    Item::Enum(e) => {
                        let key = format!("{}.{}", parsed.scope, e.name.as_str());
                        idl.enums.insert(key, enum_values(e));
                    }
                    Item::Struct(s) => self.add_struct(&mut idl, &parsed.scope, s)?,
                    Item::Union(s) => self.add_struct(&mut idl, &parsed.scope, s)?,
                    Item::Exception(s) => self.add_struct(&mut idl, &parsed.scope, s)?,
                    _ => {}
                }
            }
        }
        if idl.structs.is_empty() {
            return Err("the IDL defines no struct".to_owned());
        }
        Ok(idl)
    }

    fn add_struct(&self, idl: &mut Idl, scope: &str, def: &ast::StructLike) -> Result<(), String> {
        let name = format!("{scope}.{}", def.name.as_str());
        let mut fields = BTreeMap::new();
        for field in &def.fields {
            let at = || format!("{name}.{}", field.name.as_str());
            let id = i16::try_from(field.id)
                .map_err(|_| format!("{}: field id {} is not an i16", at(), field.id))?;
            let ty = self
                .ty(scope, &field.ty, 0)
                .map_err(|err| format!("{}: {err}", at()))?;
            let field = FieldDef {
                name: field.name.as_str().to_owned(),
                ty,
            };
            if fields.insert(id, field).is_some() {
                return Err(format!("{name}: field id {id} is declared twice"));
            }
        }
        idl.structs.insert(name.clone(), StructDef { name, fields });
        Ok(())
    }

    /// A declared type in `scope`'s file, resolved.
    fn ty(&self, scope: &str, ty: &ast::Type, hops: usize) -> Result<Ty, String> {
        let inner = |t: &ast::Type| self.ty(scope, t, hops).map(Box::new);
        Ok(match &ty.0 {
            ast::Ty::String => Ty::String,
            ast::Ty::Binary => Ty::Binary,
            ast::Ty::Bool => Ty::Scalar(Type::Bool),
            ast::Ty::Byte | ast::Ty::I8 => Ty::Scalar(Type::Byte),
            ast::Ty::I16 => Ty::Scalar(Type::I16),
            ast::Ty::I32 => Ty::Scalar(Type::I32),
            ast::Ty::I64 => Ty::Scalar(Type::I64),
            ast::Ty::Double => Ty::Scalar(Type::Double),
            ast::Ty::Uuid => Ty::Scalar(Type::Uuid),
            ast::Ty::Void => return Err("a void field".to_owned()),
            ast::Ty::List { value, .. } => Ty::List(inner(value)?),
            ast::Ty::Set { value, .. } => Ty::Set(inner(value)?),
            ast::Ty::Map { key, value, .. } => Ty::Map(inner(key)?, inner(value)?),
            ast::Ty::Path(path) => {
                let segments: Vec<&str> = path.segments.iter().map(ast::Ident::as_str).collect();
                let (file, name) = match segments.as_slice() {
                    [name] => (scope, *name),
                    [file, name] => (*file, *name),
                    _ => return Err(format!("unknown type {:?}", segments.join("."))),
                };
                let key = format!("{file}.{name}");
                match self.named(file, name) {
                    Some(Named::Enum) => Ty::Enum(key),
                    Some(Named::Struct) => Ty::Struct(key),
                    Some(Named::Typedef(aliased)) if hops < MAX_TYPEDEF_HOPS => {
                        self.ty(file, aliased, hops + 1)?
                    }
                    Some(Named::Typedef(_)) => {
                        return Err(format!(
                            "typedef {key} names typedefs more than {MAX_TYPEDEF_HOPS} deep (a cycle?)"
                        ));
                    }
                    None => return Err(format!("unknown type {key}")),
                }
            }
        })
    }

    /// What `name` stands for in the file whose scope is `scope`.
    fn named(&self, scope: &str, name: &str) -> Option<Named<'a>> {
        let files = self.files.iter().filter(|f| f.scope == scope);
        files
            .flat_map(|f| &f.file.items)
            .find_map(|item| match item {
                Item::Typedef(t) if t.alias.as_str() == name => Some(Named::Typedef(&t.r#type)),
                Item::Enum(e) if e.name.as_str() == name => Some(Named::Enum),
                Item::Struct(s) if s.name.as_str() == name => Some(Named::Struct),
                Item::Union(s) if s.name.as_str() == name => Some(Named::Struct),
                Item::Exception(s) if s.name.as_str() == name => Some(Named::Struct),
                _ => None,
            })
    }
}

/// An enum's names by value; a value without a number is the previous one's plus one (the first 0).
fn enum_values(e: &ast::Enum) -> BTreeMap<i32, String> {
    let mut values = BTreeMap::new();
    let mut next: i64 = 0;
    for value in &e.values {
        let number = value.value.as_ref().map_or(next, |n| n.0);
        next = number.saturating_add(1);
        if let Ok(number) = i32::try_from(number) {
            values
                .entry(number)
                .or_insert_with(|| value.name.as_str().to_owned());
        }
    }
    values
}
