//! The map: one SVG (`id="map"`) with two panels in UTM zone 33 — a detail
//! around the offices (`map-zoom`: the homes within [`ZOOM_RADIUS_KM`] of
//! an office, which for Trondheim is Trøndelag) and all of Norway
//! (`map-overview`) — and a static legend.
//!
//! Panels draw in kilometres of the projection (x east, y = -north), so
//! lines use `vector-effect: non-scaling-stroke` for a width in pixels and
//! dot radii and label sizes are worked out per panel. The outline of
//! Norway (Natural Earth 1:10m, embedded in the binary by
//! [`crate::geodata`]) is projected and simplified once and drawn in both
//! panels through one `<use>`.

use super::html::{esc, num, push_points, token};
use super::projection::utm33;
use super::text::Text;
use super::{ReportInput, Status};
use crate::lang::Lang;
use crate::model::LatLon;
use crate::plan::{Plan, StopKindOut};
use geo::{Coord, LineString, Simplify};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// Homes this far (straight line) from an office are in the detail panel.
pub const ZOOM_RADIUS_KM: f64 = 250.0;
/// The outline keeps its shape to within this many metres (well under a
/// pixel at the detail's scale), which keeps the page small.
const OUTLINE_TOLERANCE_M: f64 = 400.0;
/// The SVG's size in CSS pixels (it scales to the page width).
const WIDTH: f64 = 1000.0;
const HEIGHT: f64 = 720.0;

/// A point in the panels' units: km east, km south (`-north`).
type Xy = (f64, f64);

fn xy(p: LatLon) -> Xy {
    let u = utm33(p.lat, p.lon);
    (u.east / 1000.0, -u.north / 1000.0)
}

/// A rectangle in km, `min` top-left.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Frame {
    min: Xy,
    max: Xy,
}

impl Frame {
    fn around(points: impl IntoIterator<Item = Xy>) -> Option<Frame> {
        points.into_iter().fold(None, |f: Option<Frame>, (x, y)| {
            Some(match f {
                None => Frame {
                    min: (x, y),
                    max: (x, y),
                },
                Some(f) => Frame {
                    min: (f.min.0.min(x), f.min.1.min(y)),
                    max: (f.max.0.max(x), f.max.1.max(y)),
                },
            })
        })
    }

    fn size(&self) -> Xy {
        (self.max.0 - self.min.0, self.max.1 - self.min.1)
    }

    /// Grown by `share` of its size on every side, at least `least` km
    /// wide and high, then widened or heightened to the aspect `w / h`.
    fn fitted(&self, share: f64, least: f64, w: f64, h: f64) -> Frame {
        let (sw, sh) = self.size();
        let centre = (
            (self.min.0 + self.max.0) / 2.0,
            (self.min.1 + self.max.1) / 2.0,
        );
        let mut half_w = (sw * (0.5 + share)).max(least / 2.0);
        let mut half_h = (sh * (0.5 + share)).max(least / 2.0);
        if half_w / half_h < w / h {
            half_w = half_h * w / h;
        } else {
            half_h = half_w * h / w;
        }
        Frame {
            min: (centre.0 - half_w, centre.1 - half_h),
            max: (centre.0 + half_w, centre.1 + half_h),
        }
    }
}

/// One panel: where it sits on the SVG (pixels) and what it shows (km).
struct Panel {
    id: &'static str,
    title: &'static str,
    at: Xy,
    w: f64,
    h: f64,
    frame: Frame,
}

impl Panel {
    /// Kilometres per pixel.
    fn km_per_px(&self) -> f64 {
        self.frame.size().0 / self.w
    }
}

