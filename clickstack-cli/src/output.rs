//! Colours, tables and progress: for people on a terminal, plain when
//! piped.

use std::io::IsTerminal;

use comfy_table::{ContentArrangement, Table, presets};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::ColorChoice;

/// ANSI colours, or none.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    color: bool,
}

impl Style {
    /// Colours for standard output: `--color`, else a terminal without
    /// `NO_COLOR` (any non-empty value turns colours off, per no-color.org).
    pub(crate) fn for_stdout(choice: ColorChoice) -> Self {
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        Style { color }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Green (creations).
    pub(crate) fn green(self, text: &str) -> String {
        self.paint("32", text)
    }

    /// Yellow (updates, warnings).
    pub(crate) fn yellow(self, text: &str) -> String {
        self.paint("33", text)
    }

    /// Red (deletions, failures).
    pub(crate) fn red(self, text: &str) -> String {
        self.paint("31", text)
    }

    /// Bold (headings).
    pub(crate) fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    /// Dim (details).
    pub(crate) fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }
}

/// A table with `header`: box lines on a terminal, plain aligned columns
/// when piped.
pub(crate) fn table(header: &[&str]) -> Table {
    let mut table = Table::new();
    if std::io::stdout().is_terminal() {
        table.load_style(presets::UTF8_HORIZONTAL_ONLY);
    } else {
        table.load_style(presets::NOTHING);
    }
    table.set_content_arrangement(ContentArrangement::Disabled);
    table.set_header(header.iter().copied());
    table
}

/// The text of a table made by [`table`], without trailing blanks; plain
/// columns start at the margin and are two spaces apart.
pub(crate) fn table_text(table: &mut Table) -> String {
    if !std::io::stdout().is_terminal() {
        for column in table.column_iter_mut() {
            column.set_padding((0, 2));
        }
    }
    table.trim_fmt()
}

/// A progress bar of `len` steps on standard error, drawn only on a
/// terminal.
pub(crate) fn progress(len: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
    if std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
    }
    bar
}

/// Prints a line on standard output, above the progress bar.
pub(crate) fn println(bar: &ProgressBar, line: &str) {
    bar.suspend(|| println!("{line}"));
}

/// Whether standard input is a terminal (someone can answer a question).
pub(crate) fn stdin_is_terminal() -> bool {
    std::io::stdin().is_terminal()
}
