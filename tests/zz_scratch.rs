use polarsdesc::describe::tokenizer::*;
#[test]
fn scratch() {
    let bytes = std::fs::read("/tmp/gen1/awkward_01822.csv").unwrap();
    let mut at = Position::start(1);
    let mut fields = Fields::default();
    loop {
        fields.clear();
        match next_record(&bytes, b',', &mut at, &mut fields).unwrap() {
            Next::End => break,
            Next::Record { line } => println!(
                "R {line} {:?}",
                String::from_utf8_lossy(fields.get(0).unwrap())
            ),
        }
    }
}
