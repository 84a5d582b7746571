//! Inputs and outputs in object storage, against a real S3 server on loopback (moto): the same table as a local run, outputs and parts written to the bucket, the cache keyed by ETag, and every way a bucket fails said plainly.
//!
//! Needs the pinned Python environment (moto, boto3; `common::python`); without it each
//! test is skipped with a message, unless `POLARSDESC_REQUIRE_S3` is set (CI
//! sets it): then it fails.

mod common;

use std::time::{Duration, Instant};

use assert_cmd::Command;
use common::docs::Manifest;
use common::s3::{OutageProxy, S3Server, SilentServer};
use common::TestEnv;

/// The binary in `env`'s folder, pointed at `server`, reading no AWS
/// configuration of this machine.
fn polarsdesc(env: &TestEnv, server: &S3Server) -> Command {
    let mut cmd = isolated(env);
    cmd.envs(server.env());
    cmd
}

/// The binary with no AWS configuration at all: HOME is the test's folder.
fn isolated(env: &TestEnv) -> Command {
    let mut cmd = env.cmd();
    for (name, _) in std::env::vars() {
        if name.starts_with("AWS_") || name.starts_with("POLARSDESC_S3") {
            cmd.env_remove(name);
        }
    }
    cmd.env("HOME", env.path());
    cmd
}

/// A bucket `demo` with a small data set under `data/`: 12 generated label
/// files, a gzip-compressed copy of one, and a file pandas cannot read.
fn demo(env: &TestEnv, server: &S3Server) {
    env.generate_small("data", 12, 11);
    let first = env.join("data").join(&env.files_in("data")[0]);
    let compressed = env.join("data/zz.csv.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&compressed).unwrap(),
        Default::default(),
    );
    std::io::copy(&mut std::fs::File::open(&first).unwrap(), &mut encoder).unwrap();
    encoder.finish().unwrap();
    env.write("data/broken.csv", "a,b\n1,2\n3,4,5\n");
    server.create_bucket("demo");
    server.upload_folder(&env.join("data"), "demo", "data/");
}

/// A server (see [`S3Server::start`]) with the [`demo`] bucket, and a work
/// folder; `None` when moto is missing (and not required).
fn demo_server(test: &str, authenticate: bool) -> Option<(S3Server, TestEnv)> {
    let server = S3Server::start(test, authenticate)?;
    let env = TestEnv::new();
    demo(&env, &server);
    Some((server, env))
}

/// A CSV result with the inputs' folder (local or in the bucket) taken out
/// of its paths, so that two runs on the same files compare equal.
fn without_folder(table: &[u8], folder: &str) -> String {
    String::from_utf8(table.to_vec())
        .unwrap()
        .replace(folder, "")
}

#[test]
fn a_bucket_gives_the_table_of_the_same_files_on_disk() {
    let Some((server, env)) = demo_server("s3 same table", false) else {
        return;
    };
    env.cmd()
        .args([
            "-q",
            "run",
            "data",
            "-o",
            "local.csv",
            "--errors",
            "local-errors.csv",
        ])
        .assert()
        .code(1);
    let out = polarsdesc(&env, &server)
        .args(["-q", "run", "s3://demo/data/", "-o", "remote.csv"])
        .args(["--errors", "remote-errors.csv"])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert_eq!(
        stderr,
        "polarsdesc: error: s3://demo/data/broken.csv: line 3: 3 fields, but the header has 2\n"
    );
    let local = std::fs::read(env.join("local.csv")).unwrap();
    let remote = std::fs::read(env.join("remote.csv")).unwrap();
    assert_eq!(
        without_folder(&remote, "s3://demo/data/"),
        without_folder(&local, "data/")
    );
    // 13 readable files: 12 labels and the compressed copy.
    assert_eq!(local.iter().filter(|&&b| b == b'\n').count(), 1 + 13);
    assert_eq!(
        without_folder(
            &std::fs::read(env.join("remote-errors.csv")).unwrap(),
            "s3://demo/data/"
        ),
        without_folder(
            &std::fs::read(env.join("local-errors.csv")).unwrap(),
            "data/"
        )
    );
}