/// Norway's outline as SVG path data in the panels' units, with its frame.
fn outline() -> &'static (String, Option<Frame>) {
    static CELL: OnceLock<(String, Option<Frame>)> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut d = String::new();
        let mut all: Vec<Xy> = Vec::new();
        // Bouvet Island (54° S) is in the outline; the map is of mainland Norway.
        let in_norway = |p: &geo::Polygon<f64>| p.exterior().0.iter().all(|c| c.y > 55.0);
        for polygon in crate::geodata::outline().0.iter().filter(|p| in_norway(p)) {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                let projected: LineString<f64> = ring
                    .0
                    .iter()
                    .map(|c| {
                        let u = utm33(c.y, c.x);
                        Coord {
                            x: u.east,
                            y: -u.north,
                        }
                    })
                    .collect();
                let simple = projected.simplify(&OUTLINE_TOLERANCE_M);
                // Islets that simplify to a sliver are left out.
                if simple.0.len() < 4 {
                    continue;
                }
                let points: Vec<Xy> = simple
                    .0
                    .iter()
                    .map(|c| (c.x / 1000.0, c.y / 1000.0))
                    .collect();
                d.push('M');
                push_points(&mut d, &points[..points.len() - 1]);
                d.push('Z');
                all.extend(points);
            }
        }
        (d, Frame::around(all))
    })
}

/// Everything the map draws, in the panels' units.
struct Layers {
    /// (child id, own caseworker, placement, status, position).
    dots: Vec<(String, String, String, Status, Xy)>,
    offices: Vec<(String, Xy)>,
    airports: BTreeMap<String, Xy>,
    trips: Vec<TripLine>,
}

struct TripLine {
    id: String,
    caseworker: String,
    /// Runs of road legs, each a polyline.
    roads: Vec<Vec<Xy>>,
    /// Flight legs, from and to.
    flights: Vec<(Xy, Xy)>,
    title: String,
}

fn layers(plan: &Plan, input: &ReportInput, lang: Lang, t: &Text) -> Layers {
    let statuses = super::statuses(plan, input);
    let mut dots: Vec<_> = input
        .children
        .iter()
        .map(|c| {
            let status = statuses.get(&c.id).copied().unwrap_or(Status::NotDue);
            let placement = super::text::placement(lang, &c.placement);
            (
                c.id.clone(),
                c.caseworker.clone(),
                placement,
                status,
                xy(c.location),
            )
        })
        .collect();
    // Unmet on top, not due at the bottom.
    dots.sort_by_key(|d| match d.3 {
        Status::NotDue => 0,
        Status::Planned => 1,
        Status::Unmet => 2,
    });
    let mut offices: Vec<(String, Xy)> = input
        .offices
        .iter()
        .map(|o| (o.id.clone(), xy(o.location)))
        .collect();
    let mut airports = BTreeMap::new();
    let mut trips = Vec::new();
    for trip in &plan.trips {
        let mut line = TripLine {
            id: trip.id.clone(),
            caseworker: trip.caseworker.as_str().to_string(),
            roads: Vec::new(),
            flights: Vec::new(),
            title: String::new(),
        };
        let mut run: Vec<Xy> = Vec::new();
        for (i, stop) in trip.stops.iter().enumerate() {
            let here = xy(LatLon::new(stop.lat, stop.lon));
            match stop.kind {
                StopKindOut::Airport => {
                    airports.insert(stop.reference.clone(), here);
                }
                StopKindOut::Office
                    if input.offices.is_empty()
                        && !offices.iter().any(|o| o.0 == stop.reference) =>
                {
                    offices.push((stop.reference.clone(), here));
                }
                _ => {}
            }
            if i == 0 {
                run.push(here);
                continue;
            }
            let from = run.last().copied().unwrap_or(here);
            if stop.mode_in == Some("flight") {
                if run.len() > 1 {
                    line.roads.push(std::mem::take(&mut run));
                }
                line.flights.push((from, here));
                run = vec![here];
                continue;
            }
            if let Some(Some(shape)) = trip.leg_shapes.get(i) {
                run.extend(shape.iter().map(|p| xy(*p)));
            }
            run.push(here);
        }
        if run.len() > 1 {
            line.roads.push(run);
        }
        let visits = trip
            .stops
            .iter()
            .filter(|s| s.kind == StopKindOut::Child)
            .count();
        line.title = format!(
            "{} · {} · {} {} · {} {}",
            trip.id,
            lang.date(trip.depart.date()),
            visits,
            t.visits,
            lang.number(crate::plan::round_km(trip.km_car), 0),
            t.km
        );
        trips.push(line);
    }
    Layers {
        dots,
        offices,
        airports,
        trips,
    }
}

