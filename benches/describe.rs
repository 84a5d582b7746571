//! Per-file describe: our lazy scan against Polars' own LazyCsvReader, on one article-shaped file.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use polars::prelude::*;
use polarsdesc::describe::{describe_bytes, Options};

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

/// The obvious per-file query: LazyCsvReader -> select(describe) -> collect.
fn lazy_csv_reader(bytes: &[u8]) -> DataFrame {
    let source = ScanSources::Buffers(Arc::from(vec![bytes.to_vec().into()]));
    let data = col("data");
    let quartiles = Series::new("q".into(), &[0.25f64, 0.5, 0.75])
        .implode()
        .unwrap()
        .into_series();
    LazyCsvReader::new_with_sources(source)
        .finish()
        .unwrap()
        .select([
            data.clone().count(),
            data.clone().mean().alias("mean"),
            data.clone().std(1).alias("std"),
            data.clone().min().alias("min"),
            data.clone()
                .quantile(lit(quartiles), QuantileMethod::Linear)
                .alias("q"),
            data.max().alias("max"),
        ])
        .collect()
        .unwrap()
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
    group.bench_function(BenchmarkId::new("LazyCsvReader", bytes.len()), |b| {
        b.iter(|| black_box(lazy_csv_reader(&bytes)))
    });
    group.finish();
}

criterion_group!(benches, bench_describe);
criterion_main!(benches);