#[test]
fn awkward_files_read_from_a_bucket_as_from_disk() {
    let Some(server) = S3Server::start("s3 awkward files", false) else {
        return;
    };
    let env = TestEnv::new();
    let corpus = common::fixture("pandas_corpus");
    server.create_bucket("corpus");
    server.upload_folder(&corpus, "corpus", "in/");
    let local = corpus.display().to_string() + "/";
    env.cmd()
        .args([
            "-q",
            "run",
            &local,
            "-o",
            "local.csv",
            "--errors",
            "local-errors.csv",
        ])
        .assert()
        .code(1);
    // Mixed: one local file first, then the bucket.
    env.write("one/local.csv", "v\n1\n");
    polarsdesc(&env, &server)
        .args([
            "-q",
            "run",
            "one/local.csv",
            "s3://corpus/in/",
            "-o",
            "remote.csv",
        ])
        .args(["--errors", "remote-errors.csv"])
        .assert()
        .code(1);
    let remote = without_folder(
        &std::fs::read(env.join("remote.csv")).unwrap(),
        "s3://corpus/in/",
    );
    // The corpus has files without numbers: unique, top and freq, empty here.
    let local_file_row = "local,one/local.csv,v,1,,,,1.0,,1.0,1.0,1.0,1.0,1.0\n";
    assert!(remote.contains(local_file_row));
    let local_table = without_folder(&std::fs::read(env.join("local.csv")).unwrap(), &local);
    assert!(
        remote.replace(local_file_row, "") == local_table,
        "the tables differ"
    );
    assert_eq!(
        without_folder(
            &std::fs::read(env.join("remote-errors.csv")).unwrap(),
            "s3://corpus/in/"
        ),
        without_folder(
            &std::fs::read(env.join("local-errors.csv")).unwrap(),
            &local
        )
    );
}

#[test]
fn a_large_object_is_read_in_ranges_and_matches_the_file() {
    let Some(server) = S3Server::start("s3 large object", false) else {
        return;
    };
    let env = TestEnv::new();
    // 13 MB: more than one block (8 MiB), so read with ranged GETs.
    let mut text = String::from("x,y,name\n");
    for i in 0..900_000u64 {
        text.push_str(&format!("{i},{},n{}\n", (i * 7919) % 1000, i % 13));
    }
    assert!(text.len() > 9 * 1024 * 1024);
    env.write("big/large.csv", &text);
    server.create_bucket("big");
    server.upload_folder(&env.join("big"), "big", "");
    // Its text column too (`--include all`): tallied block by block, in ranges.
    for kinds in ["number", "all"] {
        env.cmd()
            .args(["-q", "run", "big", "-o", "local.csv", "--include", kinds])
            .assert()
            .success();
        polarsdesc(&env, &server)
            .args(["-q", "run", "s3://big/large.csv", "-o", "remote.csv"])
            .args(["--include", kinds])
            .assert()
            .success();
        let local = std::fs::read(env.join("local.csv")).unwrap();
        assert_eq!(
            without_folder(&std::fs::read(env.join("remote.csv")).unwrap(), "s3://big/"),
            without_folder(&local, "big/")
        );
        assert_eq!(
            kinds == "all",
            String::from_utf8_lossy(&local).contains(",name,900000,13,n0,")
        );
    }
}

