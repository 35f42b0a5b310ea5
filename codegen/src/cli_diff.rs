//! `gatespec diff`: resolves each side (a path, a checkout or a git revision, at an edition),
//! checks both specs and prints what changed.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gatespec_codegen::diagnostic::RenderStyle;
use gatespec_codegen::diff::{self, Audience, Sides};
use gatespec_codegen::{Checked, load};

use crate::{AudienceArg, CANNOT_COMPARE, DiffArgs, FormatArg};

/// One side of the comparison, checked.
struct Side {
    checked: Checked,
    label: String,
}

pub(crate) fn run(args: &DiffArgs) -> ExitCode {
    match compare(args) {
        Ok(status) => ExitCode::from(status),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(CANNOT_COMPARE)
        }
    }
}

fn compare(args: &DiffArgs) -> Result<u8, String> {
    let default_spec = args.spec.to_string_lossy().into_owned();
    let (old_arg, new_arg) = match args.specs.as_slice() {
        [old, new] => (old.clone(), new.clone()),
        [one] => (one.clone(), one.clone()),
        _ => (default_spec.clone(), default_spec),
    };
    let (old_edition, new_edition) = match args.editions.as_slice() {
        [] => (None, None),
        [both] => (Some(both.as_str()), Some(both.as_str())),
        [old, new] => (Some(old.as_str()), Some(new.as_str())),
        more => {
            return Err(format!(
                "`--edition` is given {} times: once for both sides, or twice (OLD's, then NEW's)",
                more.len()
            ));
        }
    };
    if args.specs.len() < 2 && args.editions.len() != 2 {
        return Err(
            "compare two specs (`gatespec diff OLD NEW`) or one spec at two editions (`gatespec diff --edition 2023 --edition 2025 spec`)".to_owned(),
        );
    }
    let old = side(&old_arg, &args.spec, old_edition, args.default_methods)?;
    let new = side(&new_arg, &args.spec, new_edition, args.default_methods)?;
    let (Some(old_spec), Some(new_spec)) = (&old.checked.spec, &new.checked.spec) else {
        return Err("a spec has errors; fix them (`gatespec lint`) before comparing".to_owned());
    };
    let changes = diff::diff(old_spec, new_spec);
    let audience = match args.audience {
        AudienceArg::Client => Audience::Client,
        AudienceArg::Server => Audience::Server,
        AudienceArg::Both => Audience::Both,
    };
    let sides = Sides {
        old: (&old.checked.sources, &old.label),
        new: (&new.checked.sources, &new.label),
    };
    match args.format {
        FormatArg::Text => print!("{}", diff::text(&changes, sides, audience)),
        FormatArg::Json => print!("{}", diff::json(&changes, sides, audience)),
    }
    Ok(changes.exit_status(audience))
}

/// Reads and checks one side; its diagnostics go to stderr.
fn side(
    arg: &str,
    spec_dir: &Path,
    edition: Option<&str>,
    default_methods: bool,
) -> Result<Side, String> {
    let path = Path::new(arg);
    let (checked, mut label) = if path.exists() {
        let tree = checkout_spec(path, spec_dir);
        let label = tree.display().to_string();
        (gatespec_codegen::check_path_version(&tree, edition), label)
    } else if let Some((revision, dir)) = revision_and_dir(arg, spec_dir) {
        let loaded = load::revision::load_revision(revision, &dir)?;
        (
            gatespec_codegen::check_loaded(loaded, edition),
            format!("{revision}:{}", dir.display()),
        )
    } else {
        return Err(format!(
            "`{arg}` is neither a spec path nor a git revision of the repository here"
        ));
    };
    if let Some(edition) = edition {
        label = format!("{label} (edition {edition})");
    }
    let mut checked = checked;
    if default_methods && let Some(spec) = checked.spec.as_mut() {
        spec.enable_default_methods()
            .map_err(|d| format!("{label}: {}", d.message))?;
    }
    if !checked.diagnostics.is_empty() && checked.diagnostics.has_errors() {
        let style = if std::io::stderr().is_terminal() {
            RenderStyle::Colored
        } else {
            RenderStyle::Plain
        };
        eprint!("{}", checked.diagnostics.render(&checked.sources, style));
    }
    Ok(Side { checked, label })
}

/// `REV` (its `--spec` directory) or `REV:dir`, when `REV` names a commit.
fn revision_and_dir<'a>(arg: &'a str, spec_dir: &Path) -> Option<(&'a str, PathBuf)> {
    if load::revision::is_revision(arg) {
        return Some((arg, spec_dir.to_path_buf()));
    }
    let (revision, dir) = arg.split_once(':')?;
    let dir = if dir.is_empty() {
        spec_dir
    } else {
        Path::new(dir)
    };
    load::revision::is_revision(revision).then(|| (revision, dir.to_path_buf()))
}

/// A checkout (a directory holding the spec directory, such as `.`) stands for its spec.
fn checkout_spec(path: &Path, spec_dir: &Path) -> PathBuf {
    let inside = path.join(spec_dir);
    if path.is_dir() && inside.is_dir() && !spec_dir.is_absolute() {
        inside
    } else {
        path.to_path_buf()
    }
}
