//! The command-line contract: help, usage errors, exit codes, stdout for data and stderr for people.

mod common;

use common::{fixture, TestEnv};
use predicates::prelude::*;

#[test]
fn help_lists_commands_and_exit_codes() {
    let env = TestEnv::new();
    env.cmd()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("run"))
        .stdout(predicate::str::contains("generate"))
        .stdout(predicate::str::contains(
            "Exit codes: 0 all inputs summarized",
        ));
    env.cmd()
        .args(["run", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--percentiles"))
        .stdout(predicate::str::contains("--jobs"))
        .stdout(predicate::str::contains("[default: summary.parquet, or"));
    env.cmd()
        .args(["generate", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--seed"))
        .stdout(predicate::str::contains("--label-length"));
    env.cmd()
        .arg("-V")
        .assert()
        .success()
        .stdout(format!("polarsdesc {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn usage_errors_exit_2() {
    let env = TestEnv::new();
    env.cmd().args(["run", "--no-such-flag"]).assert().code(2);
    env.cmd().arg("frobnicate").assert().code(2);
    env.cmd()
        .args(["run", "-p", "1.5"])
        .assert()
        .code(2)
        .stderr("polarsdesc: error: percentiles must be between 0 and 1, got 1.5\n");
    env.cmd()
        .args(["run", "x.csv", "-o", "out.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "polarsdesc: error: cannot tell the output format from 'out.txt'",
        ));
    env.cmd()
        .args(["generate", "--start", "2020-01-02", "--end", "2020-01-01"])
        .assert()
        .code(2)
        .stderr("polarsdesc: error: --end 2020-01-01 is before --start 2020-01-02\n");
}

#[test]
fn no_inputs_exit_2_and_name_the_input() {
    let env = TestEnv::new();
    std::fs::create_dir(env.join("empty")).unwrap();
    env.cmd()
        .args(["run", "empty"])
        .assert()
        .code(2)
        .stderr("polarsdesc: error: no CSV, Parquet, Arrow or NDJSON files found in empty\n");
    assert!(!env.join("summary.parquet").exists());
}

#[test]
fn some_files_failing_exit_1_and_the_rest_is_written() {
    let env = TestEnv::new();
    env.write("in/good.csv", "x\n1\n2\n");
    env.write("in/empty.csv", "");
    env.cmd()
        .args(["run", "in", "-q", "-o", "-"])
        .assert()
        .code(1)
        .stdout("label,path,column,count,mean,std,min,25%,50%,75%,max\ngood,in/good.csv,x,2,1.5,0.7071067811865476,1.0,1.25,1.5,1.75,2.0\n")
        .stderr("polarsdesc: error: in/empty.csv: the file is empty (no header line)\n");
}

#[test]
fn every_file_failing_exits_2_and_writes_nothing() {
    let env = TestEnv::new();
    env.write("in/empty.csv", "");
    env.cmd()
        .args(["run", "in/empty.csv", "missing.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "polarsdesc: error: in/empty.csv: the file is empty (no header line)\n",
        ))
        .stderr(predicate::str::contains(
            "polarsdesc: error: missing.csv: cannot read: No such file or directory",
        ))
        .stderr(predicate::str::contains(
            "summarized 0 of 2 files (0 rows) in",
        ))
        .stderr(predicate::str::contains(
            "summary.parquet not written; 2 failed",
        ));
    assert!(!env.join("summary.parquet").exists());
}

#[test]
fn stdout_holds_only_data() {
    let env = TestEnv::new();
    env.generate_small("data", 3, 1);
    // To a file: nothing on stdout; the preview and the summary line on stderr.
    env.cmd()
        .arg("run")
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("label  column  count"))
        .stderr(predicate::str::contains(
            "summarized 3 of 3 files (3 rows) in",
        ));
    // To stdout: the CSV alone on stdout.
    let output = env.cmd().args(["run", "-o", "-"]).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1 + 3);
    assert!(stdout.starts_with("label,path,column,count,"));
    // Quiet: nothing at all on stderr.
    env.cmd().args(["-q", "run"]).assert().success().stderr("");
}

#[test]
fn formats_follow_the_extension_or_the_flag() {
    let env = TestEnv::new();
    let input = fixture("pandas/constant.csv");
    env.cmd()
        .arg("run")
        .arg(&input)
        .args(["-q", "-o", "out.csv"])
        .assert()
        .success();
    let csv = std::fs::read_to_string(env.join("out.csv")).unwrap();
    assert!(csv.starts_with("label,path,column,count,mean,std,min,25%,50%,75%,max\nconstant,"));

    env.cmd()
        .arg("run")
        .arg(&input)
        .args(["-q", "-o", "out.json"])
        .assert()
        .success();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.join("out.json")).unwrap()).unwrap();
    assert_eq!(json[0]["label"], "constant");
    assert_eq!(json[0]["count"], 4);
    assert_eq!(json[0]["min"], 0.1);

    env.cmd()
        .arg("run")
        .arg(&input)
        .args(["-q", "-o", "out.data", "--format", "parquet"])
        .assert()
        .success();
    assert_eq!(&std::fs::read(env.join("out.data")).unwrap()[..4], b"PAR1");
}

#[test]
fn json_writes_null_for_undefined_and_nan() {
    let env = TestEnv::new();
    env.write("one.csv", "a,b\n1.5,inf\n");
    env.cmd()
        .args(["run", "one.csv", "-q", "-o", "-", "--format", "json"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("\"std\": null")
                .and(predicate::str::contains("\"max\": null")),
        );
}

#[test]
fn version_says_what_a_bug_report_needs() {
    let env = TestEnv::new();
    let out = env.cmd().arg("--version").assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        format!("polarsdesc {}", env!("CARGO_PKG_VERSION"))
    );
    assert!(lines[1].starts_with("Polars 0.55."), "{text}");
    assert!(text.contains("s3://") && text.contains(".zst"), "{text}");
    for format in ["CSV", "Parquet", "Arrow IPC (Feather)", "NDJSON"] {
        assert!(text.contains(format), "{format} in {text}");
    }
    // -V stays one line.
    let out = env.cmd().arg("-V").assert().success();
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout)
            .lines()
            .count(),
        1
    );
}

