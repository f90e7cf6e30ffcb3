//! Subcommands and their terminal output. Raw arguments become validated
//! values here, in one place; the library does the work.

use anyhow::{anyhow, Context as _};
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};
use tilsyn::demand::Horizon;
use tilsyn::lang::Lang;
use tilsyn::model::Dataset;
use tilsyn::plan::Plan;
use tilsyn::settings::Router;
use tilsyn::settings::RouterKind;
use tilsyn::tr;
use tilsyn::travel::engine::{self, cache::Cache, Engine, EngineError, RoadMatrix};
use tilsyn::travel::{car::GreatCircleCar, Sites, TravelMatrix};

/// `println!` that ignores a closed stdout (`tilsyn plan ... | head`)
/// instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

#[derive(Parser)]
#[command(name = "tilsyn", version, about = "Plans the follow-up visits a child-welfare department owes children in foster homes, institutions and lodgings.", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Language of what people read (terminal, unmet sentences, calendars,
    /// report, errors): nb (Norwegian bokmål, the default) or en. Also
    /// TILSYN_LANG.
    #[arg(long, global = true)]
    lang: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Plan the visits of a quarter (or any span of days) and write the plan folder.
    Plan(PlanArgs),
    /// Check a written plan against the dataset and the data contract.
    Check {
        /// Dataset folder the plan was made from.
        #[arg(long)]
        data: PathBuf,
        /// Plan folder to check.
        #[arg(long)]
        plan: PathBuf,
        /// Settings file used for the plan, instead of <DATA>/settings.toml.
        #[arg(long)]
        settings: Option<PathBuf>,
        /// The visit history the plan was made from (plan --visits, replan):
        /// its visits before the horizon stand for last_visit, and those
        /// inside it meet requirements as planned visits do.
        #[arg(long)]
        visits: Option<PathBuf>,
    },
    /// Re-plan the rest of a planned horizon: visits done and confirmed
    /// stay, trips before --from stay, the rest is planned again.
    Replan(ReplanArgs),
    /// Validate a dataset folder and report every problem.
    Validate {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        settings: Option<PathBuf>,
    },
    /// Export a quarter's routing core (day trips by car) as a VRP instance (JSON).
    ExportVrp {
        /// Dataset folder.
        #[arg(long)]
        data: PathBuf,
        /// Quarter, e.g. 2027Q1.
        #[arg(long)]
        quarter: String,
        /// Instance file to write (JSON).
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        settings: Option<PathBuf>,
        #[command(flatten)]
        road: RouterArgs,
    },
    /// Report which children got their required follow-up visits, per quarter.
    Compliance(ComplianceArgs),
    /// Write report.html (map, charts, tables) for a written plan folder.
    Report(ReportArgs),
    /// Fetch the road matrix of a dataset from a road engine into the cache.
    Matrix {
        /// Dataset folder.
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        settings: Option<PathBuf>,
        #[command(flatten)]
        road: RouterArgs,
    },
    /// Fit the offline car model ([car] settings) to a road engine's drives.
    Calibrate {
        /// Dataset folder: the drives between its offices and children are fitted.
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        settings: Option<PathBuf>,
        #[command(flatten)]
        road: RouterArgs,
        /// Also write the report as JSON to this file.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Solve a VRP instance from export-vrp with tilsyn's own engine.
    SolveVrp {
        /// Instance file (JSON, from export-vrp).
        instance: PathBuf,
        /// Solution file to write (JSON).
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a synthetic dataset in the contract's format.
    Generate {
        #[command(subcommand)]
        which: GenerateWhich,
    },
}

#[derive(Subcommand)]
enum GenerateWhich {
    /// The Trondheim-shaped sample (358 children, 23 caseworkers).
    Trondheim {
        #[arg(long, default_value_t = 2027)]
        seed: u64,
        /// Erik Bolstad's postcode table.
        #[arg(long, default_value = "data/geodata/postnummer_bolstad.tsv")]
        postcodes: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// A dataset for all of Norway: offices in the largest towns, homes at real postcodes.
    Norway(NorwayArgs),
}

#[derive(Args)]
struct NorwayArgs {
    /// Number of children (1 to 20000).
    #[arg(long)]
    children: usize,
    /// Number of caseworkers (1 to 1000, at least one per office).
    #[arg(long)]
    caseworkers: usize,
    /// Number of offices, one in each of the largest towns (1 to 50).
    #[arg(long)]
    offices: usize,
    #[arg(long)]
    seed: u64,
    /// Erik Bolstad's postcode table.
    #[arg(long, default_value = "data/geodata/postnummer_bolstad.tsv")]
    postcodes: PathBuf,
    /// Dataset folder to write (new, empty, or an earlier generated dataset; replaced as a whole).
    #[arg(long)]
    out: PathBuf,
}

/// Where road travel comes from (overrides the `[router]` settings).
#[derive(Args, Clone, Default)]
struct RouterArgs {
    /// Road engine: great-circle (offline model), osrm or valhalla.
    #[arg(long, value_parser = ["great-circle", "osrm", "valhalla"])]
    router: Option<String>,
    /// The engine's base URL, e.g. http://127.0.0.1:5000.
    #[arg(long)]
    router_url: Option<String>,
    /// Plan from the matrix cache alone; fail (exit 3) naming what is missing.
    #[arg(long)]
    offline: bool,
}

#[derive(Args)]
#[command(group(
    clap::ArgGroup::new("period")
        .required(true)
        .args(["quarter", "half", "year"])
))]
struct ComplianceArgs {
    /// Dataset folder.
    #[arg(long)]
    data: PathBuf,
    /// Visits carried out: visits_done.csv (child_id, date, caseworker_id, note_kind), or the register's XML extract (.xml).
    #[arg(long)]
    visits: PathBuf,
    /// Quarter to report, e.g. 2027Q1.
    #[arg(long)]
    quarter: Option<String>,
    /// Half-year to report, e.g. 2027H1 (its quarters, and the county governor's figures).
    #[arg(long)]
    half: Option<String>,
    /// Year to report, e.g. 2027 (its quarters, and the county governor's figures).
    #[arg(long)]
    year: Option<String>,
    /// The day the report is made, for days overdue (YYYY-MM-DD; default today).
    #[arg(long)]
    as_of: Option<String>,
    /// Folder to write compliance.csv, not_met.csv, county_governor.csv and compliance.json.
    #[arg(long)]
    out: PathBuf,
    #[arg(long)]
    settings: Option<PathBuf>,
}

