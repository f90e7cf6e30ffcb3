//! Google's encoded polyline format, as both engines return route shapes:
//! OSRM with `geometries=polyline6`, Valhalla always, at precision 6
//! (1e-6 degrees). Each point is the delta from the one before, as zig-zag
//! signed integers in 5-bit groups offset by 63.

use crate::model::LatLon;

/// Decodes `text` at `precision` decimals; `None` if it is not a polyline.
pub fn decode(text: &str, precision: u32) -> Option<Vec<LatLon>> {
    let scale = 10f64.powi(precision as i32);
    let bytes = text.as_bytes();
    let mut at = 0;
    let (mut lat, mut lon) = (0i64, 0i64);
    let mut out = Vec::new();
    while at < bytes.len() {
        lat += next(bytes, &mut at)?;
        lon += next(bytes, &mut at)?;
        out.push(LatLon::new(lat as f64 / scale, lon as f64 / scale));
    }
    Some(out)
}

/// One zig-zag encoded number from `bytes` at `at`.
fn next(bytes: &[u8], at: &mut usize) -> Option<i64> {
    let mut result: i64 = 0;
    let mut shift = 0;
    loop {
        let b = i64::from(*bytes.get(*at)?) - 63;
        *at += 1;
        if !(0..64).contains(&b) || shift > 60 {
            return None;
        }
        result |= (b & 0x1f) << shift;
        shift += 5;
        if b < 0x20 {
            break;
        }
    }
    Some(if result & 1 == 1 {
        !(result >> 1)
    } else {
        result >> 1
    })
}

/// Encodes `points` at `precision` decimals (for tests and fixtures).
pub fn encode(points: &[LatLon], precision: u32) -> String {
    let scale = 10f64.powi(precision as i32);
    let mut out = String::new();
    let (mut lat0, mut lon0) = (0i64, 0i64);
    for p in points {
        let (lat, lon) = (
            (p.lat * scale).round() as i64,
            (p.lon * scale).round() as i64,
        );
        push(&mut out, lat - lat0);
        push(&mut out, lon - lon0);
        (lat0, lon0) = (lat, lon);
    }
    out
}

fn push(out: &mut String, value: i64) {
    let mut v = if value < 0 { !(value << 1) } else { value << 1 };
    while v >= 0x20 {
        out.push(char::from((((v & 0x1f) | 0x20) + 63) as u8));
        v >>= 5;
    }
    out.push(char::from((v + 63) as u8));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_format_reference_example() {
        // The example of the format's documentation, at precision 5.
        let points = decode("_p~iF~ps|U_ulLnnqC_mqNvxq`@", 5).unwrap();
        let want = [(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)];
        assert_eq!(points.len(), 3);
        for (p, (lat, lon)) in points.iter().zip(want) {
            assert!(
                (p.lat - lat).abs() < 1e-9 && (p.lon - lon).abs() < 1e-9,
                "{p:?}"
            );
        }
    }

    #[test]
    fn round_trips_at_precision_6() {
        let points = vec![
            LatLon::new(63.4305, 10.3951),
            LatLon::new(63.361_5, 10.380_3),
            LatLon::new(-33.9, 151.2),
        ];
        let back = decode(&encode(&points, 6), 6).unwrap();
        for (a, b) in points.iter().zip(&back) {
            assert!((a.lat - b.lat).abs() < 1e-6 && (a.lon - b.lon).abs() < 1e-6);
        }
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(decode("", 6), Some(vec![]));
        assert!(decode("{", 6).is_none(), "a point cut in half");
        assert!(decode("_p~iF", 6).is_none(), "a latitude without longitude");
        assert!(decode("\u{7f}\u{7f}", 6).is_none());
    }
}
