//! The on-disk matrix cache: what an engine said about each pair of places
//! (road metres and seconds, or no road) and whether each place lies on its
//! road network, keyed by engine, profile and coordinates rounded to 1e-5
//! degrees (about a metre). One file per engine and profile, versioned and
//! checksummed, replaced atomically (a crash leaves the old file or the new
//! one, never a mix), owner-only: it holds where children live.

use super::Point;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Bumped whenever the layout or the meaning of an entry changes.
const VERSION: u32 = 2;
const MAGIC: &[u8; 8] = b"TILSYNRC";
/// `metres` of a pair the engine found no road for.
const NO_ROAD: u32 = u32::MAX;

/// A road between two points: metres and seconds, or `None` for no road.
pub type Road = Option<(u32, u32)>;

#[derive(Debug, Default)]
pub struct Cache {
    path: Option<PathBuf>,
    /// Per point and snapping radius (metres): whether it is on the network.
    pub snaps: HashMap<(Point, u32), bool>,
    pub pairs: HashMap<(Point, Point), Road>,
    /// Road geometry from one point to another, as a precision-6 polyline,
    /// and whether the road takes a ferry.
    pub shapes: HashMap<(Point, Point), (String, bool)>,
    dirty: bool,
    /// Why an existing file was not used, to tell the user.
    pub discarded: Option<String>,
}

impl Cache {
    /// A cache that lives in memory only.
    pub fn in_memory() -> Self {
        Self::default()
    }

    /// The cache file of `engine` and `profile` in `dir`.
    pub fn file(dir: &Path, engine: &str, profile: &str) -> PathBuf {
        let safe: String = profile
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        dir.join(format!("matrix-v{VERSION}-{engine}-{safe}.bin"))
    }

    /// Opens the cache at `path`: its entries if the file is there and
    /// sound, else empty (saying why in `discarded`).
    pub fn open(path: PathBuf) -> Self {
        let mut cache = Self {
            path: Some(path.clone()),
            ..Self::default()
        };
        match std::fs::read(&path) {
            Ok(bytes) => match parse(&bytes) {
                Some((snaps, pairs, shapes)) => {
                    cache.snaps = snaps;
                    cache.pairs = pairs;
                    cache.shapes = shapes;
                }
                None => {
                    let path = path.display();
                    cache.discarded = Some(crate::tr!(
                        "{path} is from another version of tilsyn or damaged; it will be rebuilt",
                        "{path} er fra en annen versjon av tilsyn eller skadet; den bygges opp på nytt"
                    ))
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                let path = path.display();
                cache.discarded = Some(crate::tr!(
                    "{path} is unreadable ({e}); not used",
                    "{path} kan ikke leses ({e}); brukes ikke"
                ))
            }
        }
        cache
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn put_snap(&mut self, p: Point, radius: u32, on_network: bool) {
        self.snaps.insert((p, radius), on_network);
        self.dirty = true;
    }

    pub fn put_pair(&mut self, from: Point, to: Point, road: Road) {
        self.pairs.insert((from, to), road);
        self.dirty = true;
    }

    pub fn put_shape(&mut self, from: Point, to: Point, polyline6: String, ferry: bool) {
        self.shapes.insert((from, to), (polyline6, ferry));
        self.dirty = true;
    }

    /// Writes the cache if anything was added: a new owner-only file next
    /// to the old one, synced, then renamed over it.
    pub fn save(&mut self) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if !self.dirty {
            return Ok(());
        }
        if let Some(dir) = path.parent() {
            if !dir.exists() {
                std::fs::create_dir_all(dir)?;
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
                }
            }
        }
        crate::write::write_file_atomically(
            path,
            &serialize(&self.snaps, &self.pairs, &self.shapes),
        )?;
        self.dirty = false;
        Ok(())
    }
}

