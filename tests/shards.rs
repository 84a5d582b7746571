//! Shards and merge: N copies each describe their share; merge checks the parts and gives a single run's table, value for value.

mod common;

use std::path::Path;

use common::{read_parquet, strings, TestEnv};
use polars::prelude::*;
use polars_io::prelude::{ParquetReader, ParquetWriter, SerReader};
use predicates::prelude::*;

/// A data set with an odd file out: one that fails, one without rows.
fn data(env: &TestEnv) {
    env.generate_small("data", 40, 3);
    // A header alone: described by its text (count 0), as pandas does.
    env.write("data/zz.csv", "x\n");
    env.write("data/empty.csv", "");
}

fn run_shards(env: &TestEnv, count: usize, folder: &str) {
    for index in 0..count {
        env.cmd()
            .args([
                "-q",
                "run",
                "data",
                "--shard",
                &format!("{index}/{count}"),
                "-o",
                folder,
            ])
            .assert()
            .success(); // a part written is a success, whatever its files did
    }
}

#[test]
fn merged_shards_equal_a_single_run() {
    let env = TestEnv::new();
    data(&env);
    env.cmd()
        .args(["-q", "run", "data", "-o", "single.parquet"])
        .assert()
        .code(1);
    let single = read_parquet(&env.join("single.parquet"));
    for count in [1, 3, 7] {
        let folder = format!("parts{count}");
        run_shards(&env, count, &folder);
        assert_eq!(
            env.files_in(&folder).len(),
            count,
            "one part per shard, nothing else"
        );
        let merged = format!("merged{count}.parquet");
        env.cmd()
            .args(["merge", &folder, "-o", &merged])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(
                "polarsdesc: error: data/empty.csv: the file is empty (no header line)",
            ))
            .stderr(predicate::str::contains(format!(
                "merged {count} parts: 42 files, 41 rows; 1 failed"
            )));
        let merged = read_parquet(&env.join(&merged));
        assert!(merged.equals_missing(&single), "{count} shards");
        // Each file is in exactly one part.
        let mut seen: Vec<String> = Vec::new();
        for part in env.files_in(&folder) {
            seen.extend(strings(
                &read_parquet(&env.join(&folder).join(part)),
                "path",
            ));
        }
        seen.sort();
        let mut expected = strings(&single, "path");
        expected.sort();
        assert_eq!(seen, expected);
    }
}

