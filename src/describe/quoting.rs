//! CSV quoting as pandas (and Polars) read it: a quote opens a quoted field only at the start of a field.
//!
//! Inside a quoted field, `""` is a quote, and a lone `"` closes the quoted
//! part; anything after it up to the next comma still belongs to the field.
//! A quote anywhere else is an ordinary character. Every quote-aware pass
//! (records, fields, the field-count check, block boundaries) steps through
//! this one machine, so they agree with each other and with the parser.

/// Where a reader is, between two bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Quoting {
    /// At the start of a field (of a record, or after a comma).
    #[default]
    FieldStart,
    /// In a field that did not start with a quote.
    Unquoted,
    /// In the quoted part of a field.
    Quoted,
    /// Just after a quote in the quoted part: a second quote is a literal
    /// quote, anything else means the quoted part ended.
    QuoteInQuoted,
}

/// What a byte is, given where the reader was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Part of the field's value.
    Content,
    /// A quote that opens or closes the quoted part (not part of the value).
    QuoteMark,
    /// A comma between fields.
    Separator,
    /// The newline that ends a record.
    RecordEnd,
}

impl Quoting {
    /// The state after `byte`, and the byte's role.
    pub fn step(self, byte: u8) -> (Quoting, Role) {
        use Quoting::*;
        match (self, byte) {
            (Quoted, b'"') => (QuoteInQuoted, Role::QuoteMark),
            (Quoted, _) => (Quoted, Role::Content),
            (QuoteInQuoted, b'"') => (Quoted, Role::Content),
            (FieldStart, b'"') => (Quoted, Role::QuoteMark),
            (_, b',') => (FieldStart, Role::Separator),
            (_, b'\n') => (FieldStart, Role::RecordEnd),
            (_, _) => (Unquoted, Role::Content),
        }
    }

    /// Whether input that ends here leaves a quoted field open.
    pub fn is_open(self) -> bool {
        self == Quoting::Quoted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields of one record, as the machine reads them.
    fn fields(record: &str) -> Vec<String> {
        let mut state = Quoting::default();
        let mut fields = vec![Vec::new()];
        for byte in record.bytes() {
            let (next, role) = state.step(byte);
            state = next;
            match role {
                Role::Content => fields.last_mut().unwrap().push(byte),
                Role::Separator => fields.push(Vec::new()),
                Role::QuoteMark | Role::RecordEnd => {}
            }
        }
        fields
            .into_iter()
            .map(|f| String::from_utf8(f).unwrap())
            .collect()
    }

    #[test]
    fn reads_quotes_as_pandas_does() {
        assert_eq!(fields(r#"a,"b,c",d"#), ["a", "b,c", "d"]);
        assert_eq!(fields(r#""say ""hi""",x"#), ["say \"hi\"", "x"]);
        assert_eq!(fields("\"two\nlines\",x"), ["two\nlines", "x"]);
        // A quote inside an unquoted field is an ordinary character.
        assert_eq!(fields(r#"a"b,c"#), ["a\"b", "c"]);
        // (The second quote starts a field, so it opens a quoted part.)
        assert_eq!(fields("\u{feff}\",\""), ["\u{feff}\"", ""]);
        // After the closing quote the field goes on unquoted.
        assert_eq!(fields(r#""1.5"x,2"#), ["1.5x", "2"]);
    }

    #[test]
    fn open_quotes() {
        let end = |text: &str| text.bytes().fold(Quoting::default(), |s, b| s.step(b).0);
        assert!(end("1,\"x\n2").is_open());
        assert!(end("\"").is_open());
        assert!(!end("\"x\"").is_open());
        assert!(!end("a\"").is_open());
        assert!(end("\u{feff}\",\"").is_open());
    }
}
