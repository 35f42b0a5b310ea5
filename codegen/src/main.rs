//! The `gatespec` command line.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

mod cli_diff;

use clap::{Parser, Subcommand};
use gatespec_codegen::diagnostic::{DiagnosticCode, RenderStyle};

/// Turns table-documented gateway interfaces (YAML specs) into typed Rust bindings.
#[derive(Debug, Parser)]
#[command(name = "gatespec", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a spec directory or file and print every problem; exit 1 on any error.
    Lint {
        /// A spec directory (searched recursively for .yaml files) or one file.
        #[arg(default_value = "spec")]
        path: PathBuf,
        /// The edition of the vendor reference to check constraints for; default: the spec's.
        #[arg(long)]
        version: Option<String>,
        /// Draw diagnostics without colours.
        #[arg(long)]
        no_color: bool,
    },
    /// Generate the bindings crate's sources from a spec, and its OpenAPI document next to
    /// `src/` (`generated/openapi.json`); writes only files that change.
    Generate(Generation),
    /// Regenerate in memory and fail with a summary if the checked-in bindings or OpenAPI
    /// document differ.
    Check(Generation),
    /// Write the OpenAPI 3.1 document of a spec (stdout unless `-o`).
    Openapi {
        /// The spec directory or file.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// The edition of the vendor reference (`gateway.versions`); default: the spec's default.
        #[arg(long)]
        version: Option<String>,
        /// Write the document to this file instead of stdout.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// Compare two specs and say what each change breaks, for clients and for servers.
    ///
    /// Exit status: 0 no change, 1 compatible changes only, 2 a change breaks the side `--for`
    /// names, 3 the comparison could not be made (a spec with errors, a bad argument).
    Diff(DiffArgs),
    /// Print the JSON Schema of the spec format (checked in as spec/gatespec.schema.json).
    Schema,
    /// Explain a diagnostic code (`gatespec explain bad-path`), or print the table of all codes
    /// (the one in spec/README.md).
    Explain {
        /// A code, with or without the `gatespec::` prefix.
        code: Option<String>,
    },
}

/// What to generate and where.
#[derive(Debug, clap::Args)]
struct Generation {
    /// The spec directory or file.
    #[arg(long, default_value = "spec")]
    spec: PathBuf,
    /// The generated crate's `src/` directory.
    #[arg(long, default_value = "generated/src")]
    out: PathBuf,
    /// The edition of the vendor reference (`gateway.versions`); default: the spec's default.
    #[arg(long)]
    version: Option<String>,
    /// Give every service's server trait default methods that answer the protocol's
    /// `refusals.not_supported` code (as `server_defaults: not_supported` does for one service).
    #[arg(long)]
    default_methods: bool,
}

