//! `clickstack plan` and `clickstack apply`: read DIR (or a saved plan),
//! plan with the `clickstack` crate, show the plan, confirm deletes, and
//! apply exactly that plan.

use std::fmt::Write as _;
use std::io::BufRead as _;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use clickstack::as_code::{Action, Done, Plan, PlanError, PlanningError};

use crate::cli::{ApplyArgs, PlanArgs};
use crate::connect::Target;
use crate::layout::{self, Layout};
use crate::output::{self, Style};
use crate::render;
use crate::validate;

/// Exit code: changes pending (`plan`).
pub(crate) const CHANGES_PENDING: u8 = 2;

/// The problems of a plan, each with the files of the documents it is
/// about.
fn problems(error: &PlanError, layout: &Layout) -> String {
    let mut text = format!(
        "cannot plan ({}, nothing was changed):",
        layout::plural(error.problems.len(), "problem", "problems")
    );
    for problem in &error.problems {
        let files: Vec<&str> = problem
            .documents()
            .into_iter()
            .filter_map(|(kind, name)| layout.file(kind, name))
            .collect();
        let _ = write!(text, "\n  - {problem}");
        if !files.is_empty() {
            let _ = write!(text, " ({})", files.join(", "));
        }
    }
    text
}

/// Reads DIR and plans it against the target.
async fn plan_dir(target: &Target, dir: &Path, prune: bool) -> Result<(Layout, Plan)> {
    let layout = layout::load(dir)?;
    // What HyperDX files hold that the APIs cannot: said, never dropped
    // silently.
    for warning in layout.loss_warnings() {
        eprintln!("warning: {warning}");
    }
    let refusals = validate::schema_refusals(target, &layout)?;
    if !refusals.is_empty() {
        let mut message = format!(
            "documents the {} API's schema refuses (nothing was changed; `clickstack validate` checks \
             every document):",
            target.api_name()
        );
        for refusal in &refusals {
            let _ = write!(message, "\n  - {refusal}");
        }
        bail!(message);
    }
    let planned = target
        .client
        .plan(&layout.documents, &layout.plan_options(prune))
        .await;
    let context = || format!("cannot plan {} on {}", dir.display(), target.description);
    match planned {
        Ok(plan) => Ok((layout, plan)),
        Err(PlanningError::Problems(e)) => Err(anyhow!(problems(&e, &layout)).context(context())),
        Err(e) => Err(anyhow::Error::new(e).context(context())),
    }
}

/// `clickstack plan`.
pub(crate) async fn plan(target: &Target, args: &PlanArgs, style: Style) -> Result<u8> {
    let (layout, plan) = plan_dir(target, &args.dir, args.prune).await?;
    if let Some(out) = &args.out {
        let mut text = plan.to_json()?;
        text.push('\n');
        std::fs::write(out, text).with_context(|| format!("cannot write {}", out.display()))?;
    }
    if args.json {
        print!("{}", render::to_json(&plan, target, Some(&layout))?);
    } else {
        let header = render::Header::Dir {
            dir: args.dir.display().to_string(),
            summary: layout.summary(),
        };
        print!(
            "{}",
            render::text(&plan, target, &header, Some(&layout), style)
        );
        if let Some(out) = &args.out {
            println!(
                "\nSaved the plan to {}: `clickstack apply {}` applies exactly this plan.",
                out.display(),
                out.display()
            );
        }
    }
    Ok(if plan.has_changes() {
        CHANGES_PENDING
    } else {
        0
    })
}

/// Asks before deleting, unless `--yes`; refuses without a terminal.
fn confirm_deletes(plan: &Plan, yes: bool) -> Result<()> {
    let deletes: Vec<String> = plan
        .steps
        .iter()
        .filter(|s| s.action == Action::Delete)
        .map(|s| {
            format!(
                "{} {:?} ({})",
                s.kind,
                s.name,
                s.id.as_deref().unwrap_or("?")
            )
        })
        .collect();
    if deletes.is_empty() || yes {
        return Ok(());
    }
    let what = layout::plural(deletes.len(), "resource", "resources");
    if !output::stdin_is_terminal() {
        bail!(
            "refusing to delete {what} without --yes: standard input is not a terminal, so nobody \
             can confirm (nothing was changed). Review the plan above, then run again with --yes, \
             or without --prune"
        );
    }
    eprint!(
        "\nDelete {what} ({})? Type 'yes' to apply the plan: ",
        deletes.join(", ")
    );
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if !matches!(answer.trim(), "yes" | "y") {
        bail!("apply cancelled: nothing was changed");
    }
    Ok(())
}

/// `clickstack apply`: DIR, planned now, or a plan file saved earlier.
pub(crate) async fn apply(target: &Target, args: &ApplyArgs, style: Style) -> Result<u8> {
    let (plan, layout, header) = if args.dir.is_file() {
        let text = std::fs::read_to_string(&args.dir)
            .with_context(|| format!("cannot read {}", args.dir.display()))?;
        let plan = Plan::from_json(&text).with_context(|| {
            format!(
                "{} is not a plan `clickstack plan --out` saved",
                args.dir.display()
            )
        })?;
        (
            plan,
            None,
            render::Header::PlanFile(args.dir.display().to_string()),
        )
    } else {
        let (layout, plan) = plan_dir(target, &args.dir, args.prune).await?;
        let header = render::Header::Dir {
            dir: args.dir.display().to_string(),
            summary: layout.summary(),
        };
        (plan, Some(layout), header)
    };
    print!(
        "{}",
        render::text(&plan, target, &header, layout.as_ref(), style)
    );
    if !plan.has_changes() {
        return Ok(0);
    }
    confirm_deletes(&plan, args.yes)?;
    println!();
    let bar = output::progress(plan.writes().count() as u64);
    let report = |done: &Done| {
        let verb = match done.action {
            Action::Create => style.green("created"),
            Action::Update => style.yellow("updated"),
            Action::Delete => style.red("deleted"),
            Action::Unchanged => return,
        };
        output::println(&bar, &format!("{verb} {} {:?}", done.kind, done.name));
        bar.inc(1);
    };
    let result = target.client.apply_with(&plan, report).await;
    bar.finish_and_clear();
    let applied = result?;
    let (created, updated, deleted) = applied.counts();
    println!(
        "\n{} {created} created, {updated} updated, {deleted} deleted.",
        style.bold("Apply complete:"),
    );
    Ok(0)
}
