//! Which columns are described (`--include`, `--exclude`, by pandas' type), and the file's rows in file order.

use super::body::CsvFile;
use super::categorical::{self, Reading, TextKind};
use super::layout::Layout;
use super::numbers::NotNumeric;
use super::{ColumnStats, FileError, NumericColumns, Options};
use crate::parallel::SpareCores;

/// The kinds of column described, as pandas' `describe(include=...)`
/// selects them: numbers (`np.number`), pandas 3's `str` columns, `object`
/// columns (booleans with a missing value, Python integers) and booleans
/// (`bool`). `include="object"` selects `str` columns too (pandas 3 keeps
/// that for compatibility); `include="str"` selects them alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Include {
    pub numbers: bool,
    pub strings: bool,
    pub objects: bool,
    pub booleans: bool,
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
        all_without_numbers: false,
    };
    /// Every column (`--include all`).
    pub const ALL: Include = Include {
        numbers: true,
        strings: true,
        objects: true,
        booleans: true,
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

    /// Whether any column that is not numeric is described: the output then
    /// has pandas' `unique`, `top` and `freq`.
    pub fn categorical(&self) -> bool {
        self.strings || self.objects || self.booleans
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
            _ => return None,
        })
    }
}

/// The rows of the columns `options.include` selects, in file order: the
/// numeric ones described, the others tallied (when selected), with a
/// warning for each column left out that the user may expect.
///
/// # Errors
/// As [`categorical::describe_columns`].
pub(super) fn combine(
    file: &CsvFile,
    layout: &Layout,
    numeric: NumericColumns,
    options: &Options,
    spare: &SpareCores,
) -> Result<(Vec<ColumnStats>, Vec<String>), FileError> {
    // pandas' default describes every column of a file without a numeric one.
    let include = options.include.for_file(!numeric.columns.is_empty());
    let position_of = |name: &str| layout.names.iter().position(|n| n == name);
    let mut rows: Vec<(usize, ColumnStats)> = Vec::new();
    let mut left_out = numeric.left_out;
    let numeric_positions: Vec<usize> = numeric
        .columns
        .iter()
        .filter_map(|stats| position_of(&stats.column))
        .collect();
    if include.numbers {
        rows.extend(numeric_positions.iter().copied().zip(numeric.columns));
    }
    if include.categorical() {
        let positions: Vec<usize> = (layout.index_columns..layout.width)
            .filter(|p| !numeric_positions.contains(p))
            .collect();
        let reading = |position: &usize| match left_out.iter().find(|(p, _)| p == position) {
            Some((_, NotNumeric::WideIntegers { as_text: false, .. })) => Reading::Integers,
            Some((_, NotNumeric::WideIntegers { as_text: true, .. })) => Reading::Literal,
            _ => Reading::Text,
        };
        let columns = categorical::Columns {
            readings: positions.iter().map(reading).collect(),
            positions,
            // Reading candidate columns checks every block; otherwise the tallies do.
            checked: !layout.numeric.is_empty(),
        };
        let tallied = categorical::describe_columns(file, layout, &columns, options, spare)?;
        for (&position, (count, categorical)) in columns.positions.iter().zip(tallied) {
            if include.selects(categorical.kind) {
                let name = &layout.names[position];
                let stats =
                    ColumnStats::categorical(name, count, categorical, &options.percentiles);
                rows.push((position, stats));
            }
        }
        if include.text() {
            // Text among numbers, and integers too wide, are described as
            // the text or Python integers they are.
            left_out.clear();
        }
    }
    rows.sort_by_key(|&(position, _)| position);
    let mut warnings: Vec<String> = left_out
        .iter()
        .map(|(position, reason)| not_numeric_warning(&layout.names[*position], reason))
        .collect();
    if rows.is_empty() {
        warnings.push(nothing_to_describe(layout, include));
    }
    Ok((rows.into_iter().map(|(_, stats)| stats).collect(), warnings))
}

/// Why a file gives no rows.
fn nothing_to_describe(layout: &Layout, include: Include) -> String {
    if layout.sampled_rows == 0 && include == Include::NUMBERS {
        "no data rows (only a header): nothing to describe".into()
    } else if include == Include::NUMBERS {
        "no numeric column: nothing to describe".into()
    } else {
        let kinds = include.names().join(" or ");
        format!("no {kinds} column: nothing to describe")
    }
}

/// The warning for a column pandas does not describe, found past the sample.
pub(super) fn not_numeric_warning(column: &str, reason: &NotNumeric) -> String {
    match reason {
        NotNumeric::Text { line, value } => text_among_numbers(column, *line, value),
        NotNumeric::WideIntegers { line, .. } => format!(
            "line {line}: column '{column}' holds integers too wide for 64 bits; \
             pandas keeps them as Python integers or text, so it is left out"
        ),
    }
}

/// The warning for a column of numbers that holds text, which pandas reads as text.
fn text_among_numbers(column: &str, line: u64, text: &str) -> String {
    format!(
        "line {line}: column '{column}' holds the text {} among numbers; \
         pandas reads it as text, so it is left out",
        quoted(text)
    )
}

/// `value` for a message: quoted, and cut short if long.
fn quoted(value: &str) -> String {
    const SHOWN: usize = 40;
    match value.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{:?}... ({} bytes)", &value[..cut], value.len()),
        None => format!("{value:?}"),
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
        assert_eq!(not_numbers.names(), ["text", "bool"]);
        let numbers_and_bools = Include::resolve(&[Number, Bool], &[Text]).unwrap();
        assert_eq!(numbers_and_bools.names(), ["number", "bool"]);
        // pandas 3: "object" selects str columns too, "str" them alone.
        assert_eq!(Include::resolve(&[Str], &[]).unwrap().names(), ["str"]);
        let objects = Include::resolve(&[], &[Number, Str, Bool]).unwrap();
        assert_eq!(objects.names(), ["object"]);
        assert_eq!(Kind::parse("string"), Some(Str));
        assert_eq!(Kind::parse("O"), Some(Text));
        assert!(Include::resolve(&[All], &[Text]).is_err());
        assert!(Include::resolve(&[Text], &[Text]).is_err());
        assert!(Include::resolve(&[], &[Number, Text, Bool]).is_err());
        assert!(Include::resolve(&[], &[All]).is_err());
    }
}