fn serialize(
    snaps: &HashMap<(Point, u32), bool>,
    pairs: &HashMap<(Point, Point), Road>,
    shapes: &HashMap<(Point, Point), (String, bool)>,
) -> Vec<u8> {
    // Sorted, so the same cache gives the same bytes.
    let mut s: Vec<_> = snaps.iter().collect();
    s.sort_unstable_by_key(|(k, _)| **k);
    let mut p: Vec<_> = pairs.iter().collect();
    p.sort_unstable_by_key(|(k, _)| **k);
    let mut out = Vec::with_capacity(32 + s.len() * 13 + p.len() * 24);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(s.len() as u64).to_le_bytes());
    for ((point, radius), on) in s {
        put_point(&mut out, *point);
        out.extend_from_slice(&radius.to_le_bytes());
        out.push(u8::from(*on));
    }
    out.extend_from_slice(&(p.len() as u64).to_le_bytes());
    for ((a, b), road) in p {
        put_point(&mut out, *a);
        put_point(&mut out, *b);
        let (m, s) = road.unwrap_or((NO_ROAD, 0));
        out.extend_from_slice(&m.to_le_bytes());
        out.extend_from_slice(&s.to_le_bytes());
    }
    let mut g: Vec<_> = shapes.iter().collect();
    g.sort_unstable_by_key(|(k, _)| **k);
    out.extend_from_slice(&(g.len() as u64).to_le_bytes());
    for ((a, b), (line, ferry)) in g {
        put_point(&mut out, *a);
        put_point(&mut out, *b);
        out.extend_from_slice(&(line.len() as u32).to_le_bytes());
        out.extend_from_slice(line.as_bytes());
        out.push(u8::from(*ferry));
    }
    let sum = fnv1a(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

type Parsed = (
    HashMap<(Point, u32), bool>,
    HashMap<(Point, Point), Road>,
    HashMap<(Point, Point), (String, bool)>,
);

fn parse(bytes: &[u8]) -> Option<Parsed> {
    let (body, sum) = bytes.split_at(bytes.len().checked_sub(8)?);
    if fnv1a(body) != u64::from_le_bytes(sum.try_into().ok()?) {
        return None;
    }
    let mut r = Reader { bytes: body, at: 0 };
    if r.take(8)? != MAGIC || r.u32()? != VERSION {
        return None;
    }
    let n = r.u64()?;
    let mut snaps = HashMap::new();
    for _ in 0..n {
        let p = r.point()?;
        let radius = r.u32()?;
        let on = r.take(1)?[0] != 0;
        snaps.insert((p, radius), on);
    }
    let n = r.u64()?;
    let mut pairs = HashMap::new();
    for _ in 0..n {
        let a = r.point()?;
        let b = r.point()?;
        let m = r.u32()?;
        let s = r.u32()?;
        pairs.insert((a, b), (m != NO_ROAD).then_some((m, s)));
    }
    let n = r.u64()?;
    let mut shapes = HashMap::new();
    for _ in 0..n {
        let a = r.point()?;
        let b = r.point()?;
        let len = r.u32()? as usize;
        let line = String::from_utf8(r.take(len)?.to_vec()).ok()?;
        let ferry = r.take(1)?[0] != 0;
        shapes.insert((a, b), (line, ferry));
    }
    (r.at == body.len()).then_some((snaps, pairs, shapes))
}

fn put_point(out: &mut Vec<u8>, p: Point) {
    out.extend_from_slice(&p.0.to_le_bytes());
    out.extend_from_slice(&p.1.to_le_bytes());
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(s)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn i32(&mut self) -> Option<i32> {
        Some(i32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn point(&mut self) -> Option<Point> {
        Some(Point(self.i32()?, self.i32()?))
    }
}

/// 64-bit FNV-1a: enough to tell a damaged file from a sound one.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(dir: &Path) -> Cache {
        let mut c = Cache::open(Cache::file(dir, "osrm", "driving"));
        c.put_snap(Point(6_343_050, 1_039_510), 2000, true);
        c.put_snap(Point(6_390_000, 1_000_000), 2000, false);
        c.put_pair(Point(1, 2), Point(3, 4), Some((12_345, 678)));
        c.put_pair(Point(3, 4), Point(1, 2), None);
        c.put_shape(Point(1, 2), Point(3, 4), "_p~iF~ps|U".into(), true);
        c
    }

    #[test]
    fn saves_and_reopens_every_entry() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = sample(dir.path());
        c.save().unwrap();
        let again = Cache::open(Cache::file(dir.path(), "osrm", "driving"));
        assert_eq!(again.discarded, None);
        assert_eq!(again.snaps, c.snaps);
        assert_eq!(again.pairs, c.pairs);
        assert_eq!(again.pairs[&(Point(3, 4), Point(1, 2))], None);
        assert_eq!(again.shapes, c.shapes);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let path = Cache::file(dir.path(), "osrm", "driving");
            let mode = std::fs::metadata(path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_damaged_or_foreign_file_is_discarded_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = sample(dir.path());
        c.save().unwrap();
        let path = Cache::file(dir.path(), "osrm", "driving");
        let mut bytes = std::fs::read(&path).unwrap();
        // Truncated, as a crash of a non-atomic writer would leave it.
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let cut = Cache::open(path.clone());
        assert!(cut.pairs.is_empty() && cut.discarded.is_some());
        // One entry changed.
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0x40;
        std::fs::write(&path, &bytes).unwrap();
        let flipped = Cache::open(path.clone());
        assert!(flipped.pairs.is_empty() && flipped.discarded.is_some());
        // Another version's file.
        let mut other = serialize(&c.snaps, &c.pairs, &c.shapes);
        other[8] = 99;
        std::fs::write(&path, &other).unwrap();
        assert!(Cache::open(path).discarded.is_some());
    }

    #[test]
    fn nothing_is_written_when_nothing_was_added() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Cache::open(Cache::file(dir.path(), "valhalla", "auto"));
        c.save().unwrap();
        assert!(!Cache::file(dir.path(), "valhalla", "auto").exists());
    }
}