#[test]
fn outputs_parts_and_merge_live_in_the_bucket() {
    let Some((server, env)) = demo_server("s3 outputs", false) else {
        return;
    };
    polarsdesc(&env, &server)
        .args(["-q", "run", "s3://demo/data/", "-o", "single.csv"])
        .assert()
        .code(1);
    polarsdesc(&env, &server)
        .args([
            "-q",
            "run",
            "s3://demo/data/",
            "-o",
            "s3://demo/out/summary.csv",
        ])
        .args(["--errors", "s3://demo/out/errors.csv"])
        .assert()
        .code(1);
    assert_eq!(
        server.get("demo", "out/summary.csv"),
        std::fs::read(env.join("single.csv")).unwrap()
    );
    assert_eq!(
        String::from_utf8(server.get("demo", "out/errors.csv")).unwrap(),
        "path,line,reason\ns3://demo/data/broken.csv,3,\"3 fields, but the header has 2\"\n"
    );
    for shard in ["0/3", "1/3", "2/3"] {
        polarsdesc(&env, &server)
            .args(["-q", "run", "s3://demo/data/", "--shard", shard])
            .args(["-o", "s3://demo/parts/"])
            .assert()
            .success();
    }
    assert_eq!(
        server.keys("demo", "parts/"),
        [
            "parts/part-00000-of-00003.parquet",
            "parts/part-00001-of-00003.parquet",
            "parts/part-00002-of-00003.parquet"
        ]
    );
    polarsdesc(&env, &server)
        .args(["-q", "merge", "s3://demo/parts", "-o", "merged.csv"])
        .assert()
        .code(1);
    assert_eq!(
        std::fs::read(env.join("merged.csv")).unwrap(),
        std::fs::read(env.join("single.csv")).unwrap()
    );
    // The merged table is not written among the parts, however the prefix is spelled.
    for (parts, output) in [
        ("s3://demo/parts/", "s3://demo/parts/merged.parquet"),
        ("s3://demo/parts", "s3://demo/parts/sub/merged.csv"),
    ] {
        polarsdesc(&env, &server)
            .args(["-q", "merge", parts, "-o", output])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("is inside the folder of parts"));
    }
    assert_eq!(server.keys("demo", "parts/").len(), 3);
}

#[test]
fn a_rerun_leaves_its_earlier_output_out_in_a_bucket_as_on_disk() {
    let Some((server, env)) = demo_server("s3 rerun over its output", false) else {
        return;
    };
    let notes = |stderr: &[u8]| -> Vec<String> {
        String::from_utf8_lossy(stderr)
            .lines()
            .filter(|line| line.contains("not reading"))
            .map(|line| line.replace("s3://demo/", ""))
            .collect()
    };
    let mut seen = Vec::new();
    for (input, output) in [
        ("data/", "data/summary.csv"),
        ("s3://demo/data/", "s3://demo/data/summary.csv"),
    ] {
        let runs: Vec<Vec<u8>> = (0..2)
            .map(|_| {
                let out = polarsdesc(&env, &server)
                    .args(["run", input, "-o", output, "--no-cache"])
                    .assert()
                    .code(1);
                out.get_output().stderr.clone()
            })
            .collect();
        assert!(notes(&runs[0]).is_empty());
        seen.push(notes(&runs[1]));
    }
    assert_eq!(
        seen[0],
        ["polarsdesc: note: not reading data/summary.csv: it is the output (-o), left by an earlier run"]
    );
    assert_eq!(seen[1], seen[0], "a bucket behaves as a folder");
    // The second run's table is the first's: the earlier output was not described.
    assert_eq!(
        without_folder(&server.get("demo", "data/summary.csv"), "s3://demo/"),
        String::from_utf8(std::fs::read(env.join("data/summary.csv")).unwrap()).unwrap()
    );
    // Someone's own data under the output's name is still refused.
    env.write("theirs/summary.csv", "x,y\n1,2\n");
    server.upload_folder(&env.join("theirs"), "demo", "theirs/");
    let out = polarsdesc(&env, &server)
        .args([
            "-q",
            "run",
            "s3://demo/theirs/",
            "-o",
            "s3://demo/theirs/summary.csv",
        ])
        .assert()
        .code(2);
    assert!(
        String::from_utf8_lossy(&out.get_output().stderr)
            .contains("s3://demo/theirs/summary.csv is an input (found in a folder or by a pattern) and also the output (-o): refusing to overwrite it"),
        "{:?}",
        out.get_output()
    );
}

#[test]
fn the_cache_reuses_objects_until_they_change() {
    let Some((server, env)) = demo_server("s3 cache", false) else {
        return;
    };
    let run = || {
        let out = polarsdesc(&env, &server)
            .args(["run", "s3://demo/data/", "-o", "out.parquet"])
            .assert()
            .code(1);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        stderr.lines().last().unwrap().to_string()
    };
    assert!(run().starts_with("summarized 13 of 14 files (13 rows) in"));
    let before = common::read_parquet(&env.join("out.parquet"));
    let second = run();
    assert!(
        second.contains("(13 rows; 13 unchanged, reused)"),
        "{second}"
    );
    // A changed object (new content, new ETag) is described again.
    let first = env.files_in("data")[0].clone();
    env.write("changed.csv", "data\n1\n2\n");
    server.put("demo", &format!("data/{first}"), &env.join("changed.csv"));
    let third = run();
    assert!(third.contains("(13 rows; 12 unchanged, reused)"), "{third}");
    let after = common::read_parquet(&env.join("out.parquet"));
    assert_eq!(common::counts(&after)[0], 2);
    assert_eq!(common::counts(&before)[1..], common::counts(&after)[1..]);
}

