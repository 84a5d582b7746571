//! Which columns are described: `--include`, `--exclude`, by pandas' type.

use super::categorical::TextKind;

/// The kinds of column described, as pandas' `describe(include=...)`
/// selects them: numbers (`np.number`), pandas 3's `str` columns, `object`
/// columns (booleans with a missing value, Python integers) and booleans
/// (`bool`), `category` columns (Parquet and Arrow dictionaries).
/// `include="object"` selects `str` columns too (pandas 3 keeps that for
/// compatibility); `include="str"` selects them alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Include {
    pub numbers: bool,
    pub strings: bool,
    pub objects: bool,
    pub booleans: bool,
    pub categories: bool,
    /// pandas' default (neither `include` nor `exclude`): a file without a
    /// numeric column has every column described instead.
    pub all_without_numbers: bool,
}

impl Default for Include {
    /// pandas' default: the numbers, or every column of a file without one.
    fn default() -> Self {
        Include::DEFAULT
    }
}

impl Include {
    /// pandas' default: the numeric columns, or every column of a file
    /// that has none (`describe()` with no `include`).
    pub const DEFAULT: Include = Include {
        all_without_numbers: true,
        ..Include::NUMBERS
    };
    /// The numeric columns alone (`--include number`).
    pub const NUMBERS: Include = Include {
        numbers: true,
        strings: false,
        objects: false,
        booleans: false,
        categories: false,
        all_without_numbers: false,
    };
    /// Every column (`--include all`).
    pub const ALL: Include = Include {
        numbers: true,
        strings: true,
        objects: true,
        booleans: true,
        categories: true,
        all_without_numbers: false,
    };

    /// What is described of a file whose numeric columns are `found`:
    /// every column when there are none and this is pandas' default.
    pub fn for_file(self, found: bool) -> Include {
        match self.all_without_numbers && !found {
            true => Include::ALL,
            false => self,
        }
    }

    /// Whether this is pandas' default selection (not named on the command line).
    pub fn is_default(&self) -> bool {
        *self == Include::DEFAULT
    }

    /// The kinds described, for a message: `numeric`, `text or bool`, ...
    pub fn kinds_named(&self) -> String {
        match self.names().as_slice() {
            ["number"] => "numeric".into(),
            kinds => kinds.join(" or "),
        }
    }

    /// Whether any column that is not numeric is described: the output then
    /// has pandas' `unique`, `top` and `freq`.
    pub fn categorical(&self) -> bool {
        self.strings || self.objects || self.booleans || self.categories
    }

    /// Whether text of every kind (`str` and `object`) is described.
    pub fn text(&self) -> bool {
        self.strings && self.objects
    }

    /// Whether columns of pandas' type `kind` are described.
    pub fn selects(&self, kind: TextKind) -> bool {
        match kind {
            TextKind::Bool => self.booleans,
            TextKind::Str => self.strings,
            TextKind::Object => self.objects,
            TextKind::Category => self.categories,
        }
    }

    /// The kinds `include` names less those `exclude` names (pandas'
    /// `describe(include=..., exclude=...)`): `include` alone, or every kind
    /// but `exclude`, or numbers when neither is given.
    ///
    /// # Errors
    /// As pandas: when `all` is excluded or comes with `exclude`, when a kind
    /// is both included and excluded, or when nothing is left.
    pub fn resolve(include: &[Kind], exclude: &[Kind]) -> Result<Include, String> {
        if exclude.contains(&Kind::All) {
            return Err("--exclude all leaves nothing to describe".into());
        }
        if include.contains(&Kind::All) && !exclude.is_empty() {
            return Err("--exclude cannot be combined with --include all".into());
        }
        if let Some(kind) = include.iter().find(|kind| exclude.contains(kind)) {
            return Err(format!("'{}' is both included and excluded", kind.name()));
        }
        let start = match (include.is_empty(), exclude.is_empty()) {
            (true, true) => return Ok(Include::DEFAULT),
            (true, false) => Include::ALL,
            (false, _) => Include::none().with(include),
        };
        let chosen = start.without(exclude);
        if chosen.names().is_empty() {
            return Err("--exclude leaves no kind of column to describe".into());
        }
        Ok(chosen)
    }

    fn none() -> Include {
        Include {
            numbers: false,
            strings: false,
            objects: false,
            booleans: false,
            categories: false,
            all_without_numbers: false,
        }
    }

