//! The engine clients against a scripted HTTP server on 127.0.0.1: retries,
//! time-outs, garbage and refused connections, and the OSRM and Valhalla
//! answer shapes. The real engines are tested in `tests/engines.rs`.

use super::osrm::Osrm;
use super::valhalla::Valhalla;
use super::*;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;

/// One scripted answer: HTTP status, body, and a delay before answering.
#[derive(Clone)]
struct Reply {
    status: u16,
    body: String,
    delay_ms: u64,
}

fn reply(status: u16, body: &str) -> Reply {
    Reply {
        status,
        body: body.to_string(),
        delay_ms: 0,
    }
}

/// Serves `script` in order (the last answer repeats) and counts requests.
struct Scripted {
    url: String,
    hits: Arc<AtomicUsize>,
}

fn serve(script: Vec<Reply>) -> Scripted {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let r = script[n.min(script.len() - 1)].clone();
            // Read the request head (and a small body); enough for tests.
            let mut buf = [0u8; 65536];
            let _ = stream.read(&mut buf);
            std::thread::sleep(std::time::Duration::from_millis(r.delay_ms));
            let text = format!(
                "HTTP/1.1 {} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                r.status,
                r.body.len(),
                r.body
            );
            let _ = stream.write_all(text.as_bytes());
        }
    });
    Scripted { url, hits }
}

const SECOND: Duration = Duration::from_secs(1);
const TWO: [LatLon; 2] = [
    LatLon {
        lat: 63.43,
        lon: 10.39,
    },
    LatLon {
        lat: 63.44,
        lon: 10.41,
    },
];

const OSRM_TABLE: &str = r#"{"code":"Ok","durations":[[600.4,null]],"distances":[[9000.2,null]]}"#;

#[test]
fn osrm_table_reads_seconds_metres_and_no_route() {
    let s = serve(vec![reply(200, OSRM_TABLE)]);
    let osrm = Osrm::new(&s.url, "driving", SECOND, 0).unwrap();
    let rows = osrm.table(&TWO[..1], &TWO, 2000.0).unwrap();
    assert_eq!(rows, vec![vec![Some((9000, 600)), None]]);
}

#[test]
fn a_5xx_is_retried_then_the_answer_is_used() {
    let s = serve(vec![
        reply(503, "busy"),
        reply(502, "busy"),
        reply(200, OSRM_TABLE),
    ]);
    let osrm = Osrm::new(&s.url, "driving", SECOND, 3).unwrap();
    assert!(osrm.table(&TWO[..1], &TWO, 2000.0).is_ok());
    assert_eq!(s.hits.load(Ordering::SeqCst), 3);
}

#[test]
fn a_5xx_that_persists_is_an_error_after_the_retries() {
    let s = serve(vec![reply(500, "{}")]);
    let osrm = Osrm::new(&s.url, "driving", SECOND, 2).unwrap();
    let e = osrm.table(&TWO[..1], &TWO, 2000.0).unwrap_err();
    assert!(matches!(e, EngineError::Failed { .. }), "{e}");
    assert_eq!(
        s.hits.load(Ordering::SeqCst),
        3,
        "the first try and two retries"
    );
}

#[test]
fn a_slow_engine_times_out() {
    let s = serve(vec![Reply {
        status: 200,
        body: OSRM_TABLE.into(),
        delay_ms: 1500,
    }]);
    let osrm = Osrm::new(&s.url, "driving", Duration::from_millis(200), 1).unwrap();
    let e = osrm.table(&TWO[..1], &TWO, 2000.0).unwrap_err();
    assert!(matches!(e, EngineError::Timeout { .. }), "{e}");
    assert!(e.to_string().contains("did not answer"));
}