#[test]
fn a_missing_bucket_object_or_folder_is_named() {
    let Some((server, env)) = demo_server("s3 missing", false) else {
        return;
    };
    let stderr = |args: &[&str], code: i32| {
        let out = polarsdesc(&env, &server).args(args).assert().code(code);
        String::from_utf8_lossy(&out.get_output().stderr).into_owned()
    };
    // The bucket's top holds only the folder data/: said, as for a local folder.
    assert_eq!(
        stderr(&["run", "s3://demo", "-o", "x.csv"], 2),
        "polarsdesc: note: 1 subfolder was not searched (-r searches subfolders)\n\
         polarsdesc: error: no CSV, Parquet, Arrow or NDJSON files found in s3://demo\n"
    );
    assert_eq!(
        stderr(&["run", "s3://nobucket/data/", "-o", "x.csv"], 2),
        "polarsdesc: error: s3://nobucket/data/: the bucket nobucket does not exist\n"
    );
    let first = format!("s3://demo/data/{}", env.files_in("data")[0]);
    assert_eq!(
        stderr(&["-q", "run", &first, "s3://demo/data/nope.csv", "-o", "x.csv"], 1),
        "polarsdesc: error: s3://demo/data/nope.csv: cannot read: no such object, nor objects to describe below s3://demo/data/nope.csv/\n"
    );
    assert_eq!(
        stderr(&["run", "s3://demo/data/", "-o", "s3://nobucket/x.csv"], 2),
        "polarsdesc: error: cannot write s3://nobucket/x.csv: the bucket nobucket does not exist\n"
    );
    assert_eq!(
        stderr(&["run", "s3://demo/data/", "-o", "s3://demo/out/", "--format", "csv"], 2),
        "polarsdesc: error: cannot write s3://demo/out/: it names a folder of the bucket, not an object: give the object's key (s3://BUCKET/out.parquet)\n"
    );
    assert_eq!(
        stderr(&["run", "s3://demo/data/", "-o", "s3://demo/x.csv", "--resume"], 2),
        "polarsdesc: error: --resume needs a local output file (the journal is kept beside it), not s3://demo/x.csv\n"
    );
    // Nothing was written by the runs that stopped.
    assert!(server
        .keys("demo", "")
        .iter()
        .all(|key| key.starts_with("data/")));
}

#[test]
fn denied_objects_and_refused_credentials_are_said_plainly() {
    let Some((server, env)) = demo_server("s3 credentials", true) else {
        return;
    };
    env.write("secret.csv", "x\n1\n");
    server.put("demo", "data/secret.csv", &env.join("secret.csv"));
    let stderr = |cmd: &mut Command, code: i32| {
        let out = cmd.assert().code(code);
        String::from_utf8_lossy(&out.get_output().stderr).into_owned()
    };
    let access_denied = "access denied (check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or the profile, and the bucket's policy)";
    // An object the policy denies is a failed file; the rest are written.
    assert_eq!(
        stderr(
            polarsdesc(&env, &server).args(["-q", "run", "s3://demo/data/", "-o", "x.csv"]),
            1
        ),
        format!(
            "polarsdesc: error: s3://demo/data/broken.csv: line 3: 3 fields, but the header has 2\n\
             polarsdesc: error: s3://demo/data/secret.csv: cannot read: {access_denied}\n"
        )
    );
    assert_eq!(
        std::fs::read_to_string(env.join("x.csv"))
            .unwrap()
            .lines()
            .count(),
        1 + 13
    );
    // An output the policy denies: the run fails, the bucket is unchanged.
    assert_eq!(
        stderr(
            polarsdesc(&env, &server).args([
                "-q",
                "run",
                "s3://demo/data/",
                "-o",
                "s3://demo/locked/x.csv"
            ]),
            2
        ),
        format!(
            "polarsdesc: error: s3://demo/data/broken.csv: line 3: 3 fields, but the header has 2\n\
             polarsdesc: error: s3://demo/data/secret.csv: cannot read: {access_denied}\n\
             polarsdesc: error: cannot write s3://demo/locked/x.csv: {access_denied}\n"
        )
    );
    assert!(server.keys("demo", "locked/").is_empty());
    // Keys the server does not know.
    let wrong = stderr(
        polarsdesc(&env, &server)
            .env("AWS_SECRET_ACCESS_KEY", "wrong")
            .args(["run", "s3://demo/data/", "-o", "x.csv"]),
        2,
    );
    assert_eq!(
        wrong,
        "polarsdesc: error: s3://demo/data/: the credentials are not accepted \
         (check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or the profile, and the bucket's policy)\n"
    );
    // A profile in the files the AWS tools read is used.
    env.write(
        ".aws/credentials",
        "[default]\naws_access_key_id = unknown\naws_secret_access_key = unknown\n",
    );
    let from_profile = stderr(
        isolated(&env)
            .env("AWS_ENDPOINT_URL", server.endpoint())
            .env("AWS_ALLOW_HTTP", "true")
            .args(["run", "s3://demo/data/", "-o", "x.csv"]),
        2,
    );
    assert_eq!(from_profile, wrong);
}

