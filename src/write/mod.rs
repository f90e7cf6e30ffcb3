//! Writes a [`Plan`] as the contract's files, all or nothing.
//!
//! Every file goes into a fresh hidden folder next to the target; only when
//! all are written is it renamed into place (an older plan at the target is
//! moved aside first and removed after). A failed run therefore never leaves
//! a half-written plan. Folders are created 0700 and files 0600: the plan
//! holds child-welfare data and is for its owner only. The dataset
//! generators write their folders the same way ([`write_folder_atomically`]).

mod csv_files;
mod geojson;
mod ics;
mod summary;

pub use summary::summary_json;

use crate::contract::{SUMMARY, TRIPS, TRIP_STOPS, UNMET, VISITS};

/// The plan's trips and places as GeoJSON (beside the contract's files).
pub const ROUTES: &str = "routes.geojson";
/// A re-plan's changes against the plan before it.
pub const CHANGES: &str = "changes.csv";
use crate::plan::Plan;
use crate::report::{ReportInput, REPORT};
use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes the plan folder `out` atomically. `input` brings what the plan
/// does not hold for `routes.geojson` and `report.html`: the dataset's
/// children and offices, the teams, the language and any visit history.
pub fn write_plan(plan: &Plan, input: &ReportInput, out: &Path) -> std::io::Result<()> {
    write_folder_atomically(out, |dir| write_all(plan, input, dir))
}

/// Creates the folder `out` all or nothing: `fill` writes into a fresh
/// hidden folder next to it (created 0700 before `fill` runs), which then
/// replaces `out` in one rename. On any error the staging folder is removed
/// and an older `out` stays as it was. `fill` should write with
/// [`private_file`] and [`private_dir`].
pub fn write_folder_atomically(
    out: &Path,
    fill: impl FnOnce(&Path) -> std::io::Result<()>,
) -> std::io::Result<()> {
    folder_target(out)?;
    let staging = staging_beside(out, "plan")?;
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    let result = private_dir(&staging)
        .and_then(|()| fill(&staging))
        .and_then(|()| swap_into_place(&staging, out));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

/// Whether `out` can take a folder: nothing there, or a folder (replaced
/// as a whole). A file there is an error, and stays as it was.
pub fn folder_target(out: &Path) -> std::io::Result<()> {
    if out.exists() && !out.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            crate::tr!(
                "a file is there, not a folder",
                "der ligger en fil, ikke en mappe"
            ),
        ));
    }
    Ok(())
}

/// Writes one file all or nothing: a fresh owner-only (0600) file next to
/// `path`, synced, then renamed over it.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let staging = staging_beside(path, "out")?;
    if staging.exists() {
        fs::remove_file(&staging)?;
    }
    let result = private_file(&staging, bytes).and_then(|()| fs::rename(&staging, path));
    if result.is_err() {
        let _ = fs::remove_file(&staging);
    }
    result
}

/// A hidden staging path next to `target` (its folder created), named after
/// it (or `fallback`) and this process.
fn staging_beside(target: &Path, fallback: &str) -> std::io::Result<PathBuf> {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)?;
    let name = target
        .file_name()
        .map_or(fallback.into(), |n| n.to_string_lossy().into_owned());
    Ok(parent.join(format!(".{name}.tilsyn-{}", std::process::id())))
}

fn write_all(plan: &Plan, input: &ReportInput, dir: &Path) -> std::io::Result<()> {
    private_file(&dir.join(VISITS), &csv_files::visits(plan)?)?;
    private_file(&dir.join(TRIPS), &csv_files::trips(plan)?)?;
    private_file(&dir.join(TRIP_STOPS), &csv_files::trip_stops(plan)?)?;
    private_file(&dir.join(UNMET), &csv_files::unmet(plan)?)?;
    private_file(&dir.join(SUMMARY), summary_json(plan).as_bytes())?;
    private_file(&dir.join(ROUTES), &geojson::routes(plan, input))?;
    private_file(
        &dir.join(REPORT),
        crate::report::render(plan, input).as_bytes(),
    )?;
    if let Some(changes) = &plan.changes {
        private_file(&dir.join(CHANGES), &csv_files::changes(changes)?)?;
    }
    let calendars = dir.join("calendars");
    private_dir(&calendars)?;
    for (caseworker, text) in ics::calendars(plan, input.teams.keys()) {
        private_file(
            &calendars.join(format!("{caseworker}.ics")),
            text.as_bytes(),
        )?;
    }
    let teams = dir.join("team_calendars");
    private_dir(&teams)?;
    let calendars = ics::team_calendars(plan);
    let stems = file_stems(calendars.keys().map(String::as_str));
    for ((_, text), stem) in calendars.iter().zip(stems) {
        private_file(&teams.join(format!("{stem}.ics")), text.as_bytes())?;
    }
    Ok(())
}

