//! Per-file describe: our lazy scan on one article-shaped file.
//!
//! It was measured against Polars' own `LazyCsvReader` (1.31 ms against 351
//! µs; docs/benchmarks.md); that reader runs on Polars' streaming engine,
//! which polarsdesc no longer builds (a seventh of a cold build), so the
//! comparison is not repeated here.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use polarsdesc::describe::Options;
use polarsdesc::read::describe_bytes;

/// One label's CSV as `generate` writes it: ~4,400 business days, ~133 KB.
fn article_file() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let config = polarsdesc::config::GenerateConfig {
        label_limit: Some(1),
        ..polarsdesc::config::GenerateConfig::default_data_set(dir.path(), 1)
    };
    polarsdesc::generate(&config, &polarsdesc::progress::Console::silent()).unwrap();
    std::fs::read(dir.path().join("ab.csv")).unwrap()
}

fn bench_describe(c: &mut Criterion) {
    polarsdesc::parallel::run_polars_inline();
    let bytes = article_file();
    let options = Options::default();
    let mut group = c.benchmark_group("describe one file");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function(BenchmarkId::new("polarsdesc", bytes.len()), |b| {
        b.iter(|| black_box(describe_bytes(bytes.clone(), &options).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench_describe);
criterion_main!(benches);