/// What `gatespec diff` compares and how it reports.
#[derive(Debug, clap::Args)]
struct DiffArgs {
    /// OLD and NEW: each a spec directory or file, a checkout holding `--spec` (`.`), or a git
    /// revision (`HEAD~1`, `v2023`) whose `--spec` is read without checking it out. With two
    /// `--edition`s, one spec (default: `--spec`) compared with itself.
    #[arg(num_args = 0..=2)]
    specs: Vec<String>,
    /// Where the spec is inside a checkout or revision.
    #[arg(long, default_value = "spec")]
    spec: PathBuf,
    /// The edition of the vendor reference (`gateway.versions`) to compare at: once for both
    /// sides, twice for OLD's and NEW's (`--edition 2023 --edition 2025`).
    #[arg(long = "edition", num_args = 1, action = clap::ArgAction::Append)]
    editions: Vec<String>,
    /// Whose breakage decides the exit status.
    #[arg(long = "for", value_enum, default_value = "both")]
    audience: AudienceArg,
    /// `text` (a changelog) or `json`.
    #[arg(long, value_enum, default_value = "text")]
    format: FormatArg,
    /// Compare as bindings generated with `--default-methods` (an added interface then breaks no
    /// server).
    #[arg(long)]
    default_methods: bool,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum AudienceArg {
    Client,
    Server,
    Both,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum FormatArg {
    Text,
    Json,
}

impl Generation {
    fn settings(&self) -> gatespec_codegen::generate::Settings {
        gatespec_codegen::generate::Settings {
            version: self.version.clone(),
            default_methods: self.default_methods,
        }
    }
}

/// The exit status of a comparison that could not be made (usage errors too: 2 means breaking).
const CANNOT_COMPARE: u8 = 3;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(CANNOT_COMPARE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Diff(args) => cli_diff::run(&args),
        Command::Lint {
            path,
            version,
            no_color,
        } => {
            let checked = gatespec_codegen::check_path_version(&path, version.as_deref());
            let style = if no_color || !std::io::stderr().is_terminal() {
                RenderStyle::Plain
            } else {
                RenderStyle::Colored
            };
            eprint!("{}", checked.diagnostics.render(&checked.sources, style));
            let errors = checked.diagnostics.error_count();
            let warnings = checked.diagnostics.len() - errors;
            let files = checked.sources.iter().count();
            if errors > 0 {
                eprintln!(
                    "error: {} has {errors} error(s) and {warnings} warning(s) in {files} file(s)",
                    path.display()
                );
                ExitCode::FAILURE
            } else {
                match &checked.spec {
                    Some(spec) => eprintln!(
                        "ok: {} — {} interface(s), {} table(s), {} code table(s), {} error code(s) in {files} file(s); {warnings} warning(s)",
                        path.display(),
                        spec.interfaces.len(),
                        spec.tables.len(),
                        spec.code_tables.len(),
                        spec.errors.len(),
                    ),
                    None => eprintln!("ok: {} ({warnings} warning(s))", path.display()),
                }
                ExitCode::SUCCESS
            }
        }
        Command::Generate(generation) => {
            let Generation { spec, out, .. } = &generation;
            let openapi_dir = gatespec_codegen::generate::openapi_dir(out);
            match gatespec_codegen::generate::crate_files_with(spec, &generation.settings())
                .and_then(|files| gatespec_codegen::generate::write(out, &files).map(|()| files))
                .and_then(|files| {
                    let openapi =
                        gatespec_codegen::generate::openapi_file(spec, &generation.settings())?;
                    write_file(&openapi_dir.join(&openapi.path), &openapi.text)?;
                    Ok(files)
                }) {
                Ok(files) => {
                    eprintln!(
                        "generated {} file(s) in {} from {}",
                        files.len(),
                        out.display(),
                        spec.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check(generation) => {
            let Generation { spec, out, .. } = &generation;
            let openapi_dir = gatespec_codegen::generate::openapi_dir(out);
            match gatespec_codegen::generate::crate_files_with(spec, &generation.settings())
                .and_then(|files| {
                    let openapi =
                        gatespec_codegen::generate::openapi_file(spec, &generation.settings())?;
                    Ok((files, openapi))
                }) {
                Ok((files, openapi)) => {
                    let mut drift = gatespec_codegen::generate::compare(out, &files);
                    drift.extend(
                        gatespec_codegen::generate::compare(&openapi_dir, &[openapi])
                            .into_iter()
                            .map(|d| d.under(&openapi_dir)),
                    );
                    if drift.is_empty() {
                        eprintln!("ok: {} is what {} generates", out.display(), spec.display());
                        ExitCode::SUCCESS
                    } else {
                        for d in &drift {
                            eprintln!("{d}");
                        }
                        eprintln!(
                            "error: {} differs from what {} generates in {} file(s); run `cargo run -q --bin gatespec -- generate` and commit the result",
                            out.display(),
                            spec.display(),
                            drift.len()
                        );
                        ExitCode::FAILURE
                    }
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Openapi {
            spec,
            version,
            output,
        } => {
            let settings = gatespec_codegen::generate::Settings {
                version,
                ..Default::default()
            };
            let written =
                gatespec_codegen::generate::openapi_file(&spec, &settings).and_then(|file| {
                    match &output {
                        Some(path) => write_file(path, &file.text),
                        None => {
                            print!("{}", file.text);
                            Ok(())
                        }
                    }
                });
            match written {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Schema => {
            print!("{}", gatespec_codegen::schema::format_schema_text());
            ExitCode::SUCCESS
        }
        Command::Explain { code: None } => {
            print!("{}", DiagnosticCode::reference_table());
            ExitCode::SUCCESS
        }
        Command::Explain { code: Some(name) } => match DiagnosticCode::from_name(&name) {
            Some(code) => {
                println!("{code}: {}", code.meaning());
                ExitCode::SUCCESS
            }
            None => {
                eprintln!(
                    "error: `{name}` is not a diagnostic code; `gatespec explain` lists them all"
                );
                ExitCode::FAILURE
            }
        },
    }
}

/// Writes `text` to `path` unless it already holds it.
fn write_file(
    path: &std::path::Path,
    text: &str,
) -> Result<(), gatespec_codegen::generate::GenerateError> {
    if std::fs::read_to_string(path).is_ok_and(|t| t == text) {
        return Ok(());
    }
    std::fs::write(path, text)
        .map_err(|e| gatespec_codegen::generate::GenerateError::Io(path.to_path_buf(), e))
}