#[test]
fn without_credentials_the_run_stops_at_once_and_never_asks_the_metadata_service() {
    let env = TestEnv::new();
    // A listener where the instance metadata service would be: one that
    // would hang a client that asked it.
    let metadata = SilentServer::start();
    let endpoint = SilentServer::start();
    let started = Instant::now();
    let out = isolated(&env)
        .env("AWS_ENDPOINT_URL", endpoint.url())
        .env("AWS_ALLOW_HTTP", "true")
        .env("AWS_METADATA_ENDPOINT", metadata.url())
        .args(["run", "s3://demo/data/", "-o", "x.csv"])
        .assert()
        .code(2);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stderr),
        "polarsdesc: error: s3://demo: no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, \
         a profile in ~/.aws/credentials (AWS_PROFILE), AWS_SKIP_SIGNATURE=true for a public bucket, \
         or AWS_EC2_METADATA_DISABLED=false to ask the instance metadata service\n"
    );
    assert_eq!((metadata.connections(), endpoint.connections()), (0, 0));
    // The guard works: asked to, the client does go to that address.
    isolated(&env)
        .env("AWS_ENDPOINT_URL", endpoint.url())
        .env("AWS_ALLOW_HTTP", "true")
        .env("AWS_METADATA_ENDPOINT", metadata.url())
        .env("AWS_EC2_METADATA_DISABLED", "false")
        .env("POLARSDESC_S3_TIMEOUT", "1")
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(["run", "s3://demo/data/", "-o", "x.csv"])
        .assert()
        .code(2);
    assert!(metadata.connections() > 0);
}

#[test]
fn an_endpoint_that_refuses_or_hangs_fails_in_seconds() {
    let env = TestEnv::new();
    // A port nothing listens on: taken and let go on 127.0.0.2, where no
    // test server listens (they all take 127.0.0.1).
    let closed = std::net::TcpListener::bind("127.0.0.2:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let out = isolated(&env)
        .env("AWS_ENDPOINT_URL", format!("http://{closed}"))
        .env("AWS_ALLOW_HTTP", "true")
        .env("AWS_ACCESS_KEY_ID", "a")
        .env("AWS_SECRET_ACCESS_KEY", "b")
        .args(["run", "s3://demo/data/", "-o", "x.csv"])
        .assert()
        .code(2);
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stderr),
        format!("polarsdesc: error: s3://demo/data/: cannot reach the endpoint (http://{closed}): connection refused\n")
    );
    let silent = SilentServer::start();
    let started = Instant::now();
    let out = isolated(&env)
        .env("AWS_ENDPOINT_URL", silent.url())
        .env("AWS_ALLOW_HTTP", "true")
        .env("AWS_ACCESS_KEY_ID", "a")
        .env("AWS_SECRET_ACCESS_KEY", "b")
        .env("POLARSDESC_S3_TIMEOUT", "1")
        .env("AWS_MAX_ATTEMPTS", "2")
        .args(["run", "s3://demo/data/", "-o", "x.csv"])
        .assert()
        .code(2);
    let took = started.elapsed();
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stderr),
        format!(
            "polarsdesc: error: s3://demo/data/: the endpoint ({}) did not answer in time\n",
            silent.url()
        )
    );
    assert!(took < Duration::from_secs(6), "{took:?}");
    assert_eq!(silent.connections(), 2, "one request, tried twice");
}