/// Most characters of a team calendar's file name before its hash.
const STEM_CHARS: usize = 48;

/// Team names as file names, one each, in the order given: letters, digits,
/// `-` and `_` kept (Norwegian letters too), anything else `_`, at most
/// `STEM_CHARS` characters. A name that this changes, or that would share
/// its file with another team's where case is ignored (as on Windows and
/// macOS), gets `-` and a hash of the whole team name, so that two teams
/// never write one file and no name is too long for a file system.
fn file_stems<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let names: Vec<&str> = names.collect();
    let bases: Vec<String> = names
        .iter()
        .map(|name| {
            let stem: String = name
                .chars()
                .take(STEM_CHARS)
                .map(|c| {
                    if c.is_alphanumeric() || c == '-' || c == '_' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            if stem.is_empty() {
                "team".into()
            } else {
                stem
            }
        })
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for base in &bases {
        *seen.entry(base.to_lowercase()).or_default() += 1;
    }
    let mut stems: Vec<String> = names
        .iter()
        .zip(&bases)
        .map(|(name, base)| {
            if *name == base && seen[&base.to_lowercase()] == 1 {
                base.clone()
            } else {
                format!("{base}-{:08x}", fnv1a(name))
            }
        })
        .collect();
    // Should two hashed names still meet (one chance in billions), a
    // number tells them apart.
    let mut taken: HashMap<String, usize> = HashMap::new();
    for stem in &mut stems {
        let n = taken.entry(stem.to_lowercase()).or_default();
        *n += 1;
        if *n > 1 {
            stem.push_str(&format!("-{n}"));
        }
    }
    stems
}

/// FNV-1a, 32 bits: the same on every machine and run.
fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

fn swap_into_place(staging: &Path, out: &Path) -> std::io::Result<()> {
    if out.exists() {
        let old = out.with_file_name(format!(
            ".{}.old-{}",
            out.file_name()
                .map_or("plan".into(), |n| n.to_string_lossy().into_owned()),
            std::process::id()
        ));
        fs::rename(out, &old)?;
        if let Err(e) = fs::rename(staging, out) {
            let _ = fs::rename(&old, out);
            return Err(e);
        }
        fs::remove_dir_all(&old)
    } else {
        fs::rename(staging, out)
    }
}

/// Creates `dir` (its parent must exist), owner-only (0700) on Unix.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// Writes a new file, owner-only (0600) on Unix, and syncs it to disk.
pub fn private_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::{file_stems, STEM_CHARS};

    /// Team names the contract allows as free text name one file each,
    /// short enough for any file system: a name kept as it is where it
    /// can be, a hash added where it was changed or would share a file.
    #[test]
    fn team_file_names_are_distinct_and_short() {
        let long = "lag ".repeat(75);
        let names = [
            "barn",
            "ungdom",
            "a/b",
            "a_b",
            "Lag",
            "lag",
            "",
            long.as_str(),
        ];
        let stems = file_stems(names.iter().copied());
        assert_eq!(stems[0], "barn");
        assert_eq!(stems[1], "ungdom");
        // `a/b` would become `a_b`: both get their hash.
        assert!(
            stems[2].starts_with("a_b-") && stems[2].len() == 12,
            "{}",
            stems[2]
        );
        assert!(
            stems[3].starts_with("a_b-") && stems[3] != stems[2],
            "{}",
            stems[3]
        );
        // Names equal but for case both get their hash.
        assert!(stems[4].starts_with("Lag-") && stems[5].starts_with("lag-"));
        assert!(stems[6].starts_with("team-"), "{}", stems[6]);
        assert!(stems[7].chars().count() <= STEM_CHARS + 9, "{}", stems[7]);
        let mut folded: Vec<String> = stems.iter().map(|s| s.to_lowercase()).collect();
        folded.sort();
        folded.dedup();
        assert_eq!(folded.len(), names.len(), "{stems:?}");
        // The same names give the same files on every run.
        assert_eq!(stems, file_stems(names.iter().copied()));
    }
}