    fn with(mut self, kinds: &[Kind]) -> Include {
        for kind in kinds {
            match kind {
                Kind::All => self = Include::ALL,
                Kind::Number => self.numbers = true,
                Kind::Text => (self.strings, self.objects) = (true, true),
                Kind::Str => self.strings = true,
                Kind::Bool => self.booleans = true,
                Kind::Category => self.categories = true,
            }
        }
        self
    }

    fn without(mut self, kinds: &[Kind]) -> Include {
        for kind in kinds {
            match kind {
                Kind::All => self = Include::none(),
                Kind::Number => self.numbers = false,
                Kind::Text => (self.strings, self.objects) = (false, false),
                Kind::Str => self.strings = false,
                Kind::Bool => self.booleans = false,
                Kind::Category => self.categories = false,
            }
        }
        self
    }

    /// The kinds named ("number, text, bool"; "str" or "object" for one
    /// kind of text alone).
    pub fn names(&self) -> Vec<&'static str> {
        let text = match (self.strings, self.objects) {
            (true, true) => Some("text"),
            (true, false) => Some("str"),
            (false, true) => Some("object"),
            (false, false) => None,
        };
        [
            (self.numbers, "number"),
            (text.is_some(), text.unwrap_or_default()),
            (self.booleans, "bool"),
            (self.categories, "category"),
        ]
        .into_iter()
        .filter_map(|(selected, name)| selected.then_some(name))
        .collect()
    }
}

/// A kind of column named by `--include` or `--exclude`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    All,
    Number,
    /// Text of every kind: `str` and `object` columns (pandas' `object`).
    Text,
    /// pandas 3's `str` columns alone.
    Str,
    Bool,
    /// pandas' `category` columns (Parquet and Arrow dictionaries).
    Category,
}

impl Kind {
    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Kind::All => "all",
            Kind::Number => "number",
            Kind::Text => "text",
            Kind::Str => "str",
            Kind::Bool => "bool",
            Kind::Category => "category",
        }
    }

    /// The kind called `name` on the command line (`object` and `str`, pandas'
    /// names of text columns, too).
    pub fn parse(name: &str) -> Option<Kind> {
        Some(match name {
            "all" => Kind::All,
            "number" => Kind::Number,
            "text" | "object" | "O" => Kind::Text,
            "str" | "string" => Kind::Str,
            "bool" => Kind::Bool,
            "category" => Kind::Category,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_and_exclude_as_pandas_combines_them() {
        use Kind::*;
        assert_eq!(Include::resolve(&[], &[]), Ok(Include::DEFAULT));
        assert_eq!(Include::resolve(&[Number], &[]), Ok(Include::NUMBERS));
        assert_eq!(Include::DEFAULT.for_file(false), Include::ALL);
        assert_eq!(Include::DEFAULT.for_file(true), Include::DEFAULT);
        assert_eq!(Include::NUMBERS.for_file(false), Include::NUMBERS);
        assert_eq!(Include::resolve(&[All], &[]), Ok(Include::ALL));
        let text_only = Include::resolve(&[Text], &[]).unwrap();
        assert_eq!(text_only.names(), ["text"]);
        let not_numbers = Include::resolve(&[], &[Number]).unwrap();
        assert_eq!(not_numbers.names(), ["text", "bool", "category"]);
        let numbers_and_bools = Include::resolve(&[Number, Bool], &[Text]).unwrap();
        assert_eq!(numbers_and_bools.names(), ["number", "bool"]);
        // pandas 3: "object" selects str columns too, "str" them alone.
        assert_eq!(Include::resolve(&[Str], &[]).unwrap().names(), ["str"]);
        let objects = Include::resolve(&[], &[Number, Str, Bool, Category]).unwrap();
        assert_eq!(objects.names(), ["object"]);
        assert_eq!(Kind::parse("string"), Some(Str));
        assert_eq!(Kind::parse("O"), Some(Text));
        assert!(Include::resolve(&[All], &[Text]).is_err());
        assert!(Include::resolve(&[Text], &[Text]).is_err());
        assert!(Include::resolve(&[], &[Number, Text, Bool, Category]).is_err());
        assert_eq!(
            Include::resolve(&[Category], &[]).unwrap().names(),
            ["category"]
        );
        assert!(Include::resolve(&[], &[All]).is_err());
    }
}