#[test]
fn a_kubernetes_indexed_job_on_a_bucket_as_documented() {
    let Some(server) = S3Server::start("s3 kubernetes", false) else {
        return;
    };
    let manifest = Manifest::documented("polarsdesc-s3.yaml");
    let env = TestEnv::new();
    env.generate_small("data", 40, 5);
    env.write("data/broken.csv", "a,b\n1,2\n3,4,5\n");
    server.create_bucket("polarsdesc-demo");
    server.upload_folder(&env.join("data"), "polarsdesc-demo", "data/");
    polarsdesc(&env, &server)
        .args(["-q", "run", "data", "-o", "single.parquet"])
        .assert()
        .code(1);
    manifest.run_shards(|| polarsdesc(&env, &server));
    assert_eq!(
        server.keys("polarsdesc-demo", "parts/").len(),
        manifest.completions
    );
    polarsdesc(&env, &server)
        .args(&manifest.merge_args)
        .assert()
        .code(1); // broken.csv
    env.write(
        "merged.parquet",
        server.get("polarsdesc-demo", "summary.parquet"),
    );
    let merged = common::read_parquet(&env.join("merged.parquet"));
    let single = common::read_parquet(&env.join("single.parquet"));
    let local_paths: Vec<String> = common::strings(&single, "path")
        .iter()
        .map(|path| format!("s3://polarsdesc-demo/{path}"))
        .collect();
    assert_eq!(common::strings(&merged, "path"), local_paths);
    for column in ["count", "mean", "std", "min", "25%", "50%", "75%", "max"] {
        assert!(
            merged
                .column(column)
                .unwrap()
                .equals_missing(single.column(column).unwrap()),
            "{column}"
        );
    }
}

/// The rows of a CSV table by path: (path, column, count, mean).
fn rows_of(table: &[u8]) -> Vec<(String, String, String, String)> {
    let mut reader = csv::Reader::from_reader(table);
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            let field = |i: usize| record.get(i).unwrap().to_string();
            (field(1), field(2), field(3), field(4))
        })
        .collect()
}

#[test]
fn odd_keys_are_used_exactly_as_stored_and_fail_only_themselves() {
    let Some(server) = S3Server::start("s3 odd keys", false) else {
        return;
    };
    let env = TestEnv::new();
    server.create_bucket("demo");
    // Each object holds one value, its own: a read of the wrong key shows.
    let keys = [
        "d/ünï.csv",
        "d/hash#x.csv",
        "d/pct%41.csv",
        "d/pctA.csv",
        "d/q?x.csv",
        "d/tab\tx.csv",
        "d/a b+c.csv",
        "d/x.csv",
        "d/./x.csv",
        "/d/x.csv",
        "d//x.csv",
    ];
    for (value, key) in keys.iter().enumerate() {
        server.put_text("demo", key, &format!("v\n{value}\n"));
    }
    let value_of = |key: &str| keys.iter().position(|k| *k == key).unwrap().to_string();
    let out = polarsdesc(&env, &server)
        .args(["-q", "run", "-r", "s3://demo/d/", "-o", "-", "--no-cache"])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert_eq!(
        stderr,
        "polarsdesc: error: s3://demo/d/./x.csv: cannot read: a key with a '.' or '..' segment \
         cannot be requested exactly (URL parsers remove such segments, so the request would \
         reach another object); rename the object\n"
    );
    let rows = rows_of(&out.get_output().stdout);
    let expected: Vec<(String, String, String, String)> = [
        "d//x.csv",
        "d/a b+c.csv",
        "d/hash#x.csv",
        "d/pct%41.csv",
        "d/pctA.csv",
        "d/q?x.csv",
        "d/tab\tx.csv",
        "d/x.csv",
        "d/ünï.csv",
    ]
    .iter()
    .map(|key| {
        let value = value_of(key);
        (
            format!("s3://demo/{key}"),
            "v".into(),
            "1".into(),
            format!("{value}.0"),
        )
    })
    .collect();
    let mut sorted = rows.clone();
    sorted.sort();
    assert_eq!(sorted, expected);
    // A leading or doubled slash is part of the key, not dropped.
    for key in ["/d/x.csv", "d//x.csv"] {
        let out = polarsdesc(&env, &server)
            .args(["-q", "run", &format!("s3://demo/{key}"), "-o", "-"])
            .assert()
            .success();
        let rows = rows_of(&out.get_output().stdout);
        assert_eq!(rows[0].3, format!("{}.0", value_of(key)), "{key}");
    }
    // Outputs and parts keep their keys exactly too.
    polarsdesc(&env, &server)
        .args([
            "-q",
            "run",
            "s3://demo/d/ünï.csv",
            "-o",
            "s3://demo/out/ü #1.csv",
        ])
        .assert()
        .success();
    assert_eq!(server.keys("demo", "out/"), ["out/ü #1.csv"]);
    // A key that cannot be requested exactly, named itself: said plainly.
    let out = polarsdesc(&env, &server)
        .args(["-q", "run", "s3://demo/d/./x.csv", "-o", "-"])
        .assert()
        .code(2);
    assert!(
        String::from_utf8_lossy(&out.get_output().stderr).contains("cannot be requested exactly")
    );
}

