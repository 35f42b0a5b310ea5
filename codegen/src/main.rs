//! The `gatespec` command line.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use gatespec_codegen::diagnostic::RenderStyle;

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
        /// Draw diagnostics without colours.
        #[arg(long)]
        no_color: bool,
    },
    /// Print the JSON Schema of the spec format (checked in as spec/gatespec.schema.json).
    Schema,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Lint { path, no_color } => {
            let checked = gatespec_codegen::check_path(&path);
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
        Command::Schema => {
            print!("{}", gatespec_codegen::schema::format_schema_text());
            ExitCode::SUCCESS
        }
    }
}
