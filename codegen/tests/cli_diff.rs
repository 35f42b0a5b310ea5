// Tests may expect and panic: a panic is how they fail.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

//! `gatespec diff` as a CI job runs it: exit statuses, `--for`, `--format json`, git revisions,
//! editions, and refusals with a clear message.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

fn gatespec(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gatespec"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run gatespec")
}

fn status(output: &Output) -> i32 {
    output.status.code().expect("exit status")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A copy of the ticket desk spec in `dir/name`.
fn copy_ticket(dir: &Path, name: &str) -> PathBuf {
    let target = dir.join(name);
    std::fs::create_dir_all(&target).expect("mkdir");
    for entry in std::fs::read_dir(workspace().join("tests/specs/ticket")).expect("ticket spec") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), target.join(entry.file_name())).expect("copy");
    }
    target
}

fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).expect("read");
    assert_eq!(
        text.matches(from).count(),
        1,
        "{from} in {}",
        file.display()
    );
    std::fs::write(file, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn exit_status_says_whether_anything_changed_and_for_whom() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = copy_ticket(dir.path(), "old");
    let new = copy_ticket(dir.path(), "new");
    let same = gatespec(dir.path(), &["diff", "old", "new"]);
    assert_eq!(status(&same), 0, "{}", stderr(&same));
    assert!(stdout(&same).contains("no changes"));

    edit(
        &new.join("tickets.yaml"),
        "description: Opens a ticket.",
        "description: Opens one ticket.",
    );
    let docs = gatespec(dir.path(), &["diff", "old", "new"]);
    assert_eq!(status(&docs), 1, "{}", stdout(&docs));

    // A wider request range: compatible for clients, breaking for servers.
    edit(
        &new.join("info.yaml"),
        "range: {min: 1, max: 7}",
        "range: {min: 0, max: 7}",
    );
    for (audience, expected) in [("client", 1), ("server", 2), ("both", 2)] {
        let run = gatespec(dir.path(), &["diff", "old", "new", "--for", audience]);
        assert_eq!(status(&run), expected, "--for {audience}: {}", stdout(&run));
    }
    let text = stdout(&gatespec(dir.path(), &["diff", "old", "new"]));
    assert!(
        text.contains("! range-widened query parameter `day`: 1..=7 -> 0..=7"),
        "{text}"
    );
    assert!(
        text.contains("old old/info.yaml:12:16  new new/info.yaml:12:16"),
        "{text}"
    );

    let json = gatespec(
        dir.path(),
        &["diff", "old", "new", "--format", "json", "--for", "client"],
    );
    assert_eq!(status(&json), 1);
    let document: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(document["for"], "client");
    assert_eq!(document["summary"]["exit_status"], 1);
    assert_eq!(document["summary"]["breaking_for_servers"], 1);
    let kinds: Vec<&str> = document["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| c["kind"].as_str().expect("kind"))
        .collect();
    // Grouped by service: `info` comes before `tickets`.
    assert_eq!(kinds, ["range-widened", "documentation"]);
    let widened = &document["changes"][0];
    assert_eq!(widened["service"], "info");
    assert_eq!(widened["interface"], "desk_hours");
    assert_eq!(widened["client"], "compatible");
    assert_eq!(widened["server"], "breaking");
    assert_eq!(widened["old"], "old/info.yaml:12:16");
    let _ = old;
}

#[test]
fn a_spec_with_errors_or_an_unknown_side_cannot_be_compared() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_ticket(dir.path(), "old");
    let new = copy_ticket(dir.path(), "new");
    edit(&new.join("info.yaml"), "method: GET", "method: FETCH");
    let broken = gatespec(dir.path(), &["diff", "old", "new"]);
    assert_eq!(status(&broken), 3);
    assert!(
        stderr(&broken).contains("new/info.yaml:"),
        "{}",
        stderr(&broken)
    );
    assert!(stdout(&broken).is_empty());

    let unknown = gatespec(dir.path(), &["diff", "old", "no-such-thing"]);
    assert_eq!(status(&unknown), 3);
    assert!(
        stderr(&unknown).contains("`no-such-thing` is neither a spec path nor a git revision"),
        "{}",
        stderr(&unknown)
    );
    // Usage errors are not "breaking" either.
    let usage = gatespec(dir.path(), &["diff", "old", "new", "--for", "everyone"]);
    assert_eq!(status(&usage), 3);
    let one_side = gatespec(dir.path(), &["diff", "old"]);
    assert_eq!(status(&one_side), 3);
    assert!(
        stderr(&one_side).contains("--edition"),
        "{}",
        stderr(&one_side)
    );
}

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=gatespec",
            "-c",
            "user.email=gatespec@example.com",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run git");
    assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
}