#[test]
fn garbage_is_an_error_not_a_matrix() {
    for body in [
        "<html>proxy error</html>",
        r#"{"code":"Ok"}"#,
        r#"{"code":"Ok","durations":[[1]],"distances":[[1,2]]}"#,
        r#"{"code":"Ok","durations":[["x",1]],"distances":[[1,2]]}"#,
        r#"{"code":"Ok","durations":[[-5,1]],"distances":[[1,2]]}"#,
    ] {
        let s = serve(vec![reply(200, body)]);
        let osrm = Osrm::new(&s.url, "driving", SECOND, 0).unwrap();
        let e = osrm.table(&TWO[..1], &TWO, 2000.0).unwrap_err();
        assert!(matches!(e, EngineError::Garbage { .. }), "{body}: {e}");
    }
}

#[test]
fn a_refused_connection_is_unreachable_and_names_no_coordinates() {
    // A port that was just free: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let osrm = Osrm::new(&format!("http://127.0.0.1:{port}"), "driving", SECOND, 1).unwrap();
    let e = osrm.table(&TWO[..1], &TWO, 2000.0).unwrap_err();
    assert!(matches!(e, EngineError::Unreachable { .. }), "{e}");
    let text = e.to_string();
    assert!(!text.contains("63.43") && !text.contains("10.39"), "{text}");
}

#[test]
fn osrm_snapping_uses_the_radius_and_no_segment() {
    let s = serve(vec![
        reply(
            200,
            r#"{"code":"Ok","waypoints":[{"distance":12.5,"location":[10.39,63.43]}]}"#,
        ),
        reply(
            200,
            r#"{"code":"Ok","waypoints":[{"distance":2500.0,"location":[10.39,63.43]}]}"#,
        ),
        reply(
            400,
            r#"{"code":"NoSegment","message":"Could not find a matching segment for any coordinate."}"#,
        ),
    ]);
    let osrm = Osrm::new(&s.url, "driving", SECOND, 0).unwrap();
    let three = [TWO[0], TWO[1], TWO[0]];
    assert_eq!(osrm.snap(&three, 2000.0).unwrap(), vec![true, false, false]);
}

#[test]
fn valhalla_matrix_kilometres_become_metres_and_errors_carry_their_code() {
    let ok = r#"{"sources_to_targets":[[{"distance":9.0002,"time":600,"from_index":0,"to_index":0},{"distance":null,"time":null,"from_index":0,"to_index":1}]],"units":"kilometers"}"#;
    let s = serve(vec![
        reply(200, ok),
        reply(
            400,
            r#"{"error_code":154,"error":"Path distance exceeds the max distance limit","status_code":400,"status":"Bad Request"}"#,
        ),
    ]);
    let v = Valhalla::new(&s.url, "auto", SECOND, 0).unwrap();
    assert_eq!(
        v.table(&TWO[..1], &TWO, 2000.0).unwrap(),
        vec![vec![Some((9000, 600)), None]]
    );
    let e = v.table(&TWO[..1], &TWO, 2000.0).unwrap_err();
    assert!(e.to_string().contains("error 154"), "{e}");
}

#[test]
fn valhalla_route_joins_leg_shapes() {
    let a = polyline::encode(&[TWO[0], TWO[1]], 6);
    let b = polyline::encode(&[TWO[1], TWO[0]], 6);
    let body = format!(
        r#"{{"trip":{{"legs":[{{"shape":"{a}"}},{{"shape":"{b}"}}],"summary":{{"length":4.5,"time":700.0}}}}}}"#
    );
    let s = serve(vec![reply(200, &body)]);
    let v = Valhalla::new(&s.url, "auto", SECOND, 0).unwrap();
    let r = v.route(&[TWO[0], TWO[1], TWO[0]], 2000.0).unwrap();
    assert_eq!(r.geometry.len(), 3);
    assert_eq!((r.metres, r.seconds), (4500.0, 700.0));
}

#[test]
fn parallel_keeps_order_and_stops_at_the_first_error() {
    let jobs: Vec<usize> = (0..50).collect();
    let out = parallel(&jobs, 4, |&j| Ok(j * 2)).unwrap();
    assert_eq!(out, (0..50).map(|j| j * 2).collect::<Vec<_>>());
    let ran = AtomicUsize::new(0);
    let e = parallel(&jobs, 2, |&j| {
        ran.fetch_add(1, Ordering::SeqCst);
        if j == 3 {
            Err(EngineError::NoUrl { engine: "osrm" })
        } else {
            Ok(j)
        }
    });
    assert!(e.is_err());
    assert!(ran.load(Ordering::SeqCst) < 50);
}