/// The detail panel's frame: offices and the homes near them.
fn zoom_frame(layers: &Layers, input: &ReportInput, w: f64, h: f64) -> Frame {
    let near = |p: LatLon| {
        input.offices.is_empty()
            || input.offices.iter().any(|o| {
                crate::travel::great_circle_metres(o.location, p) <= ZOOM_RADIUS_KM * 1000.0
            })
    };
    let homes = input
        .children
        .iter()
        .filter(|c| near(c.location))
        .map(|c| xy(c.location));
    let offices = layers.offices.iter().map(|o| o.1);
    let fallback = || {
        outline().1.unwrap_or(Frame {
            min: (-100.0, -7950.0),
            max: (1120.0, -6440.0),
        })
    };
    Frame::around(homes.chain(offices))
        .unwrap_or_else(fallback)
        .fitted(0.04, 60.0, w, h)
}

/// `<svg id="map">` with both panels and the legend.
pub fn map_svg(
    plan: &Plan,
    input: &ReportInput,
    colours: &BTreeMap<String, String>,
    t: &'static Text,
) -> String {
    let lang = input.lang;
    let layers = layers(plan, input, lang, t);
    let (outline_d, outline_frame) = outline();
    let zoom = Panel {
        id: "map-zoom",
        title: t.zoom,
        at: (0.0, 0.0),
        w: 680.0,
        h: HEIGHT,
        frame: zoom_frame(&layers, input, 680.0, HEIGHT),
    };
    let norway = outline_frame.unwrap_or(zoom.frame);
    let overview = Panel {
        id: "map-overview",
        title: t.overview,
        at: (700.0, 0.0),
        w: 300.0,
        h: 380.0,
        frame: norway.fitted(0.02, 100.0, 300.0, 380.0),
    };
    let mut s = String::with_capacity(outline_d.len() + 200_000);
    let _ = write!(
        s,
        r#"<svg id="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="map-title"><title id="map-title">{}</title><defs><path id="norway-outline" d="{outline_d}"/></defs>"#,
        esc(t.map_heading)
    );
    for panel in [&zoom, &overview] {
        draw_panel(&mut s, panel, &layers, colours, t);
    }
    // Where the detail lies in the overview.
    let (x0, y0) = to_px(&overview, zoom.frame.min);
    let (x1, y1) = to_px(&overview, zoom.frame.max);
    let _ = write!(
        s,
        r#"<rect class="zoom-box" x="{}" y="{}" width="{}" height="{}"/>"#,
        num(x0),
        num(y0),
        num(x1 - x0),
        num(y1 - y0)
    );
    scale_bar(&mut s, &zoom);
    north_arrow(&mut s, &zoom, t);
    legend(&mut s, 712.0, 410.0, t);
    s.push_str("</svg>");
    s
}

/// A panel point in the SVG's pixels.
fn to_px(panel: &Panel, p: Xy) -> Xy {
    let k = panel.km_per_px();
    (
        panel.at.0 + (p.0 - panel.frame.min.0) / k,
        panel.at.1 + (p.1 - panel.frame.min.1) / k,
    )
}