#[test]
fn a_bad_configuration_is_said_in_one_line_before_any_request() {
    let env = TestEnv::new();
    let listener = SilentServer::start();
    let run = |variables: &[(&str, &str)]| {
        let mut command = isolated(&env);
        command
            .env("AWS_ACCESS_KEY_ID", "a")
            .env("AWS_SECRET_ACCESS_KEY", "b")
            .env("AWS_ENDPOINT_URL", listener.url())
            .env("AWS_ALLOW_HTTP", "true")
            .envs(variables.iter().copied())
            .args(["run", "s3://demo/data/", "-o", "x.csv"]);
        let out = command.assert().code(2);
        String::from_utf8_lossy(&out.get_output().stderr).into_owned()
    };
    let cases: [(&[(&str, &str)], &str); 6] = [
        (
            &[("AWS_ENDPOINT_URL", "127.0.0.1:47311")],
            "AWS_ENDPOINT_URL=\"127.0.0.1:47311\" is not an endpoint URL: it needs a scheme and a host",
        ),
        (
            &[("AWS_ALLOW_HTTP", "false")],
            "is plain HTTP, which is refused unless AWS_ALLOW_HTTP=true is set",
        ),
        (
            &[("POLARSDESC_S3_TIMEOUT", "soon")],
            "POLARSDESC_S3_TIMEOUT=\"soon\" is not a whole number of seconds above 0",
        ),
        (
            &[("POLARSDESC_S3_REQUESTS", "-1")],
            "POLARSDESC_S3_REQUESTS=\"-1\" is not a whole number of requests above 0",
        ),
        (
            &[("AWS_MAX_ATTEMPTS", "0")],
            "AWS_MAX_ATTEMPTS=\"0\" is not a whole number of attempts above 0",
        ),
        (
            &[("AWS_ALLOW_HTTP", "perhaps")],
            "AWS_ALLOW_HTTP=\"perhaps\" is not true or false",
        ),
    ];
    for (variables, expected) in cases {
        let stderr = run(variables);
        assert!(
            stderr.starts_with("polarsdesc: error: s3://demo: ") && stderr.contains(expected),
            "{variables:?}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    // Nothing reached the endpoint: each was refused before any request.
    assert_eq!(listener.connections(), 0);
}

#[test]
fn an_endpoint_that_goes_down_mid_run_keeps_the_previous_output_and_resume_finishes() {
    let Some(server) = S3Server::start("s3 outage", false) else {
        return;
    };
    let env = TestEnv::new();
    env.generate_small("data", 40, 3);
    server.create_bucket("demo");
    server.upload_folder(&env.join("data"), "demo", "data/");
    let complete = polarsdesc(&env, &server)
        .args([
            "-q",
            "run",
            "s3://demo/data/",
            "-o",
            "out.csv",
            "--no-cache",
        ])
        .assert()
        .success();
    drop(complete);
    let before = std::fs::read(env.join("out.csv")).unwrap();
    // The endpoint answers the listing and 14 GETs, then goes down.
    let proxy = OutageProxy::start(server.port, 15);
    let out = polarsdesc(&env, &server)
        .env("AWS_ENDPOINT_URL", proxy.url())
        .env("POLARSDESC_S3_REQUESTS", "1")
        .args(["-q", "run", "s3://demo/data/", "-o", "out.csv", "-j", "1"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    // 14 objects came whole in their GETs, and were described; the 15th
    // failed, and the run stopped there.
    assert!(
        stderr.contains(
            "; the run stopped there (14 of 40 files done) and wrote nothing; \
             the files finished so far are on record: run again with --resume"
        ),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(
        std::fs::read(env.join("out.csv")).unwrap(),
        before,
        "the previous output stands"
    );
    let resumed = polarsdesc(&env, &server)
        .args(["run", "s3://demo/data/", "-o", "out.csv", "--resume"])
        .assert()
        .success();
    let summary = String::from_utf8_lossy(&resumed.get_output().stderr).into_owned();
    assert!(
        summary.contains("summarized 40 of 40 files (40 rows; 14 unchanged, reused)"),
        "{summary}"
    );
    assert_eq!(std::fs::read(env.join("out.csv")).unwrap(), before);
}

#[test]
fn parquet_ndjson_objects_and_long_tables_are_read_from_a_bucket_as_from_disk() {
    use polars::prelude::*;
    use polars_io::prelude::ParquetWriter;
    let Some(server) = S3Server::start("s3 parquet and --by", false) else {
        return;
    };
    let env = TestEnv::new();
    // A Parquet object past the 8 MiB fetched ahead: the rest in one range.
    let rows = 1_500_000u64;
    // Distinct values that do not compress.
    let scrambled = |i: u64| {
        (i.wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407)
            >> 11) as f64
    };
    let mut frame = df!(
        "key" => (0..rows).map(|i| format!("k{}", (i * 7919) % 500)).collect::<Vec<_>>(),
        "x" => (0..rows).map(|i| scrambled(i) / 7.0).collect::<Vec<_>>(),
        "n" => (0..rows).map(|i| (i % 97) as i64).collect::<Vec<_>>(),
    )
    .unwrap();
    std::fs::create_dir_all(env.join("tables")).unwrap();
    let file = std::fs::File::create(env.join("tables/big.parquet")).unwrap();
    ParquetWriter::new(file).finish(&mut frame).unwrap();
    assert!(
        std::fs::metadata(env.join("tables/big.parquet"))
            .unwrap()
            .len()
            > 8 << 20
    );
    env.write("tables/long.csv", "key,x\nb,1\na,2\nb,3\n");
    let lines = "{\"key\": \"a\", \"x\": 1.5}\n{\"key\": \"b\", \"x\": 2}\n";
    env.write("tables/e.ndjson", lines);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, lines.as_bytes()).unwrap();
    env.write("tables/f.jsonl.gz", gz.finish().unwrap());
    server.create_bucket("tables");
    server.upload_folder(&env.join("tables"), "tables", "");
    for by in [None, Some("key")] {
        let mut local = env.cmd();
        local.args(["-q", "run", "tables", "-o", "local.csv"]);
        let mut remote = polarsdesc(&env, &server);
        remote.args(["-q", "run", "s3://tables/", "-o", "remote.csv"]);
        if let Some(key) = by {
            local.args(["--by", key]);
            remote.args(["--by", key]);
        }
        local.assert().success();
        remote.assert().success();
        let local = std::fs::read(env.join("local.csv")).unwrap();
        assert_eq!(
            without_folder(
                &std::fs::read(env.join("remote.csv")).unwrap(),
                "s3://tables/"
            ),
            without_folder(&local, "tables/")
        );
        let lines = String::from_utf8_lossy(&local).lines().count();
        assert_eq!(
            lines,
            if by.is_some() {
                1 + 500 * 2 + 2 + 2 + 2
            } else {
                1 + 2 + 1 + 1 + 1
            }
        );
    }
}
