//! WGS 84 / ETRS89 latitude and longitude to UTM zone 33 (EPSG:25833,
//! ETRS89 / UTM 33N), the projection Norwegian maps use for the whole
//! country: a transverse Mercator on the GRS 80 ellipsoid with central
//! meridian 15° E, scale 0.9996 on it and a false easting of 500 000 m.
//!
//! The forward formulas are Krüger's series in the third flattening `n`,
//! to the sixth order as given by Karney (2011, "Transverse Mercator with an
//! accuracy of a few nanometers", eq. 7, 9, 35): millimetre accuracy within
//! some 4 000 km of the central meridian, far more than a map needs, so all
//! of Norway (4.5° E to 31° E, zone 33 stretched) projects correctly.
//! The difference between WGS 84 and ETRS89 (under a metre) is ignored.

/// GRS 80 semi-major axis, metres.
const A: f64 = 6_378_137.0;
/// GRS 80 flattening.
const F: f64 = 1.0 / 298.257_222_101;
const K0: f64 = 0.9996;
const FALSE_EASTING: f64 = 500_000.0;
/// Zone 33's central meridian, degrees east.
const CENTRAL_MERIDIAN: f64 = 15.0;

/// A position in UTM zone 33: easting and northing, metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Utm {
    pub east: f64,
    pub north: f64,
}

/// The series constants, computed once from the ellipsoid.
struct Series {
    /// Rectifying radius times k0.
    k0_a: f64,
    /// `2 sqrt(n) / (1 + n)`: the eccentricity `e`.
    e: f64,
    alpha: [f64; 6],
}

fn series() -> &'static Series {
    static CELL: std::sync::OnceLock<Series> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        let n = F / (2.0 - F);
        let (n2, n3) = (n * n, n * n * n);
        let (n4, n5, n6) = (n3 * n, n3 * n2, n3 * n3);
        let rectifying = A / (1.0 + n) * (1.0 + n2 / 4.0 + n4 / 64.0 + n6 / 256.0);
        let alpha = [
            n / 2.0 - 2.0 * n2 / 3.0 + 5.0 * n3 / 16.0 + 41.0 * n4 / 180.0 - 127.0 * n5 / 288.0
                + 7891.0 * n6 / 37800.0,
            13.0 * n2 / 48.0 - 3.0 * n3 / 5.0 + 557.0 * n4 / 1440.0 + 281.0 * n5 / 630.0
                - 1_983_433.0 * n6 / 1_935_360.0,
            61.0 * n3 / 240.0 - 103.0 * n4 / 140.0
                + 15061.0 * n5 / 26880.0
                + 167_603.0 * n6 / 181_440.0,
            49561.0 * n4 / 161_280.0 - 179.0 * n5 / 168.0 + 6_601_661.0 * n6 / 7_257_600.0,
            34729.0 * n5 / 80640.0 - 3_418_889.0 * n6 / 1_995_840.0,
            212_378_941.0 * n6 / 319_334_400.0,
        ];
        Series {
            k0_a: K0 * rectifying,
            e: (F * (2.0 - F)).sqrt(),
            alpha,
        }
    })
}

/// Projects latitude and longitude (degrees) to UTM zone 33.
pub fn utm33(lat: f64, lon: f64) -> Utm {
    let s = series();
    let phi = lat.to_radians();
    let lambda = (lon - CENTRAL_MERIDIAN).to_radians();
    // Conformal latitude, as its tangent.
    let sin_phi = phi.sin();
    let tau = (sin_phi.atanh() - s.e * (s.e * sin_phi).atanh()).sinh();
    let xi_prime = tau.atan2(lambda.cos());
    let eta_prime = (lambda.sin() / (1.0 + tau * tau).sqrt()).atanh();
    let (mut xi, mut eta) = (xi_prime, eta_prime);
    for (j, a) in s.alpha.iter().enumerate() {
        let k = 2.0 * (j + 1) as f64;
        xi += a * (k * xi_prime).sin() * (k * eta_prime).cosh();
        eta += a * (k * xi_prime).cos() * (k * eta_prime).sinh();
    }
    Utm {
        east: FALSE_EASTING + s.k0_a * eta,
        north: s.k0_a * xi,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values from PROJ 9 (pyproj, EPSG:4258 -> EPSG:25833),
    /// which uses its own (Poder/Engsager) transverse Mercator code.
    const REFERENCE: &[(f64, f64, f64, f64, &str)] = &[
        (63.4305, 10.3951, 270340.0228, 7041816.2797, "Trondheim"),
        (63.3615, 10.3803, 269048.4810, 7034196.2474, "Vestre Rosten"),
        (69.6492, 18.9553, 653421.1876, 7731721.0829, "Tromsø"),
        (58.0, 5.0, -89765.6132, 6472530.4635, "off Jæren, 10° west"),
        (71.0, 31.0, 1075405.2361, 7953964.2024, "Vardø, 16° east"),
        (
            60.0,
            15.0,
            500000.0,
            6651411.1902,
            "on the central meridian",
        ),
    ];

    #[test]
    fn projects_as_proj_does_to_the_millimetre() {
        for &(lat, lon, east, north, what) in REFERENCE {
            let p = utm33(lat, lon);
            assert!(
                (p.east - east).abs() < 0.002 && (p.north - north).abs() < 0.002,
                "{what}: {p:?}, expected {east} {north}"
            );
        }
    }

    #[test]
    fn the_equator_on_the_central_meridian_is_the_false_origin() {
        let p = utm33(0.0, 15.0);
        assert!((p.east - 500_000.0).abs() < 1e-6 && p.north.abs() < 1e-6);
        // The meridian arc to 1° N on GRS 80 is 110 574.4 m; times k0.
        let one = utm33(1.0, 15.0).north;
        assert!((one - 110530.1588).abs() < 0.002, "{one}");
    }

    #[test]
    fn east_and_north_grow_with_longitude_and_latitude() {
        let base = utm33(63.0, 10.0);
        assert!(utm33(63.0, 11.0).east > base.east);
        assert!(utm33(64.0, 10.0).north > base.north);
        // Symmetric about the central meridian.
        let (w, e) = (utm33(65.0, 12.0), utm33(65.0, 18.0));
        assert!((w.north - e.north).abs() < 1e-6);
        assert!((500_000.0 - w.east - (e.east - 500_000.0)).abs() < 1e-6);
    }
}