/// Writes polarsdesc's completion script for `shell` into `env` as `name`.
fn write_completions(env: &TestEnv, shell: &str, name: &str) {
    let out = env.cmd().args(["completions", shell]).assert().success();
    env.write(name, &out.get_output().stdout);
}

/// Runs `script` in bash with the completion script of polarsdesc loaded.
fn in_bash_with_completions(env: &TestEnv, script: &str) -> Option<String> {
    if !shell_exists("bash") {
        return None;
    }
    write_completions(env, "bash", "polarsdesc.bash");
    let output = std::process::Command::new("bash")
        .current_dir(env.path())
        .args(["--noprofile", "--norc", "-c"])
        .arg(format!("source ./polarsdesc.bash && {script}"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    Some(String::from_utf8(output.stdout).unwrap())
}

#[test]
fn bash_completes_commands_and_options() {
    let env = TestEnv::new();
    let complete = |words: &str, current: usize| {
        in_bash_with_completions(
            &env,
            &format!(
                "COMP_WORDS=({words}); COMP_CWORD={current}; COMP_LINE='{words}'; \
                 COMP_POINT=${{#COMP_LINE}}; \
                 _polarsdesc polarsdesc \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
                 echo \"${{COMPREPLY[@]}}\""
            ),
        )
    };
    let Some(commands) = complete("polarsdesc ru", 1) else {
        return;
    };
    assert_eq!(commands.trim(), "run");
    let options = complete("polarsdesc run --max", 2).unwrap();
    assert_eq!(options.trim(), "--max-memory");
    let formats = complete("polarsdesc run --format ", 3).unwrap();
    assert_eq!(formats.trim(), "parquet csv json");
}

/// Whether `shell` runs here; a visible skip when it does not (a failure
/// under `POLARSDESC_REQUIRE_SHELLS`, which CI sets).
fn shell_exists(shell: &str) -> bool {
    let found = std::process::Command::new(shell)
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !found {
        let message = format!("{shell} completions: no {shell} on this machine");
        if std::env::var_os("POLARSDESC_REQUIRE_SHELLS").is_some() {
            panic!("{message} (POLARSDESC_REQUIRE_SHELLS is set, so this is a failure)");
        }
        common::say_skipped(&message);
    }
    found
}

#[test]
fn fish_completes_commands_and_options() {
    if !shell_exists("fish") {
        return;
    }
    let env = TestEnv::new();
    write_completions(&env, "fish", "polarsdesc.fish");
    let complete = |line: &str| {
        let output = std::process::Command::new("fish")
            .current_dir(env.path())
            .args(["--no-config", "-c"])
            .arg(format!("source polarsdesc.fish; and complete -C '{line}'"))
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        // Each candidate is a word, then a tab and its description.
        let stdout = String::from_utf8(output.stdout).unwrap();
        let words: Vec<String> = stdout
            .lines()
            .map(|line| line.split('\t').next().unwrap_or_default().to_string())
            .collect();
        words
    };
    assert_eq!(complete("polarsdesc ru"), ["run"]);
    assert_eq!(complete("polarsdesc run --max"), ["--max-memory"]);
    assert_eq!(
        complete("polarsdesc run --format "),
        ["csv", "json", "parquet"]
    );
}

#[test]
fn zsh_loads_the_completion_function() {
    if !shell_exists("zsh") {
        return;
    }
    let env = TestEnv::new();
    write_completions(&env, "zsh", "_polarsdesc");
    // compinit, then the script: it registers _polarsdesc for polarsdesc.
    let output = std::process::Command::new("zsh")
        .current_dir(env.path())
        .args([
            "-f",
            "-c",
            "autoload -U compinit && compinit -u -D && source ./_polarsdesc \
             && print -r -- ${_comps[polarsdesc]}",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8(output.stdout).unwrap().trim(),
        "_polarsdesc"
    );
}

#[test]
fn every_shell_gets_a_completion_script() {
    let env = TestEnv::new();
    for (shell, marker) in [
        ("zsh", "#compdef polarsdesc"),
        ("fish", "complete -c polarsdesc"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[polarsdesc]"),
    ] {
        let out = env.cmd().args(["completions", shell]).assert().success();
        let script = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(
            script.contains(marker) && script.contains("max-memory"),
            "{shell}"
        );
    }
    env.cmd().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn the_man_page_documents_every_command_and_renders() {
    let env = TestEnv::new();
    let out = env.cmd().arg("man").assert().success();
    let page = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(page.starts_with(".ie \\n(.g") && page.contains(".TH polarsdesc 1"));
    for section in ["RUN", "GENERATE", "MERGE", "BENCH"] {
        assert!(page.contains(&format!(".SH \"{section}\"")), "{section}");
    }
    assert!(page.contains("max\\-memory"));
    // Rendered by man itself where the machine has it.
    env.write("polarsdesc.1", &page);
    match std::process::Command::new("man")
        .env("MANWIDTH", "80")
        .args(["-l", "polarsdesc.1"])
        .current_dir(env.path())
        .output()
    {
        Ok(rendered) => {
            assert!(rendered.status.success(), "{rendered:?}");
            let text = String::from_utf8_lossy(&rendered.stdout);
            assert!(
                text.contains("polarsdesc(1)") && text.contains("--max-memory"),
                "{text}"
            );
        }
        Err(_) => common::say_skipped("man page: no man on this machine to render it"),
    }
}