#[test]
fn git_revisions_are_read_without_a_checkout() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    let spec = copy_ticket(repo, "spec");
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "first"]);
    edit(
        &spec.join("tickets.yaml"),
        "path: /{user}/{ticketId}/assign",
        "path: /{user}/{ticketId}/assignee",
    );

    // The working tree against the last commit: `.` stands for its `spec` directory.
    let run = gatespec(repo, &["diff", "HEAD", "."]);
    assert_eq!(status(&run), 2, "{}{}", stdout(&run), stderr(&run));
    let text = stdout(&run);
    assert!(
        text.starts_with("gatespec diff HEAD:spec -> ./spec"),
        "{text}"
    );
    assert!(text.contains("! path-changed path:"), "{text}");
    assert!(text.contains("old HEAD:spec/tickets.yaml:38:11"), "{text}");

    git(repo, &["commit", "-q", "-am", "second"]);
    let between = gatespec(repo, &["diff", "HEAD~1", "HEAD"]);
    assert_eq!(status(&between), 2, "{}", stderr(&between));
    assert_eq!(
        stdout(&between)
            .replace("HEAD~1:spec", "HEAD:spec")
            .lines()
            .count(),
        text.lines().count()
    );
    // `REV:dir` names the directory inside the revision.
    let explicit = gatespec(repo, &["diff", "HEAD~1:spec", "HEAD:spec"]);
    assert_eq!(status(&explicit), 2, "{}", stderr(&explicit));
    assert!(stdout(&explicit).starts_with("gatespec diff HEAD~1:spec -> HEAD:spec"));
    // A revision is never read as an option of git.
    let option = gatespec(repo, &["diff", "--", "--output=x", "HEAD"]);
    assert_eq!(status(&option), 3);
    assert!(!repo.join("x").exists());
    // From a subdirectory, `--spec` is relative to it, as git paths are.
    let sub = repo.join("spec");
    let here = gatespec(&sub, &["diff", "--spec", ".", "HEAD~1", "HEAD"]);
    assert_eq!(status(&here), 2, "{}", stderr(&here));
}

#[test]
fn editions_of_one_spec() {
    let spec = workspace().join("spec");
    let spec = spec.to_str().expect("UTF-8 path");
    let both = gatespec(
        &workspace(),
        &["diff", "--edition", "2023", "--edition", "2025", spec],
    );
    assert_eq!(status(&both), 2, "{}", stderr(&both));
    assert!(
        stdout(&both).contains("! range-widened scalar `AgentId`: 101..=59999 -> 101..=999999")
    );
    let client = gatespec(
        &workspace(),
        &[
            "diff",
            "--for",
            "client",
            "--edition",
            "2023",
            "--edition",
            "2025",
            spec,
        ],
    );
    assert_eq!(status(&client), 1);
    let unknown = gatespec(
        &workspace(),
        &["diff", "--edition", "2023", "--edition", "1999", spec],
    );
    assert_eq!(status(&unknown), 3);
    assert!(
        stderr(&unknown).contains("unknown-version"),
        "{}",
        stderr(&unknown)
    );
}