#[derive(Args)]
struct ReportArgs {
    /// Dataset folder the plan was made from.
    #[arg(long)]
    data: PathBuf,
    /// Plan folder to report on.
    #[arg(long)]
    plan: PathBuf,
    /// File to write (default <PLAN>/report.html).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Visits carried out (visits_done.csv or the register's XML), for the compliance chart.
    #[arg(long)]
    visits: Option<PathBuf>,
    /// Settings file used for the plan, instead of <DATA>/settings.toml.
    #[arg(long)]
    settings: Option<PathBuf>,
}

#[derive(Args)]
#[command(group(
    clap::ArgGroup::new("span")
        .required(true)
        .args(["quarter", "half", "year", "from"])
))]
struct PlanArgs {
    /// Dataset folder (offices.csv, caseworkers.csv, absences.csv, children.csv, settings.toml).
    #[arg(long)]
    data: PathBuf,
    /// Quarter to plan, e.g. 2027Q1.
    #[arg(long)]
    quarter: Option<String>,
    /// Half-year to plan in one run, e.g. 2027H1 (its two quarters in turn).
    #[arg(long)]
    half: Option<String>,
    /// Year to plan in one run, e.g. 2027 (its four quarters in turn).
    #[arg(long)]
    year: Option<String>,
    /// First day of the horizon (YYYY-MM-DD), with --to.
    #[arg(long, requires = "to")]
    from: Option<String>,
    /// Last day of the horizon (YYYY-MM-DD), with --from.
    #[arg(long, requires = "from")]
    to: Option<String>,
    /// Plan folder to write (replaced as a whole when the plan is done).
    #[arg(long)]
    out: PathBuf,
    /// Settings file instead of <DATA>/settings.toml.
    #[arg(long)]
    settings: Option<PathBuf>,
    /// Seed for every random choice (overrides planning.seed).
    #[arg(long)]
    seed: Option<u64>,
    /// Visits carried out (visits_done.csv or the register's XML): the last
    /// one before the horizon replaces a child's last_visit, and the
    /// register's frequency in force then its visits_per_year.
    #[arg(long)]
    visits: Option<PathBuf>,
    #[command(flatten)]
    road: RouterArgs,
}

#[derive(Args)]
struct ReplanArgs {
    /// Dataset folder, as it is now (sick leave added to absences.csv).
    #[arg(long)]
    data: PathBuf,
    /// The plan folder to re-plan (as tilsyn wrote it, calendars included).
    #[arg(long)]
    plan: PathBuf,
    /// Visits carried out and confirmed: visits_done.csv (child_id, date,
    /// caseworker_id, note_kind, status done|confirmed) or the register's XML.
    #[arg(long)]
    visits: PathBuf,
    /// First day to plan again (YYYY-MM-DD); trips leaving before it stay.
    #[arg(long)]
    from: String,
    /// Folder for the new plan (may be the old one: it is replaced as a whole).
    #[arg(long)]
    out: PathBuf,
    /// Settings file instead of <DATA>/settings.toml.
    #[arg(long)]
    settings: Option<PathBuf>,
    /// Seed for every random choice (overrides planning.seed).
    #[arg(long)]
    seed: Option<u64>,
    #[command(flatten)]
    road: RouterArgs,
}

/// An error with the exit code it should give.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn input(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Self {
            code: 1,
            message: format!("{e:#}"),
        }
    }
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let asked = cli.lang.or_else(|| std::env::var("TILSYN_LANG").ok());
    match asked.as_deref().map(str::parse::<Lang>) {
        None => tilsyn::i18n::set(Lang::Nb),
        Some(Ok(lang)) => tilsyn::i18n::set(lang),
        Some(Err(e)) => {
            eprintln!("--lang / TILSYN_LANG: {e} (språket må være nb eller en)");
            return ExitCode::from(2);
        }
    }
    let result = match cli.command {
        Command::Plan(args) => plan(args),
        Command::Check {
            data,
            plan,
            settings,
            visits,
        } => check(&data, &plan, settings.as_deref(), visits.as_deref()),
        Command::Replan(args) => replan(args),
        Command::Validate { data, settings } => load(&data, settings.as_deref()).map(|d| {
            let (dir, offices, caseworkers, absences, children) = (
                data.display(),
                d.offices.len(),
                d.caseworkers.len(),
                d.absences.len(),
                d.children.len(),
            );
            // Bokmål's singular where there is one (fravær and barn are both).
            let kontorer = if offices == 1 { "kontor" } else { "kontorer" };
            let saksbehandlere = if caseworkers == 1 {
                "saksbehandler"
            } else {
                "saksbehandlere"
            };
            outln!(
                "{}",
                tr!(
                    "{dir}: ok ({offices} offices, {caseworkers} caseworkers, {absences} absences, {children} children)",
                    "{dir}: ok ({offices} {kontorer}, {caseworkers} {saksbehandlere}, {absences} fravær, {children} barn)"
                )
            );
        }),
        Command::ExportVrp {
            data,
            quarter,
            out,
            settings,
            road,
        } => export_vrp(&data, &quarter, &out, settings.as_deref(), &road),
        Command::Matrix {
            data,
            settings,
            road,
        } => matrix(&data, settings.as_deref(), &road),
        Command::Compliance(args) => compliance(args),
        Command::Report(args) => report(args),
        Command::Calibrate {
            data,
            settings,
            road,
            out,
        } => calibrate(&data, settings.as_deref(), &road, out.as_deref()),
        Command::SolveVrp { instance, out } => solve_vrp(&instance, &out),
        Command::Generate {
            which:
                GenerateWhich::Trondheim {
                    seed,
                    postcodes,
                    out,
                },
        } => generate(seed, postcodes, &out),
        Command::Generate {
            which: GenerateWhich::Norway(args),
        } => generate_norway(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("{}", f.message.trim_end());
            ExitCode::from(f.code)
        }
    }
}

fn load(data: &Path, settings: Option<&Path>) -> Result<Dataset, Failure> {
    tilsyn::input::load_dataset(data, settings).map_err(|p| problems_found(data, p))
}

/// Every problem, then how many were found in `what` and that nothing was
/// written (exit code 2).
fn problems_found(what: &Path, problems: tilsyn::diagnostics::Problems) -> Failure {
    let tail = nothing_written(what, problems.len());
    Failure::input(format!("{problems}{tail}"))
}