fn draw_panel(
    s: &mut String,
    panel: &Panel,
    layers: &Layers,
    colours: &BTreeMap<String, String>,
    t: &Text,
) {
    let k = panel.km_per_px();
    let f = panel.frame;
    let (w, h) = f.size();
    let detail = panel.id == "map-zoom";
    let _ = write!(
        s,
        r##"<rect class="sea" x="{}" y="{}" width="{}" height="{}"/><svg id="{}" class="panel" x="{}" y="{}" width="{}" height="{}" viewBox="{} {} {} {}"><use href="#norway-outline" class="land"/>"##,
        num(panel.at.0),
        num(panel.at.1),
        num(panel.w),
        num(panel.h),
        panel.id,
        num(panel.at.0),
        num(panel.at.1),
        num(panel.w),
        num(panel.h),
        num(f.min.0),
        num(f.min.1),
        num(w),
        num(h)
    );
    let offices: Vec<Xy> = layers.offices.iter().map(|o| o.1).collect();
    place_labels(s, panel, &offices, if detail { 14 } else { 6 });
    s.push_str(r#"<g class="trips">"#);
    for trip in &layers.trips {
        let colour = colours.get(&trip.caseworker).map_or("#555", String::as_str);
        let _ = write!(
            s,
            r#"<g class="trip" data-cw="{}" data-trip="{}" style="stroke:{colour}"><title>{}</title>"#,
            esc(&token(&trip.caseworker)),
            esc(&trip.id),
            esc(&trip.title)
        );
        for run in &trip.roads {
            let simple = simplify(run, k * 0.5);
            s.push_str(r#"<polyline class="road" points=""#);
            push_points(s, &simple);
            s.push_str(r#""/>"#);
        }
        for (a, b) in &trip.flights {
            let _ = write!(s, r#"<path class="air" d="{}"/>"#, arc(*a, *b));
        }
        s.push_str("</g>");
    }
    s.push_str("</g>");
    if detail {
        for (iata, p) in &layers.airports {
            let r = 3.5 * k;
            let _ = write!(
                s,
                r#"<rect class="airport" x="{}" y="{}" width="{}" height="{}"><title>{} {}</title></rect>"#,
                num(p.0 - r),
                num(p.1 - r),
                num(2.0 * r),
                num(2.0 * r),
                esc(t.airport),
                esc(iata)
            );
        }
    }
    let base = if detail { 3.4 } else { 1.9 };
    s.push_str(r#"<g class="dots">"#);
    for (id, caseworker, placement, status, p) in &layers.dots {
        let r = if *status == Status::Unmet {
            base * 1.5
        } else {
            base
        } * k;
        let label = match status {
            Status::Planned => t.status_planned,
            Status::Unmet => t.status_unmet,
            Status::NotDue => t.status_not_due,
        };
        let _ = write!(
            s,
            r#"<circle class="dot {}" data-cw="{}" cx="{}" cy="{}" r="{}"><title>{} · {} · {} {} · {}</title></circle>"#,
            status.code(),
            esc(&token(caseworker)),
            num_fine(p.0),
            num_fine(p.1),
            num_fine(r),
            esc(id),
            esc(placement),
            esc(t.caseworker),
            esc(caseworker),
            esc(label)
        );
    }
    s.push_str("</g>");
    for (id, p) in &layers.offices {
        let r = if detail { 6.0 } else { 4.0 } * k;
        let _ = write!(
            s,
            r#"<rect class="office" x="{}" y="{}" width="{}" height="{}"><title>{} {}</title></rect>"#,
            num_fine(p.0 - r),
            num_fine(p.1 - r),
            num_fine(2.0 * r),
            num_fine(2.0 * r),
            esc(t.office),
            esc(id)
        );
        if detail {
            let _ = write!(
                s,
                r#"<text class="office-label" x="{}" y="{}" font-size="{}">{}</text>"#,
                num_fine(p.0 + 9.0 * k),
                num_fine(p.1 + 4.0 * k),
                num_fine(12.0 * k),
                esc(id)
            );
        }
    }
    s.push_str("</svg>");
    let _ = write!(
        s,
        r#"<rect class="frame" x="{}" y="{}" width="{}" height="{}"/><text class="panel-title" x="{}" y="{}">{}</text>"#,
        num(panel.at.0),
        num(panel.at.1),
        num(panel.w),
        num(panel.h),
        num(panel.at.0 + 10.0),
        num(panel.at.1 + 20.0),
        esc(panel.title)
    );
}

/// Coordinates at 0.01 km (10 m): dots and offices, where 100 m would
/// show in the detail panel.
fn num_fine(x: f64) -> String {
    let r = (x * 100.0).round() / 100.0;
    if r == 0.0 || !r.is_finite() {
        "0".to_string()
    } else {
        let s = format!("{r:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The largest towns inside the panel, as grey labels for orientation
/// (GeoNames places; public geography, no one's home).
fn place_labels(s: &mut String, panel: &Panel, offices: &[Xy], most: usize) {
    let k = panel.km_per_px();
    let f = panel.frame;
    let mut towns: Vec<(&crate::geodata::Town, Xy)> = crate::geodata::hotel_towns()
        .iter()
        .map(|t| (t, xy(t.location)))
        .filter(|(_, p)| {
            p.0 > f.min.0 + 30.0 * k
                && p.0 < f.max.0 - 80.0 * k
                && p.1 > f.min.1 + 40.0 * k
                && p.1 < f.max.1 - 20.0 * k
        })
        .collect();
    towns.sort_by_key(|t| std::cmp::Reverse(t.0.population));
    let mut placed: Vec<Xy> = Vec::new();
    let apart =
        |q: &Xy, p: &Xy, px: f64| ((q.0 - p.0).powi(2) + (q.1 - p.1).powi(2)).sqrt() < px * k;
    s.push_str(r#"<g class="places">"#);
    for (town, p) in towns {
        if placed.len() >= most {
            break;
        }
        // Keep labels apart (70 px) and off the offices' labels (40 px).
        if placed.iter().any(|q| apart(q, &p, 70.0)) || offices.iter().any(|q| apart(q, &p, 40.0)) {
            continue;
        }
        placed.push(p);
        let _ = write!(
            s,
            r#"<circle class="town" cx="{}" cy="{}" r="{}"/><text x="{}" y="{}" font-size="{}">{}</text>"#,
            num_fine(p.0),
            num_fine(p.1),
            num_fine(1.6 * k),
            num_fine(p.0 + 4.0 * k),
            num_fine(p.1 - 4.0 * k),
            num_fine(11.0 * k),
            esc(&town.name)
        );
    }
    s.push_str("</g>");
}

/// Ramer-Douglas-Peucker to `epsilon` km.
fn simplify(points: &[Xy], epsilon: f64) -> Vec<Xy> {
    if points.len() <= 2 {
        return points.to_vec();
    }
    let line: LineString<f64> = points.iter().map(|&(x, y)| Coord { x, y }).collect();
    line.simplify(&epsilon)
        .0
        .iter()
        .map(|c| (c.x, c.y))
        .collect()
}

/// A flight as a quadratic Bézier arc bulging to the left of its
/// direction, so the flights out and home are told apart.
fn arc(a: Xy, b: Xy) -> String {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    let control = (mid.0 + dy * 0.2, mid.1 - dx * 0.2);
    format!(
        "M{},{} Q{},{} {},{}",
        num(a.0),
        num(a.1),
        num(control.0),
        num(control.1),
        num(b.0),
        num(b.1)
    )
}

/// A scale bar of a round length, about 100-200 pixels, bottom left.
fn scale_bar(s: &mut String, panel: &Panel) {
    let k = panel.km_per_px();
    let km = [5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 250.0, 500.0]
        .into_iter()
        .find(|km| km / k >= 100.0)
        .unwrap_or(1000.0);
    let len = km / k;
    let (x, y) = (panel.at.0 + 16.0, panel.at.1 + panel.h - 22.0);
    let _ = write!(
        s,
        r#"<g class="scale"><rect x="{}" y="{}" width="{}" height="6"/><rect class="half" x="{}" y="{}" width="{}" height="6"/><text x="{}" y="{}">0</text><text x="{}" y="{}" text-anchor="end">{km:.0} km</text></g>"#,
        num(x),
        num(y),
        num(len),
        num(x + len / 2.0),
        num(y),
        num(len / 2.0),
        num(x),
        num(y - 4.0),
        num(x + len),
        num(y - 4.0),
    );
}

fn north_arrow(s: &mut String, panel: &Panel, t: &Text) {
    let (x, y) = (panel.at.0 + panel.w - 28.0, panel.at.1 + 18.0);
    let _ = write!(
        s,
        r#"<g class="north"><path d="M{},{} l8,22 l-8,-6 l-8,6 z"/><text x="{}" y="{}" text-anchor="middle">{}</text></g>"#,
        num(x),
        num(y + 4.0),
        num(x),
        num(y + 40.0),
        esc(t.north_up)
    );
}

/// The static legend: statuses, office, airport, car and flight.
fn legend(s: &mut String, x: f64, y: f64, t: &Text) {
    let rows: [(&str, &str); 7] = [
        (
            r#"<circle class="dot planned" cx="8" cy="0" r="5"/>"#,
            t.status_planned,
        ),
        (
            r#"<circle class="dot unmet" cx="8" cy="0" r="7"/>"#,
            t.status_unmet,
        ),
        (
            r#"<circle class="dot not_due" cx="8" cy="0" r="5"/>"#,
            t.status_not_due,
        ),
        (
            r#"<rect class="office" x="2" y="-6" width="12" height="12"/>"#,
            t.office,
        ),
        (
            r#"<rect class="airport" x="4" y="-4" width="8" height="8"/>"#,
            t.airport,
        ),
        (
            r#"<line class="legend-road" x1="0" y1="0" x2="18" y2="0"/>"#,
            t.by_car,
        ),
        (
            r#"<path class="legend-air" d="M0,4 Q9,-8 18,4"/>"#,
            t.by_plane,
        ),
    ];
    let _ = write!(s, r#"<g class="legend" transform="translate({x},{y})">"#);
    for (i, (mark, label)) in rows.iter().enumerate() {
        let _ = write!(
            s,
            r#"<g transform="translate(0,{})">{mark}<text x="28" y="4">{}</text></g>"#,
            i * 26,
            esc(label)
        );
    }
    s.push_str("</g>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outline_is_projected_simplified_and_small() {
        let (d, frame) = outline();
        let frame = frame.expect("the outline has points");
        // Mainland Norway in UTM 33: about -80..1115 km east, 6450..7940 km north.
        assert!(frame.min.0 > -120.0 && frame.min.0 < -50.0, "{frame:?}");
        assert!(frame.max.0 > 1050.0 && frame.max.0 < 1150.0, "{frame:?}");
        assert!(-frame.max.1 > 6400.0 && -frame.max.1 < 6500.0, "{frame:?}");
        assert!(-frame.min.1 > 7900.0 && -frame.min.1 < 7960.0, "{frame:?}");
        assert!(d.starts_with('M') && d.ends_with('Z'));
        assert!(d.len() < 400_000, "{} bytes", d.len());
    }

    #[test]
    fn frames_fit_the_panel_and_keep_the_points() {
        let f = Frame::around([(0.0, 0.0), (100.0, 50.0)]).unwrap();
        let g = f.fitted(0.1, 10.0, 400.0, 400.0);
        assert!((g.size().0 - g.size().1).abs() < 1e-9);
        assert!(g.min.0 < 0.0 && g.max.0 > 100.0 && g.min.1 < 0.0 && g.max.1 > 50.0);
        let one = Frame::around([(5.0, 5.0)])
            .unwrap()
            .fitted(0.0, 60.0, 2.0, 1.0);
        assert!((one.size().0 - 120.0).abs() < 1e-9 && (one.size().1 - 60.0).abs() < 1e-9);
    }

    #[test]
    fn flights_bulge_left_of_their_direction() {
        let out = arc((0.0, 0.0), (100.0, 0.0));
        assert_eq!(out, "M0,0 Q50,-20 100,0");
        let back = arc((100.0, 0.0), (0.0, 0.0));
        assert_eq!(back, "M100,0 Q50,20 0,0");
    }
}
