//! Whole-folder run and generate, through the library, with throughput in bytes.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use polarsdesc::config::{GenerateConfig, RunConfig};
use polarsdesc::describe::Options;
use polarsdesc::parallel::available_cores;
use polarsdesc::progress::Console;

/// The first `labels` files of the default data set (seed 42), in `dir`.
fn data_set(dir: &std::path::Path, labels: usize) -> GenerateConfig {
    GenerateConfig {
        label_limit: Some(labels),
        ..GenerateConfig::default_data_set(dir, available_cores())
    }
}

fn folder_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum()
}

fn bench_run(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    polarsdesc::generate(&data_set(&data, 200), &Console::silent()).unwrap();
    let mut group = c.benchmark_group("run");
    group.throughput(Throughput::Bytes(folder_bytes(&data)));
    group.sample_size(20);
    for jobs in [1, available_cores()] {
        // Every iteration describes the files: no cache, no journal to reuse.
        let config = RunConfig::measured(
            vec![data.clone()],
            Options::default(),
            dir.path().join("summary.parquet"),
            jobs,
        );
        group.bench_function(format!("200 files, -j {jobs}"), |b| {
            b.iter(|| black_box(polarsdesc::run(&config, &Console::silent()).unwrap()))
        });
    }
    group.finish();
}

fn bench_generate(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let config = data_set(&dir.path().join("gen"), 200);
    polarsdesc::generate(&config, &Console::silent()).unwrap();
    let mut group = c.benchmark_group("generate");
    group.throughput(Throughput::Bytes(folder_bytes(&config.dir)));
    group.sample_size(20);
    group.bench_function("200 labels", |b| {
        b.iter(|| black_box(polarsdesc::generate(&config, &Console::silent()).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench_run, bench_generate);
criterion_main!(benches);