#[test]
fn every_part_has_the_schema_even_empty_and_readers_take_the_folder() {
    let env = TestEnv::new();
    env.write("data/a.csv", "x\n1\n2\n");
    env.write("data/b.csv", "y\n3\n");
    run_shards(&env, 6, "parts");
    let frames: Vec<DataFrame> = env
        .files_in("parts")
        .iter()
        .map(|part| read_parquet(&env.join("parts").join(part)))
        .collect();
    assert_eq!(frames.len(), 6);
    assert!(
        frames.iter().any(|frame| frame.height() == 0),
        "some parts are empty"
    );
    for frame in &frames {
        assert_eq!(frame.schema(), frames[0].schema());
    }
    // pandas, pyarrow and Polars (Python's: polarsdesc does not build
    // Polars' folder scan) read the folder as one table.
    let Some(pandas) = common::pandas::Pandas::find("readers_take_the_folder") else {
        return;
    };
    let output = pandas
        .python_command()
        .args([
            "-c",
            "import pandas, polars, pyarrow.dataset as ds; \
             print(len(pandas.read_parquet('parts')), ds.dataset('parts').count_rows(), \
             polars.read_parquet('parts').height)",
        ])
        .current_dir(env.path())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap().trim(),
        "2 2 2",
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn auto_takes_the_shard_from_slurm_or_kubernetes() {
    let env = TestEnv::new();
    data(&env);
    env.cmd()
        .args(["-q", "run", "data", "--shard", "auto", "-o", "slurm"])
        .env("SLURM_ARRAY_TASK_ID", "1")
        .env("SLURM_ARRAY_TASK_COUNT", "3")
        .env("SLURM_ARRAY_TASK_MIN", "0")
        .env("SLURM_ARRAY_TASK_STEP", "1")
        .assert()
        .success();
    assert_eq!(env.files_in("slurm"), ["part-00001-of-00003.parquet"]);
    env.cmd()
        .args(["-q", "run", "data", "--shard", "auto", "-o", "k8s"])
        .env("JOB_COMPLETION_INDEX", "2")
        .env("POLARSDESC_SHARDS", "3")
        .assert()
        .success();
    assert_eq!(env.files_in("k8s"), ["part-00002-of-00003.parquet"]);
    // The same shard, whichever way it is named, describes the same files.
    run_shards(&env, 3, "fixed");
    assert!(
        read_parquet(&env.join("fixed/part-00001-of-00003.parquet")).equals_missing(&read_parquet(
            &env.join("slurm/part-00001-of-00003.parquet")
        ))
    );
}

#[test]
fn bad_shards_are_usage_errors() {
    let env = TestEnv::new();
    data(&env);
    for bad in ["4/4", "1/0", "x"] {
        env.cmd()
            .args(["run", "data", "--shard", bad, "-o", "parts"])
            .assert()
            .code(2)
            .stderr(predicate::str::starts_with("polarsdesc: error: "));
    }
    env.cmd()
        .args(["run", "data", "--shard", "auto", "-o", "parts"])
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("JOB_COMPLETION_INDEX")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "looked for SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT of a Slurm job array, \
             JOB_COMPLETION_INDEX of a Kubernetes Indexed Job",
        ));
    env.cmd()
        .args(["run", "data", "--shard", "auto", "-o", "parts"])
        .env("SLURM_ARRAY_TASK_ID", "2")
        .env("SLURM_ARRAY_TASK_COUNT", "3")
        .env("SLURM_ARRAY_TASK_MIN", "1")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("starts at 0 with step 1"));
    env.cmd()
        .args(["run", "data", "--shard", "auto", "-o", "parts"])
        .env("JOB_COMPLETION_INDEX", "2")
        .env_remove("POLARSDESC_SHARDS")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "pass --shards N or set POLARSDESC_SHARDS",
        ));
    env.cmd()
        .args(["run", "data", "--shard", "0/2", "-o", "-"])
        .assert()
        .code(2);
    env.cmd()
        .args(["run", "data", "--shard", "0/2", "--format", "csv"])
        .assert()
        .code(2);
    assert!(!env.join("parts").exists());
}