/// `<what>: N problems found; nothing was written.`
fn nothing_written(what: &Path, n: usize) -> String {
    let what = what.display();
    match n {
        1 => tr!(
            "{what}: 1 problem found; nothing was written.",
            "{what}: 1 problem funnet; ingenting er skrevet."
        ),
        _ => tr!(
            "{what}: {n} problems found; nothing was written.",
            "{what}: {n} problemer funnet; ingenting er skrevet."
        ),
    }
}

fn parse_date(flag: &str, text: &str) -> Result<NaiveDate, Failure> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        Failure::input(tr!(
            "--{flag}: \"{text}\" is not a date (hint: write YYYY-MM-DD, e.g. 2027-01-04)",
            "--{flag}: «{text}» er ikke en dato (tips: skriv ÅÅÅÅ-MM-DD, f.eks. 2027-01-04)"
        ))
    })
}

/// The calendar period `--quarter`, `--half` or `--year` names, if one is given.
fn named_period(
    quarter: Option<&str>,
    half: Option<&str>,
    year: Option<&str>,
) -> Result<Option<Horizon>, Failure> {
    if let Some(q) = quarter {
        return Horizon::quarter(q).map(Some).ok_or_else(|| {
            Failure::input(tr!(
                "--quarter: \"{q}\" is not a quarter (hint: write e.g. 2027Q1)",
                "--quarter: «{q}» er ikke et kvartal (tips: skriv f.eks. 2027Q1)"
            ))
        });
    }
    if let Some(h) = half {
        return Horizon::half(h).map(Some).ok_or_else(|| {
            Failure::input(tr!(
                "--half: \"{h}\" is not a half-year (hint: write e.g. 2027H1)",
                "--half: «{h}» er ikke et halvår (tips: skriv f.eks. 2027H1)"
            ))
        });
    }
    if let Some(y) = year {
        return Horizon::year(y).map(Some).ok_or_else(|| {
            Failure::input(tr!(
                "--year: \"{y}\" is not a year (hint: write e.g. 2027)",
                "--year: «{y}» er ikke et år (tips: skriv f.eks. 2027)"
            ))
        });
    }
    Ok(None)
}

fn horizon(args: &PlanArgs) -> Result<Horizon, Failure> {
    if let Some(h) = named_period(
        args.quarter.as_deref(),
        args.half.as_deref(),
        args.year.as_deref(),
    )? {
        return Ok(h);
    }
    let (Some(from), Some(to)) = (&args.from, &args.to) else {
        return Err(Failure::input(tr!(
            "give --quarter, --half, --year, or --from and --to",
            "oppgi --quarter, --half, --year, eller --from og --to"
        )));
    };
    let (from, to) = (parse_date("from", from)?, parse_date("to", to)?);
    Horizon::new(from, to).ok_or_else(|| {
        Failure::input(tr!(
            "--from {from} is after --to {to}",
            "--from {from} er etter --to {to}"
        ))
    })
}

fn plan(args: PlanArgs) -> Result<(), Failure> {
    out_folder(&args.out)?;
    let horizon = horizon(&args)?;
    let mut data = load(&args.data, args.settings.as_deref())?;
    if let Some(seed) = args.seed {
        data.settings.planning.seed = seed;
    }
    let history = match &args.visits {
        Some(path) => Some(load_history(path, &data)?),
        None => None,
    };
    let report = tilsyn::report::ReportInput::new(&data, tilsyn::i18n::current()).with_history(
        &data,
        history.as_ref(),
        horizon.start,
    );
    // Visits made inside the horizon count as made: a period holding one
    // needs no other, and planned visits keep their spacing from them.
    let mut fixed = tilsyn::planner::Fixed::default();
    if let (Some(path), Some(history)) = (&args.visits, &history) {
        history.apply_before(&mut data, horizon.start);
        fixed.visits = (0..data.children.len())
            .map(|c| {
                let list = history.visits.get(c).map_or(&[][..], Vec::as_slice);
                list.iter()
                    .copied()
                    .filter(|d| horizon.contains(*d))
                    .collect()
            })
            .collect();
        let inside: usize = fixed.visits.iter().map(Vec::len).sum();
        if inside > 0 {
            let path = path.display();
            eprintln!(
                "{}",
                tr!(
                    "note: {inside} visits in {path} fall inside the horizon; they count as made (tilsyn check --visits counts them too; tilsyn replan re-plans a plan under way)",
                    "merk: {inside} besøk i {path} ligger i perioden; de regnes som gjennomført (tilsyn check --visits regner dem også; tilsyn replan planlegger en plan som er i gang på nytt)"
                )
            );
        }
    }
    let sites = Sites::new(&data);
    let mut roads = road_matrix(&mut data, &sites, &args.road)?;
    let mut plan = run_planner(&data, horizon, &sites, roads.matrix.as_ref(), &fixed)?;
    roads.shape(&mut plan, &data.settings.router)?;
    tilsyn::write::write_plan(&plan, &report, &args.out)
        .with_context(|| writing_plan(&args.out))?;
    print_summary(&plan, &args.out);
    Ok(())
}

/// Refuses an `--out` that names a file (a folder there is replaced as a
/// whole when the run succeeds), before any work.
fn out_folder(out: &Path) -> Result<(), Failure> {
    tilsyn::write::folder_target(out).map_err(|e| {
        let out = out.display();
        Failure::input(tr!(
            "--out {out}: {e}; nothing was written (hint: give a new folder, or the folder of an older plan, which is replaced)",
            "--out {out}: {e}; ingenting er skrevet (tips: oppgi en ny mappe, eller mappen til en eldre plan, som erstattes)"
        ))
    })
}

/// The context of an error while writing a plan folder.
fn writing_plan(out: &Path) -> String {
    let out = out.display();
    tr!(
        "writing the plan to {out}",
        "kunne ikke skrive planen til {out}"
    )
}

/// The context of an error while writing a file or folder.
fn writing(out: &Path) -> String {
    let out = out.display();
    tr!("writing {out}", "kunne ikke skrive {out}")
}

/// The context of an error while encoding `what` as JSON.
fn encoding(what: &str) -> String {
    match what {
        "instance" => tr!("encoding the instance", "kunne ikke kode instansen"),
        "solution" => tr!("encoding the solution", "kunne ikke kode løsningen"),
        _ => tr!("encoding the report", "kunne ikke kode rapporten"),
    }
}

