//! Spec files read from a git revision (`gatespec diff HEAD~1 .`), without checking it out.

use std::path::Path;
use std::process::Command;

use super::{Loaded, load_text};

/// Whether `revision` names a commit of the git repository around the current directory.
pub fn is_revision(revision: &str) -> bool {
    // A leading `-` would be read as an option of git.
    !revision.is_empty()
        && !revision.starts_with('-')
        && git(&[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{revision}^{{commit}}"),
        ])
        .is_ok()
}

/// Reads every `.yaml`/`.yml` file under `path` (relative to the current directory) as
/// `revision` has it. Each file is named `REVISION:path` in diagnostics and locations.
///
/// # Errors
/// When git fails or the revision has no spec files under `path`.
pub fn load_revision(revision: &str, path: &Path) -> Result<Loaded, String> {
    let pathspec = path.to_string_lossy();
    let listing = git(&[
        "ls-tree",
        "-r",
        "-z",
        "--name-only",
        "--full-name",
        revision,
        "--",
        &pathspec,
    ])?;
    let mut files: Vec<&str> = listing
        .split('\0')
        .filter(|f| f.ends_with(".yaml") || f.ends_with(".yml"))
        .collect();
    files.sort_unstable();
    if files.is_empty() {
        return Err(format!(
            "revision `{revision}` has no .yaml spec files under `{pathspec}`"
        ));
    }
    let mut loaded = Loaded::default();
    for file in files {
        // `ls-tree --full-name` names files from the repository root, as `REV:path` wants them.
        let text = git(&["cat-file", "blob", &format!("{revision}:{file}")])?;
        load_text(&mut loaded, Path::new(&format!("{revision}:{file}")), text);
    }
    Ok(loaded)
}

fn git(args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("git printed non-UTF-8 output: {e}"))
}