#[test]
fn valhalla_unconnected_regions_split_the_block_down_to_the_pairs_across() {
    let unconnected = r#"{"error_code":170,"error":"Locations are in unconnected regions. Go check/edit the map at osm.org","status_code":400,"status":"Bad Request"}"#;
    let cell = r#"{"sources_to_targets":[[{"distance":1.5,"time":120}]]}"#;
    // 1 source x 2 targets: the block fails, then target 0 answers, target 1
    // is still unconnected alone.
    let s = serve(vec![
        reply(400, unconnected),
        reply(200, cell),
        reply(400, unconnected),
    ]);
    let v = Valhalla::new(&s.url, "auto", SECOND, 0).unwrap();
    assert_eq!(
        v.table(&TWO[..1], &TWO, 2000.0).unwrap(),
        vec![vec![Some((1500, 120)), None]]
    );
    assert_eq!(s.hits.load(Ordering::SeqCst), 3);
}

#[test]
fn valhalla_pairs_beyond_the_matrix_limit_are_asked_of_route() {
    let too_far = r#"{"error_code":154,"error":"Path distance exceeds the max distance limit","status_code":400,"status":"Bad Request"}"#;
    let cell = r#"{"sources_to_targets":[[{"distance":1.5,"time":120}]]}"#;
    let route = r#"{"trip":{"legs":[],"summary":{"length":512.25,"time":23000}}}"#;
    let s = serve(vec![
        reply(400, too_far),
        reply(200, cell),
        reply(400, too_far),
        reply(200, route),
    ]);
    let v = Valhalla::new(&s.url, "auto", SECOND, 0).unwrap();
    assert_eq!(
        v.table(&TWO[..1], &TWO, 2000.0).unwrap(),
        vec![vec![Some((1500, 120)), Some((512_250, 23_000))]]
    );
    assert_eq!(s.hits.load(Ordering::SeqCst), 4);
}

#[test]
fn errors_are_written_in_the_language_asked_for() {
    use crate::i18n::{with_lang, Lang};
    let timeout = EngineError::Timeout {
        engine: "osrm",
        url: "http://127.0.0.1:5000".into(),
        what: "table".into(),
        seconds: 30.0,
    };
    assert_eq!(
        with_lang(Lang::En, || timeout.to_string()),
        "the osrm engine at http://127.0.0.1:5000 did not answer a table request within 30 s (router.timeout_seconds), retries included"
    );
    assert_eq!(
        with_lang(Lang::Nb, || timeout.to_string()),
        "ruteberegneren osrm på http://127.0.0.1:5000 svarte ikke på en table-forespørsel innen 30 s (router.timeout_seconds), nye forsøk medregnet"
    );
    let offline = EngineError::Offline {
        engine: "valhalla",
        cache: "/tmp/c.bin".into(),
        points: 10,
        missing_points: 2,
        pairs: 40,
        missing_pairs: 5,
        sample: "e.g. office #1".into(),
    };
    assert_eq!(
        with_lang(Lang::En, || offline.to_string()),
        "offline: the matrix cache /tmp/c.bin lacks 2 of 10 places and 5 of 40 drives (e.g. office #1); warm it with `tilsyn matrix --data <DIR> --router valhalla --router-url <URL>`"
    );
    assert_eq!(
        with_lang(Lang::Nb, || offline.to_string()),
        "frakoblet: hurtigbufferen for reisematrisen /tmp/c.bin mangler 2 av 10 steder og 5 av 40 kjøreturer (e.g. office #1); fyll den med `tilsyn matrix --data <MAPPE> --router valhalla --router-url <URL>`"
    );
    let no_url = EngineError::NoUrl { engine: "osrm" };
    assert_eq!(
        with_lang(Lang::Nb, || no_url.to_string()),
        "ruteberegneren osrm trenger router.url (innstilling eller --router-url)"
    );
}