/// Plans with a progress bar on the terminal once it takes over a second.
fn run_planner(
    data: &Dataset,
    horizon: Horizon,
    sites: &Sites,
    matrix: &dyn TravelMatrix,
    fixed: &tilsyn::planner::Fixed,
) -> Result<Plan, Failure> {
    let started = Instant::now();
    let bar = ProgressBar::hidden();
    let template = tr!(
        "{{msg}} [{{bar:30}}] {{pos}}/{{len}} caseworkers",
        "{{msg}} [{{bar:30}}] {{pos}}/{{len}} saksbehandlere"
    );
    bar.set_style(
        ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(tr!("planning", "planlegger"));
    let show_after = Duration::from_secs(1);
    let progress = |done: usize, total: usize| {
        if bar.is_hidden() && started.elapsed() > show_after {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let plan = tilsyn::planner::plan_with(data, horizon, sites, matrix, fixed, &progress)
        .map_err(|e| anyhow!(tr!("planning failed: {e}", "planleggingen mislyktes: {e}")))?;
    bar.finish_and_clear();
    for note in &plan.notes {
        eprintln!("{} {note}", tr!("note:", "merk:"));
    }
    Ok(plan)
}

/// `tilsyn replan`: the old plan, the history and the dataset as it is now
/// into a new plan for the rest of the horizon, with its changes.
fn replan(args: ReplanArgs) -> Result<(), Failure> {
    out_folder(&args.out)?;
    let from = parse_date("from", &args.from)?;
    let mut data = load(&args.data, args.settings.as_deref())?;
    if let Some(seed) = args.seed {
        data.settings.planning.seed = seed;
    }
    let history = load_history(&args.visits, &data)?;
    plan_folder_exists(&args.plan)?;
    let prev = tilsyn::replan::read_previous(&data, &args.plan)
        .map_err(|p| problems_found(&args.plan, p))?;
    // The demand of the whole horizon, as `check --visits` re-derives it.
    let mut base = data.clone();
    history.apply_before(&mut base, prev.horizon.start);
    let shown = args.visits.display().to_string();
    let mut prepared = tilsyn::replan::prepare(&base, &prev, &history, &shown, from)
        .map_err(|p| problems_found(&args.visits, p))?;
    for note in &prepared.notes {
        eprintln!("{} {note}", tr!("note:", "merk:"));
    }
    let sites = Sites::new(&prepared.data);
    let mut roads = road_matrix(&mut prepared.data, &sites, &args.road)?;
    let fresh = run_planner(
        &prepared.data,
        prepared.horizon,
        &sites,
        roads.matrix.as_ref(),
        &prepared.fixed,
    )?;
    let mut plan = tilsyn::replan::merge(&base, &prev, &prepared, fresh, from);
    roads.shape(&mut plan, &prepared.data.settings.router)?;
    let report = tilsyn::report::ReportInput::new(&data, tilsyn::i18n::current()).with_history(
        &data,
        Some(&history),
        plan.horizon.start,
    );
    tilsyn::write::write_plan(&plan, &report, &args.out)
        .with_context(|| writing_plan(&args.out))?;
    print_summary(&plan, &args.out);
    print_changes(&plan);
    Ok(())
}

/// The re-plan's changes: a count per caseworker, then every visit moved,
/// cancelled or added.
fn print_changes(plan: &Plan) {
    use tilsyn::replan::ChangeKind;
    let Some(changes) = &plan.changes else {
        return;
    };
    outln!(
        "{}",
        tr!(
            "Changes per caseworker (changes.csv)",
            "Endringer per saksbehandler (changes.csv)"
        )
    );
    let line = |name: &str, row: &[String]| {
        outln!(
            "  {name:<14} {:>5} {:>7} {:>5} {:>6} {:>10} {:>6} {:>12}",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            row[5],
            row[6]
        );
    };
    let heads = match tilsyn::i18n::current() {
        tilsyn::i18n::Lang::En => [
            "done",
            "locked",
            "kept",
            "moved",
            "cancelled",
            "added",
            "handed over",
        ],
        tilsyn::i18n::Lang::Nb => [
            "utført", "låst", "beholdt", "flyttet", "avlyst", "nye", "overlatt",
        ],
    };
    line(
        &tr!("caseworker", "saksbehandler"),
        &heads.map(str::to_string),
    );
    let counts = tilsyn::replan::counts(changes);
    let mut total = [0usize; 7];
    for (cw, row) in &counts {
        line(cw, &row.map(|n| n.to_string()));
        for (t, n) in total.iter_mut().zip(row) {
            *t += n;
        }
    }
    line(&tr!("all", "alle"), &total.map(|n| n.to_string()));
    outln!(
        "  {}",
        tr!(
            "(moved: at another time or by a colleague; handed over: moved to a colleague)",
            "(flyttet: til et annet tidspunkt eller en kollega; overlatt: flyttet til en kollega)"
        )
    );
    let at = |side: &Option<(chrono::NaiveDateTime, tilsyn::model::CaseworkerId)>| {
        side.as_ref().map_or(String::new(), |(t, c)| {
            format!(
                "{} {} ({c})",
                tilsyn::i18n::date(t.date()),
                t.format("%H:%M")
            )
        })
    };
    for c in changes.iter().filter(|c| {
        matches!(
            c.kind,
            ChangeKind::Moved | ChangeKind::Cancelled | ChangeKind::Added
        )
    }) {
        let (old, new) = (at(&c.old), at(&c.new));
        let what = match c.kind {
            ChangeKind::Moved => tr!("moved      {old} -> {new}", "flyttet    {old} -> {new}"),
            ChangeKind::Cancelled => tr!("cancelled  {old}", "avlyst     {old}"),
            _ => tr!("added      {new}", "ny         {new}"),
        };
        outln!("  {:<14} {:<10} {what}", c.caseworker, c.child);
    }
}

/// `--router` and `--router-url` over the `[router]` settings.
fn apply_router_args(router: &mut tilsyn::settings::Router, args: &RouterArgs) {
    if let Some(kind) = &args.router {
        router.engine = match kind.as_str() {
            "osrm" => RouterKind::Osrm,
            "valhalla" => RouterKind::Valhalla,
            _ => RouterKind::GreatCircle,
        };
    }
    if let Some(url) = &args.router_url {
        router.url = Some(url.clone());
    }
}

/// Where a run's road travel comes from: the matrix, and the engine with
/// its cache for the trips' road geometry afterwards.
struct Roads {
    matrix: Box<dyn TravelMatrix>,
    engine: Option<(Box<dyn Engine>, Cache)>,
    offline: bool,
}

impl Roads {
    /// Gives the plan's road legs the engine's geometry (nothing without
    /// an engine).
    fn shape(&mut self, plan: &mut Plan, router: &Router) -> Result<(), Failure> {
        let Some((engine, cache)) = &mut self.engine else {
            return Ok(());
        };
        let r = engine::attach_shapes(engine.as_ref(), cache, plan, router, self.offline)
            .map_err(engine_failure)?;
        let (legs, asked, missing) = (r.legs, r.asked, r.missing);
        let missing = if missing > 0 {
            tr!(
                ", {missing} without geometry (offline, not in the cache)",
                ", {missing} uten geometri (frakoblet, ikke i hurtigbufferen)"
            )
        } else {
            String::new()
        };
        eprintln!(
            "{}",
            tr!(
                "road geometry: {legs} legs, {asked} asked of the engine{missing}",
                "veigeometri: {legs} etapper, {asked} hentet fra ruteberegneren{missing}"
            )
        );
        Ok(())
    }
}

fn engine_failure(e: EngineError) -> Failure {
    Failure {
        code: 3,
        message: tr!(
            "error: {e}; nothing was written.",
            "feil: {e}; ingenting er skrevet."
        ),
    }
}

/// The road matrix the settings and `args` ask for: the offline model, or
/// an engine's drives (fetched, or read from the cache). Engine failures
/// give exit code 3, before anything is written.
fn road_matrix(data: &mut Dataset, sites: &Sites, args: &RouterArgs) -> Result<Roads, Failure> {
    let router = &mut data.settings.router;
    apply_router_args(router, args);
    let engine = match engine::connect(router) {
        Ok(Some(engine)) => engine,
        Ok(None) => {
            if args.offline {
                return Err(Failure::input(tr!(
                    "--offline needs a road engine (--router osrm or valhalla, or router.engine)",
                    "--offline krever en ruteberegner (--router osrm eller valhalla, eller router.engine)"
                )));
            }
            return Ok(Roads {
                matrix: Box::new(GreatCircleCar::new(sites, &data.settings.car)),
                engine: None,
                offline: false,
            });
        }
        Err(e @ EngineError::NoUrl { .. }) => {
            return Err(Failure::input(tr!("error: {e}", "feil: {e}")))
        }
        Err(e) => return Err(engine_failure(e)),
    };
    let dir = engine::cache_dir(router);
    let mut cache = Cache::open(Cache::file(&dir, engine.name(), engine.profile()));
    if let Some(why) = &cache.discarded {
        eprintln!(
            "{}",
            tr!(
                "warning: matrix cache {why}",
                "advarsel: hurtigbufferen for reisematrisen {why}"
            )
        );
    }
    let (matrix, report) =
        RoadMatrix::fetch(engine.as_ref(), &mut cache, data, sites, args.offline)
            .map_err(engine_failure)?;
    let (name, url, points, off, pairs) = (
        engine.name(),
        engine.url(),
        report.points,
        report.off_network,
        report.pairs,
    );
    let (points_asked, pairs_asked, requests) =
        (report.points_asked, report.pairs_asked, report.requests);
    let offline = if args.offline {
        tr!(
            " (offline: from the cache)",
            " (frakoblet: fra hurtigbufferen)"
        )
    } else {
        String::new()
    };
    eprintln!(
        "{}",
        tr!(
            "road engine {name} ({url}): {points} places ({off} off the road network), {pairs} drives; asked {points_asked} places and {pairs_asked} drives in {requests} batches of requests{offline}",
            "ruteberegner {name} ({url}): {points} steder ({off} utenfor veinettet), {pairs} kjøreturer; spurte om {points_asked} steder og {pairs_asked} kjøreturer i {requests} omganger med forespørsler{offline}"
        )
    );
    Ok(Roads {
        matrix: Box::new(matrix),
        engine: Some((engine, cache)),
        offline: args.offline,
    })
}

/// The plan folder must exist (exit 2).
fn plan_folder_exists(dir: &Path) -> Result<(), Failure> {
    if dir.is_dir() {
        return Ok(());
    }
    let dir = dir.display();
    Err(Failure::input(tr!(
        "{dir}: missing_file: the plan folder was not found",
        "{dir}: missing_file: fant ikke planmappen"
    )))
}

/// The visit history at `path` (exit 2 on problems, each at its line).
fn load_history(path: &Path, data: &Dataset) -> Result<tilsyn::history::History, Failure> {
    let history = tilsyn::history::load(path, data).map_err(|p| problems_found(path, p))?;
    if history.cases_skipped > 0 {
        let (n, path) = (history.cases_skipped, path.display());
        eprintln!(
            "{}",
            tr!(
                "note: {n} cases in {path} are not children of the dataset (no child_id equals their case number); skipped",
                "merk: {n} saker i {path} er ikke barn i datasettet (ingen child_id er lik saksnummeret); hoppet over"
            )
        );
    }
    Ok(history)
}

/// `tilsyn compliance`: the report, on the terminal and as files.
fn compliance(args: ComplianceArgs) -> Result<(), Failure> {
    out_folder(&args.out)?;
    let horizon = named_period(
        args.quarter.as_deref(),
        args.half.as_deref(),
        args.year.as_deref(),
    )?
    .ok_or_else(|| {
        Failure::input(tr!(
            "give --quarter, --half or --year",
            "oppgi --quarter, --half eller --year"
        ))
    })?;
    let as_of = match &args.as_of {
        Some(d) => parse_date("as-of", d)?,
        None => chrono::Local::now().date_naive(),
    };
    let data = load(&args.data, args.settings.as_deref())?;
    let history = load_history(&args.visits, &data)?;
    let report = tilsyn::compliance::report(&data, &history, horizon, as_of);
    let json = serde_json::to_string_pretty(&report).with_context(|| encoding("report"))?;
    tilsyn::write::write_folder_atomically(&args.out, |dir| {
        use tilsyn::write::private_file;
        private_file(
            &dir.join("compliance.csv"),
            &tilsyn::compliance::summary_csv(&report)?,
        )?;
        private_file(
            &dir.join("not_met.csv"),
            &tilsyn::compliance::not_met_csv(&report)?,
        )?;
        private_file(
            &dir.join("county_governor.csv"),
            &tilsyn::compliance::governor_csv(&report)?,
        )?;
        private_file(&dir.join("compliance.json"), json.as_bytes())
    })
    .with_context(|| writing(&args.out))?;
    print!("{}", tilsyn::compliance::table(&report));
    outln!("  -> {}", args.out.display());
    Ok(())
}

/// `tilsyn report`: report.html for a written plan folder, written
/// atomically (owner-only) to `--out` or into the folder.
fn report(args: ReportArgs) -> Result<(), Failure> {
    let data = load(&args.data, args.settings.as_deref())?;
    plan_folder_exists(&args.plan)?;
    let history = match &args.visits {
        Some(path) => Some(load_history(path, &data)?),
        None => None,
    };
    let html =
        tilsyn::report::from_folder(&data, &args.plan, history.as_ref(), tilsyn::i18n::current())
            .map_err(|problems| {
            let list: String = problems
                .0
                .iter()
                .map(|p| format!("{}: {p}\n", args.plan.display()))
                .collect();
            let tail = nothing_written(&args.plan, problems.0.len());
            Failure::input(format!("{list}{tail}"))
        })?;
    let out = args
        .out
        .unwrap_or_else(|| args.plan.join(tilsyn::report::REPORT));
    tilsyn::write::write_file_atomically(&out, html.as_bytes()).with_context(|| writing(&out))?;
    let (shown, kb) = (out.display(), html.len() / 1024);
    println!(
        "{}",
        tr!(
            "Report -> {shown} ({kb} kB)",
            "Rapport -> {shown} ({kb} kB)"
        )
    );
    Ok(())
}

/// `tilsyn matrix`: fetches what the planner will need into the cache.
fn matrix(data: &Path, settings: Option<&Path>, road: &RouterArgs) -> Result<(), Failure> {
    let mut dataset = load(data, settings)?;
    if road.offline {
        return Err(Failure::input(tr!(
            "tilsyn matrix fills the cache from the engine; --offline makes no sense here",
            "tilsyn matrix fyller hurtigbufferen fra ruteberegneren; --offline gir ingen mening her"
        )));
    }
    let sites = Sites::new(&dataset);
    road_matrix(&mut dataset, &sites, road)?;
    if dataset.settings.router.engine == RouterKind::GreatCircle {
        outln!(
            "{}",
            tr!(
                "router.engine is great-circle: there is nothing to fetch (give --router osrm or valhalla)",
                "router.engine er great-circle: det er ingenting å hente (oppgi --router osrm eller valhalla)"
            )
        );
    } else {
        let dir = engine::cache_dir(&dataset.settings.router);
        let dir = dir.display();
        outln!(
            "{}",
            tr!(
                "matrix cache: {dir}",
                "hurtigbuffer for reisematrisen: {dir}"
            )
        );
    }
    Ok(())
}

/// `tilsyn calibrate`: fits `[car]` to the engine's drives within the
/// dataset's office groups and prints the report (no coordinates).
fn calibrate(
    data: &Path,
    settings: Option<&Path>,
    road: &RouterArgs,
    out: Option<&Path>,
) -> Result<(), Failure> {
    use tilsyn::travel::calibrate;
    let mut dataset = load(data, settings)?;
    let sites = Sites::new(&dataset);
    let roads = road_matrix(&mut dataset, &sites, road)?;
    if roads.engine.is_none() {
        return Err(Failure::input(tr!(
            "error: calibrate fits the offline model (great-circle) to a road engine's drives, so it needs one: give --router osrm or valhalla and --router-url (or router.engine and router.url in the settings)",
            "feil: calibrate tilpasser den frakoblede bilmodellen (great-circle) til kjøreturene fra en ruteberegner, og trenger derfor en: oppgi --router osrm eller valhalla og --router-url (eller router.engine og router.url i innstillingene)"
        )));
    }
    let sample = calibrate::sample(
        &dataset,
        &sites,
        roads.matrix.as_ref(),
        calibrate::MAX_PAIRS,
    );
    let Some(report) = calibrate::calibrate(&sample, &dataset.settings.car) else {
        let (dir, candidates, too_short, no_road) = (
            data.display(),
            sample.candidates,
            sample.too_short,
            sample.no_road,
        );
        let km = calibrate::MIN_GREAT_CIRCLE_M / 1000.0;
        return Err(Failure::input(tr!(
            "error: {dir}: no drives to calibrate on: of {candidates} ordered pairs of an office and its children's homes, {too_short} are closer than {km:.0} km and {no_road} have no road (hint: calibrate on a dataset with homes spread over the area)",
            "feil: {dir}: ingen kjøreturer å kalibrere på: av {candidates} ordnede par av et kontor og hjemmene til barna er {too_short} nærmere enn {km:.0} km og {no_road} uten vei (tips: kalibrer på et datasett der hjemmene er spredt over området)"
        )));
    };
    let engine = format!(
        "{} ({})",
        dataset.settings.router.engine.name(),
        dataset.settings.router.url.as_deref().unwrap_or("").trim()
    );
    print!("{}", report.text(&engine));
    if let Some(out) = out {
        let mut json = serde_json::to_value(&report).with_context(|| encoding("report"))?;
        json["engine"] = dataset.settings.router.engine.name().into();
        json["url"] = dataset.settings.router.url.clone().into();
        let text = serde_json::to_string_pretty(&json).with_context(|| encoding("report"))?;
        tilsyn::write::write_file_atomically(out, text.as_bytes()).with_context(|| writing(out))?;
    }
    Ok(())
}

fn print_summary(plan: &Plan, out: &Path) {
    use tilsyn::i18n::{date, nok, number};
    let t = plan.totals();
    let (start, end, out) = (
        date(plan.horizon.start),
        date(plan.horizon.end),
        out.display(),
    );
    outln!(
        "{}",
        tr!(
            "Plan {start} .. {end} -> {out}",
            "Plan {start} .. {end} -> {out}"
        )
    );
    let row = |label: String, value: String| outln!("  {label:<20}{value}");
    row(tr!("children", "barn"), plan.children.to_string());
    row(
        tr!("visits required", "påkrevde besøk"),
        plan.visits_required.to_string(),
    );
    let (planned, early) = (t.visits_planned, t.visits_early);
    row(
        tr!("visits planned", "planlagte besøk"),
        tr!("{planned} ({early} early)", "{planned} ({early} tidlige)"),
    );
    row(
        tr!("visits unmet", "besøk ikke nådd"),
        t.visits_unmet.to_string(),
    );
    let mut reasons: std::collections::BTreeMap<&str, usize> = Default::default();
    for u in &plan.unmet {
        *reasons.entry(u.reason.code()).or_default() += 1;
    }
    for (reason, n) in reasons {
        outln!("    {reason:<18}{n}");
    }
    row(tr!("trips", "reiser"), plan.trips.len().to_string());
    row(tr!("km by car", "km med bil"), number(t.km_car, 1));
    row(tr!("flight legs", "flyreiser"), t.flight_legs.to_string());
    row(
        tr!("hotel nights", "hotellnetter"),
        t.hotel_nights.to_string(),
    );
    row(
        tr!("travel hours", "reisetimer"),
        number(t.travel_minutes as f64 / 60.0, 1),
    );
    let weekly = plan.weekly_visits();
    let (most, mean, sd) = (weekly.most, number(weekly.mean, 2), number(weekly.sd, 2));
    row(
        tr!("visits a week", "besøk per uke"),
        tr!(
            "at most {most} per caseworker (mean {mean}, sd {sd})",
            "høyst {most} per saksbehandler (snitt {mean}, standardavvik {sd})"
        ),
    );
    row(tr!("cost", "kostnad"), nok(t.cost.nok(), 0));
    let naive = plan.naive_cost.nok();
    if naive > 0.0 {
        let (cost, saving) = (
            nok(naive, 0),
            number((naive - t.cost.nok()) / naive * 100.0, 1),
        );
        row(
            tr!("naive plan cost", "kostnad enkeltturer"),
            tr!("{cost} (saving {saving} %)", "{cost} (sparer {saving} %)"),
        );
    }
    let penalty = nok(plan.uneven_week_penalty_nok, 0);
    let what = if plan.uneven_week_penalty_nok > 0.0 {
        tr!(
            "cost less early visits' worth, plus {penalty} uneven-week penalty",
            "kostnad minus verdien av tidlige besøk, pluss {penalty} straff for ujevne uker"
        )
    } else {
        tr!(
            "cost less early visits' worth",
            "kostnad minus verdien av tidlige besøk"
        )
    };
    let objective = nok(plan.objective_nok(), 0);
    let value = match (plan.lower_bound_nok, plan.gap_percent()) {
        (Some(bound), Some(gap)) => {
            let (bound, gap) = (nok(bound, 0), number(gap, 2));
            tr!(
                "{objective} ({what}); lower bound {bound}, gap {gap} %",
                "{objective} ({what}); nedre grense {bound}, avstand {gap} %"
            )
        }
        _ => tr!(
            "{objective} ({what}); no proven bound",
            "{objective} ({what}); ingen bevist grense"
        ),
    };
    row(tr!("objective", "mål"), value);
    let (proven, models) = (plan.models_proven, plan.models);
    row(
        tr!("models proven", "modeller bevist"),
        tr!("{proven} of {models}", "{proven} av {models}"),
    );
    let secs = number(plan.solve_seconds, 2);
    row(tr!("solved in", "løst på"), format!("{secs} s"));
}

fn check(
    data: &Path,
    plan_dir: &Path,
    settings: Option<&Path>,
    visits: Option<&Path>,
) -> Result<(), Failure> {
    let dataset = load(data, settings)?;
    let history = visits.map(|v| load_history(v, &dataset)).transpose()?;
    plan_folder_exists(plan_dir)?;
    let report = tilsyn::check::check_plan_with(&dataset, plan_dir, history.as_ref());
    for v in &report.violations {
        outln!("{v}");
    }
    let (dir, visits, trips, unmet, required) = (
        plan_dir.display(),
        report.visits,
        report.trips,
        report.unmet,
        report.required,
    );
    let n = report.violations.len();
    let verdict = if report.is_ok() {
        "ok".to_string()
    } else {
        tr!("{n} violations", "{n} brudd")
    };
    outln!(
        "{}",
        tr!(
            "{dir}: {visits} visits, {trips} trips, {unmet} unmet, {required} required: {verdict}",
            "{dir}: {visits} besøk, {trips} reiser, {unmet} ikke nådd, {required} påkrevd: {verdict}"
        )
    );
    if report.is_ok() {
        Ok(())
    } else {
        Err(Failure {
            code: 1,
            message: String::new(),
        })
    }
}

fn export_vrp(
    data: &Path,
    quarter: &str,
    out: &Path,
    settings: Option<&Path>,
    road: &RouterArgs,
) -> Result<(), Failure> {
    let horizon = Horizon::quarter(quarter).ok_or_else(|| {
        Failure::input(tr!(
            "--quarter: \"{quarter}\" is not a quarter (hint: write e.g. 2027Q1)",
            "--quarter: «{quarter}» er ikke et kvartal (tips: skriv f.eks. 2027Q1)"
        ))
    })?;
    let mut dataset = load(data, settings)?;
    let sites = Sites::new(&dataset);
    let roads = road_matrix(&mut dataset, &sites, road)?;
    let name = format!(
        "{} {}",
        data.file_name()
            .map_or("data".into(), |n| n.to_string_lossy()),
        quarter.trim().to_uppercase()
    );
    let inst = tilsyn::vrp::export::export(&dataset, horizon, roads.matrix.as_ref(), &sites, &name);
    let json = serde_json::to_string(&inst).with_context(|| encoding("instance"))?;
    tilsyn::write::write_file_atomically(out, json.as_bytes()).with_context(|| writing(out))?;
    let mut reasons: std::collections::BTreeMap<&str, usize> = Default::default();
    for e in &inst.excluded {
        *reasons.entry(e.reason.as_str()).or_default() += 1;
    }
    let (name, shown) = (&inst.name, out.display());
    outln!(
        "{}",
        tr!("Instance {name} -> {shown}", "Instans {name} -> {shown}")
    );
    let (clients, excluded) = (inst.clients.len(), inst.excluded.len());
    outln!(
        "{}",
        tr!(
            "  clients (required visits, day trips)  {clients}",
            "  klienter (påkrevde besøk, dagsreiser) {clients}"
        )
    );
    outln!(
        "{}",
        tr!(
            "  excluded required visits              {excluded}",
            "  påkrevde besøk holdt utenfor          {excluded}"
        )
    );
    for (reason, n) in reasons {
        outln!("    {reason:<36}{n}");
    }
    let (caseworkers, vehicles, locations) = (
        inst.caseworkers.len(),
        inst.vehicles.len(),
        inst.locations.len(),
    );
    outln!(
        "{}",
        tr!(
            "  caseworkers                           {caseworkers}",
            "  saksbehandlere                        {caseworkers}"
        )
    );
    outln!(
        "{}",
        tr!(
            "  vehicles (caseworker-days)            {vehicles}",
            "  kjøretøy (saksbehandlerdager)         {vehicles}"
        )
    );
    outln!(
        "{}",
        tr!(
            "  locations                             {locations}",
            "  steder                                {locations}"
        )
    );
    let exact = if inst.rules.hull_is_exact {
        tr!("yes", "ja")
    } else {
        tr!("no", "nei")
    };
    outln!(
        "{}",
        tr!(
            "  one window per client exact          {exact}",
            "  ett tidsvindu per klient er eksakt    {exact}"
        )
    );
    Ok(())
}

fn solve_vrp(path: &Path, out: &Path) -> Result<(), Failure> {
    let list = |problems: Vec<tilsyn::vrp::Problem>| {
        problems
            .iter()
            .map(|p| format!("{}: {p}", path.display()))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let inst = tilsyn::vrp::Instance::load(path).map_err(|p| Failure::input(list(p)))?;
    let solved = tilsyn::vrp::solve::solve(&inst).map_err(|p| Failure::input(list(p)))?;
    let sol = &solved.solution;
    let problems = tilsyn::vrp::check_solution(&inst, sol);
    if !problems.is_empty() {
        let list = list(problems);
        return Err(anyhow!(tr!(
            "the solution breaks a rule (a bug):\n{list}",
            "løsningen bryter en regel (en feil i tilsyn):\n{list}"
        ))
        .into());
    }
    let json = serde_json::to_string_pretty(sol).with_context(|| encoding("solution"))?;
    tilsyn::write::write_file_atomically(out, json.as_bytes()).with_context(|| writing(out))?;
    let (name, shown) = (&inst.name, out.display());
    outln!(
        "{}",
        tr!("Solved {name} -> {shown}", "Løst {name} -> {shown}")
    );
    let routes = sol.routes.len();
    outln!(
        "{}",
        tr!(
            "  routes              {routes}",
            "  ruter               {routes}"
        )
    );
    let (served, clients) = (
        inst.clients.len() - sol.unassigned.len(),
        inst.clients.len(),
    );
    outln!(
        "{}",
        tr!(
            "  clients served      {served} of {clients}",
            "  klienter betjent    {served} av {clients}"
        )
    );
    let (enumerated, columns) = (solved.routes, solved.columns);
    outln!(
        "{}",
        tr!(
            "  day routes          {enumerated} enumerated, {columns} in a MILP (0: all by dynamic programming)",
            "  dagsruter           {enumerated} listet opp, {columns} i en MILP (0: alle ved dynamisk programmering)"
        )
    );
    // Money as the terminal summary writes it in bokmål (1 234,50 kr).
    let money = |ore: i64| {
        let nok = ore as f64 / 100.0;
        match tilsyn::i18n::current() {
            Lang::En => format!("NOK {nok:.2}"),
            Lang::Nb => tilsyn::i18n::nok(nok, 2),
        }
    };
    let cost = money(sol.cost);
    outln!(
        "{}",
        tr!(
            "  cost                {cost}",
            "  kostnad             {cost}"
        )
    );
    match sol.lower_bound {
        Some(b) => {
            let bound = money(b);
            let proven = if solved.proven {
                tr!(" (proven optimal)", " (bevist optimal)")
            } else {
                String::new()
            };
            outln!(
                "{}",
                tr!(
                    "  lower bound         {bound}{proven}",
                    "  nedre grense        {bound}{proven}"
                )
            )
        }
        None => outln!(
            "{}",
            tr!("  lower bound         none", "  nedre grense        ingen")
        ),
    }
    let seconds = match tilsyn::i18n::current() {
        Lang::En => format!("{:.3}", sol.seconds),
        Lang::Nb => tilsyn::i18n::number(sol.seconds, 3),
    };
    outln!(
        "{}",
        tr!(
            "  solved in           {seconds} s",
            "  løst på             {seconds} s"
        )
    );
    Ok(())
}

/// The postcode table exists, or a bad-input failure says where to find it.
fn require_postcodes(postcodes: &Path) -> Result<(), Failure> {
    if postcodes.exists() {
        return Ok(());
    }
    let postcodes = postcodes.display();
    Err(Failure::input(tr!(
        "{postcodes}: missing_file: the postcode table was not found (hint: run from the repository root, or pass --postcodes)",
        "{postcodes}: missing_file: fant ikke postnummertabellen (tips: kjør fra rotmappen til kodelageret, eller oppgi --postcodes)"
    )))
}

fn generate(seed: u64, postcodes: PathBuf, out: &Path) -> Result<(), Failure> {
    if !tilsyn::generate::output::is_replaceable(out) {
        let out = out.display();
        return Err(Failure::input(tr!(
            "{out}: not a generated dataset folder (it holds other files); nothing was written (hint: give a new or empty folder; it is replaced as a whole)",
            "{out}: ikke en mappe med et generert datasett (den inneholder andre filer); ingenting er skrevet (tips: oppgi en ny eller tom mappe; den erstattes i sin helhet)"
        )));
    }
    require_postcodes(&postcodes)?;
    let opts = tilsyn::generate::TrondheimOptions { seed, postcodes };
    let report = tilsyn::generate::generate_trondheim(&opts, out)?;
    outln!("{report}");
    Ok(())
}

fn generate_norway(args: NorwayArgs) -> Result<(), Failure> {
    let failure = |e: tilsyn::generate::NorwayError| Failure {
        code: if e.is_input() { 2 } else { 1 },
        message: e.to_string(),
    };
    let opts = tilsyn::generate::NorwayOptions::new(
        args.children,
        args.caseworkers,
        args.offices,
        args.seed,
        args.postcodes,
    )
    .map_err(failure)?;
    require_postcodes(&opts.postcodes)?;
    let report = tilsyn::generate::generate_norway(&opts, &args.out).map_err(failure)?;
    outln!("{report}");
    let out = args.out.display();
    outln!("{}", tr!("  written to {out}", "  skrevet til {out}"));
    Ok(())
}