/// Runs merge on `folder` into `out.parquet` (which holds "previous") and
/// checks that it is refused with `message`, nothing overwritten.
fn assert_refused(env: &TestEnv, folder: &str, message: &str) {
    env.write("out.parquet", "previous");
    env.cmd()
        .args(["merge", folder, "-o", "out.parquet"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(message));
    assert_eq!(std::fs::read(env.join("out.parquet")).unwrap(), b"previous");
}

fn copy_parts(env: &TestEnv, from: &str, to: &str) {
    std::fs::create_dir_all(env.join(to)).unwrap();
    for part in env.files_in(from) {
        std::fs::copy(env.join(from).join(&part), env.join(to).join(&part)).unwrap();
    }
}

#[test]
fn merge_refuses_parts_that_are_not_one_whole_run() {
    let env = TestEnv::new();
    data(&env);
    run_shards(&env, 3, "parts");
    // A part missing.
    copy_parts(&env, "parts", "missing");
    std::fs::remove_file(env.join("missing/part-00001-of-00003.parquet")).unwrap();
    assert_refused(
        &env,
        "missing",
        "1 of the 3 parts are missing from missing: part-00001-of-00003.parquet",
    );
    // Parts of two runs (3 and 2 shards).
    run_shards(&env, 2, "two");
    copy_parts(&env, "parts", "mixed");
    std::fs::copy(
        env.join("two/part-00000-of-00002.parquet"),
        env.join("mixed/part-00000-of-00002.parquet"),
    )
    .unwrap();
    assert_refused(&env, "mixed", "are of different runs");
    // Other options.
    env.cmd()
        .args([
            "-q", "run", "data", "--shard", "2/3", "-o", "other", "-p", "0.1",
        ])
        .assert()
        .success();
    copy_parts(&env, "parts", "options");
    std::fs::copy(
        env.join("other/part-00002-of-00003.parquet"),
        env.join("options/part-00002-of-00003.parquet"),
    )
    .unwrap();
    assert_refused(&env, "options", "the parts were not made alike");
    // Another version.
    copy_parts(&env, "parts", "version");
    rewrite_version(&env.join("version/part-00000-of-00003.parquet"), "0.0.1");
    let expected = format!(
        "part-00000-of-00003.parquet was made by polarsdesc \"0.0.1\", not \"{}\"",
        env!("CARGO_PKG_VERSION")
    );
    assert_refused(&env, "version", &expected);
    // A part cut short (a job killed while copying it).
    copy_parts(&env, "parts", "cut");
    let cut = env.join("cut/part-00002-of-00003.parquet");
    let bytes = std::fs::read(&cut).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    assert_refused(&env, "cut", "cannot read the part");
    // Something that is not a part.
    copy_parts(&env, "parts", "stranger");
    env.write("stranger/notes.txt", "x");
    assert_refused(
        &env,
        "stranger",
        "holds files that are not parts (notes.txt)",
    );
    // A data folder given by mistake: a few of its files named, not all.
    for name in ["a", "b", "c", "d", "e", "f", "g"] {
        env.write(&format!("stranger/{name}.csv"), "x\n1\n");
    }
    assert_refused(
        &env,
        "stranger",
        "holds files that are not parts (a.csv, b.csv, c.csv, d.csv, e.csv and 3 more)",
    );
    // The output inside the folder of parts.
    env.cmd()
        .args(["merge", "parts", "-o", "parts/all.parquet"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("inside the folder of parts"));
    assert_eq!(env.files_in("parts").len(), 3);
}

/// Rewrites a part with another version in its metadata (as an older
/// polarsdesc would have written it).
fn rewrite_version(path: &Path, version: &str) {
    let mut reader = ParquetReader::new(std::fs::File::open(path).unwrap());
    let metadata = reader.get_metadata().unwrap().clone();
    let mut frame = reader.finish().unwrap();
    let pairs: Vec<(String, String)> = metadata
        .key_value_metadata()
        .iter()
        .flatten()
        .filter(|pair| pair.key == "polarsdesc")
        .map(|pair| {
            let mut value: serde_json::Value =
                serde_json::from_str(pair.value.as_deref().unwrap()).unwrap();
            value["version"] = serde_json::json!(version);
            (pair.key.clone(), value.to_string())
        })
        .collect();
    let file = std::fs::File::create(path).unwrap();
    ParquetWriter::new(file)
        .with_key_value_metadata(Some(
            polars_io::parquet::write::KeyValueMetadata::from_static(pairs),
        ))
        .finish(&mut frame)
        .unwrap();
}

#[test]
fn a_shard_reruns_from_its_cache_and_resumes() {
    let env = TestEnv::new();
    data(&env);
    run_shards(&env, 2, "parts");
    env.cmd()
        .args(["run", "data", "--shard", "1/2", "-o", "parts"])
        .assert()
        .success()
        .stderr(predicate::str::contains("unchanged, reused"));
    // Its journal and cache are beside the folder, never in it.
    assert!(env
        .join(".parts.polarsdesc/.part-00001-of-00002.parquet.cache")
        .exists());
    assert_eq!(env.files_in("parts").len(), 2);
}

#[test]
fn huge_shard_counts_are_refused_and_missing_parts_are_counted_not_listed() {
    let env = TestEnv::new();
    data(&env);
    env.cmd()
        .args(["run", "data", "--shard", "0/4294967296", "-o", "parts"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at most 100000 shards"));
    // The largest count there may be: one part, 99,999 missing, in one line.
    env.cmd()
        .args(["-q", "run", "data", "--shard", "0/100000", "-o", "many"])
        .assert()
        .success();
    let out = env
        .cmd()
        .args(["merge", "many", "-o", "out.parquet"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert_eq!(
        stderr,
        "polarsdesc: error: 99999 of the 100000 parts are missing from many: \
         part-00001-of-100000.parquet, part-00002-of-100000.parquet, \
         part-00003-of-100000.parquet, part-00004-of-100000.parquet, \
         part-00005-of-100000.parquet and 99994 more (run those shards first)\n"
    );
    // A part whose name claims a count past the bound is said, not trusted.
    std::fs::rename(
        env.join("many/part-00000-of-100000.parquet"),
        env.join("many/part-00000-of-4294967296.parquet"),
    )
    .unwrap();
    assert_refused(
        &env,
        "many",
        "part-00000-of-4294967296.parquet: shard 0/4294967296: at most 100000 shards",
    );
}

#[test]
fn merge_output_inside_the_parts_folder_is_refused_however_it_is_spelled() {
    let env = TestEnv::new();
    data(&env);
    run_shards(&env, 2, "kp");
    std::os::unix::fs::symlink(env.join("kp"), env.join("link")).unwrap();
    let absolute = env.join("kp/merged.parquet").display().to_string();
    let cases: [(&str, &[&str]); 5] = [
        ("", &["merge", "kp", "-o", "kp/x.parquet"]),
        ("kp", &["merge", "."]),
        ("", &["merge", "kp", "-o", &absolute]),
        ("", &["merge", "link", "-o", "kp/x.parquet"]),
        ("", &["merge", "kp", "-o", "link/deeper/../x.parquet"]),
    ];
    for (folder, args) in cases {
        let mut command = env.cmd();
        command.current_dir(env.join(folder)).args(args);
        command
            .assert()
            .code(2)
            .stderr(predicate::str::contains("is inside the folder of parts"));
        assert_eq!(env.files_in("kp").len(), 2, "{args:?}");
    }
    // Beside the folder is fine.
    env.cmd()
        .args(["-q", "merge", "kp", "-o", "merged.parquet"])
        .assert()
        .code(1);
}

#[test]
fn shards_that_saw_different_inputs_are_not_merged() {
    let env = TestEnv::new();
    data(&env);
    env.cmd()
        .args(["-q", "run", "data", "--shard", "0/2", "-o", "parts"])
        .assert()
        .success();
    // A file arrives before the second shard lists the folder.
    env.generate_small("later", 1, 9);
    let late = env.join("later").join(&env.files_in("later")[0]);
    std::fs::rename(late, env.join("data/zz_late.csv")).unwrap();
    env.cmd()
        .args(["-q", "run", "data", "--shard", "1/2", "-o", "parts"])
        .assert()
        .success();
    assert_refused(
        &env,
        "parts",
        "the shards saw different inputs: part-00000-of-00002.parquet saw 42 files, but \
         part-00001-of-00002.parquet saw 43 files",
    );
    // The same relative input in two working folders is two inputs.
    let other = env.join("elsewhere");
    std::fs::create_dir(&other).unwrap();
    std::os::unix::fs::symlink(env.join("data"), other.join("data")).unwrap();
    for (index, folder) in [(0, env.path().to_path_buf()), (1, env.join("elsewhere"))] {
        env.cmd()
            .current_dir(folder)
            .args(["-q", "run", "data", "--shard", &format!("{index}/2")])
            .args(["-o", &env.join("two").display().to_string()])
            .assert()
            .success();
    }
    assert_refused(&env, "two", "the parts were not made alike");
}

#[test]
fn a_part_folder_named_like_a_file_and_odd_slurm_arrays_are_refused() {
    let env = TestEnv::new();
    data(&env);
    env.cmd()
        .args(["run", "data", "--shard", "0/2", "-o", "out.parquet"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "with --shard, -o names the folder of the parts",
        ));
    assert!(!env.join("out.parquet").exists());
    // sbatch --array=0,2,4: three tasks, ids up to 4; shard 1 would never run.
    env.cmd()
        .args(["run", "data", "--shard", "auto", "-o", "parts"])
        .env("SLURM_ARRAY_TASK_ID", "2")
        .env("SLURM_ARRAY_TASK_COUNT", "3")
        .env("SLURM_ARRAY_TASK_MIN", "0")
        .env("SLURM_ARRAY_TASK_MAX", "4")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "this one has 3 tasks but ids up to 4",
        ));
    // --shards is not silently ignored where Slurm gives the count.
    env.cmd()
        .args([
            "run", "data", "--shard", "auto", "--shards", "8", "-o", "parts",
        ])
        .env("SLURM_ARRAY_TASK_ID", "1")
        .env("SLURM_ARRAY_TASK_COUNT", "3")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--shards 8 disagrees with the Slurm array's SLURM_ARRAY_TASK_COUNT=3",
        ));
    assert!(!env.join("parts").exists());
}
