//! `tilsyn plan` against real OSRM and Valhalla servers, built by
//! `tests/engines/setup.sh` from a small OpenStreetMap extract of our own
//! (`tests/engines/make_network.py`: a town, a road out to a village, a
//! ferry to a second village, an island with no road). Each test starts
//! its own server on a free 127.0.0.1 port, runs the binary, and stops the
//! server when done.
//!
//! The set-up is heavy (Python >= 3.12 and the engines' wheels), so it runs
//! in `.ci/run`, which exports `TILSYN_ENGINES` (the set-up's output
//! folder). Without it these tests say so and pass, except under CI, where
//! a missing set-up is a failure.

use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The set-up's `engines.env`, or `None` (and why) when it was not run.
fn engines() -> Option<BTreeMap<String, String>> {
    let Some(dir) = std::env::var_os("TILSYN_ENGINES") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "TILSYN_ENGINES is not set: .ci/run must run tests/engines/setup.sh first"
        );
        eprintln!(
            "skipped: the real-engine tests need `bash tests/engines/setup.sh target/engines` \
             and TILSYN_ENGINES=target/engines"
        );
        return None;
    };
    let path = PathBuf::from(dir).join("engines.env");
    let text = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run tests/engines/setup.sh)", path.display()));
    Some(
        text.lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect(),
    )
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server process, killed when dropped.
struct Server {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Freezes (SIGSTOP) or thaws (SIGCONT) the server: frozen, it accepts
    /// connections and never answers.
    fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill {sig}");
    }
}

fn command(env: &BTreeMap<String, String>, program: &str) -> Command {
    let mut c = Command::new(program);
    if let Some(lib) = env.get("LD_LIBRARY_PATH") {
        c.env("LD_LIBRARY_PATH", lib);
    }
    c.stdout(Stdio::null()).stderr(Stdio::null());
    c
}

/// Waits until `probe` answers 200 (a GET, or a POST of `body`).
fn wait_ready(url: &str, probe: &str, body: Option<&str>) {
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        let r = match body {
            Some(b) => client
                .post(format!("{url}/{probe}"))
                .header("Content-Type", "application/json")
                .body(b.to_string())
                .send(),
            None => client.get(format!("{url}/{probe}")).send(),
        };
        if r.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the server at {url} did not come up within 60 s");
}

fn start_osrm(env: &BTreeMap<String, String>, net: &Network) -> Server {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let child = command(env, &env["OSRM_ROUTED"])
        .args(["--algorithm", "mld", "--ip", "127.0.0.1", "--port"])
        .arg(port.to_string())
        .arg(&env["OSRM_DATA"])
        .spawn()
        .expect("osrm-routed starts");
    let url = format!("http://127.0.0.1:{port}");
    let o = net.office;
    wait_ready(
        &url,
        &format!("nearest/v1/driving/{:.6},{:.6}", o.1, o.0),
        None,
    );
    Server {
        child,
        url,
        _dir: dir,
    }
}

fn start_valhalla(env: &BTreeMap<String, String>, net: &Network) -> Server {
    start_valhalla_with(env, net, |_| {})
}

/// Valhalla with its configuration changed by `edit` first.
fn start_valhalla_with(
    env: &BTreeMap<String, String>,
    net: &Network,
    edit: impl Fn(&mut Value),
) -> Server {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let mut config: Value =
        serde_json::from_str(&fs::read_to_string(&env["VALHALLA_CONFIG"]).unwrap()).unwrap();
    config["httpd"]["service"]["listen"] = Value::from(format!("tcp://127.0.0.1:{port}"));
    // A socket of this test's own for the workers' loopback.
    let sock = |name: &str| format!("ipc://{}", dir.path().join(name).display());
    config["httpd"]["service"]["loopback"] = Value::from(sock("loopback"));
    config["httpd"]["service"]["interrupt"] = Value::from(sock("interrupt"));
    config["httpd"]["service"]["drain_seconds"] = Value::from(0);
    config["httpd"]["service"]["shutdown_seconds"] = Value::from(0);
    edit(&mut config);
    let path = dir.path().join("valhalla.json");
    fs::write(&path, serde_json::to_string_pretty(&config).unwrap()).unwrap();
    let child = command(env, &env["VALHALLA_SERVICE"])
        .arg(&path)
        .arg("1")
        .spawn()
        .expect("valhalla_service starts");
    let url = format!("http://127.0.0.1:{port}");
    let o = net.office;
    wait_ready(
        &url,
        "locate",
        Some(&format!(
            r#"{{"locations":[{{"lat":{},"lon":{}}}],"costing":"auto"}}"#,
            o.0, o.1
        )),
    );
    Server {
        child,
        url,
        _dir: dir,
    }
}

/// The test network's named places (`tests/engines/network.json`).
struct Network {
    office: (f64, f64),
    /// Homes reached by road (ferry included), by name.
    homes: Vec<(String, f64, f64)>,
    island: (f64, f64),
}

fn network() -> Network {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/engines/network.json");
    let path = if path.exists() {
        path
    } else {
        // A set-up made from another checkout says where its points are.
        engines()
            .and_then(|e| e.get("ENGINES_NETWORK").map(PathBuf::from))
            .unwrap_or(path)
    };
    let json: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let mut places: Vec<(String, f64, f64)> = Vec::new();
    collect(&json, "", &mut places);
    let find = |name: &str| {
        places
            .iter()
            .find(|p| p.0 == name)
            .map(|p| (p.1, p.2))
            .unwrap_or_else(|| panic!("network.json has no {name}"))
    };
    Network {
        office: find("office"),
        island: find("island_home"),
        homes: places
            .iter()
            .filter(|p| p.0 != "office" && p.0 != "island_home" && p.0 != "origin")
            .cloned()
            .collect(),
    }
}

/// Every object with `lat` and `lon` in `v`, named by its `name` or key.
fn collect(v: &Value, key: &str, out: &mut Vec<(String, f64, f64)>) {
    match v {
        Value::Object(m) => {
            if let (Some(lat), Some(lon)) = (
                m.get("lat").and_then(Value::as_f64),
                m.get("lon").and_then(Value::as_f64),
            ) {
                let name = m
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or(key)
                    .to_string();
                out.push((name, lat, lon));
                return;
            }
            for (k, x) in m {
                collect(x, k, out);
            }
        }
        Value::Array(a) => {
            for x in a {
                collect(x, key, out);
            }
        }
        _ => {}
    }
}

/// A dataset folder on the test network: one office, one caseworker, a
/// child at every home and one on the island, all due in 2027Q1.
fn dataset(net: &Network, dir: &Path) -> Vec<String> {
    fs::create_dir_all(dir).unwrap();
    fs::write(
        dir.join("offices.csv"),
        format!(
            "office_id,name,lat,lon\nO1,Test office,{},{}\n",
            net.office.0, net.office.1
        ),
    )
    .unwrap();
    fs::write(
        dir.join("caseworkers.csv"),
        "caseworker_id,name,team,office_id,fte\nS1,Test worker,barn,O1,1.0\n",
    )
    .unwrap();
    fs::write(dir.join("absences.csv"), "caseworker_id,from,to,reason\n").unwrap();
    let mut children = String::from(
        "child_id,team,caseworker_id,placement,place,lat,lon,visits_per_year,placed_since,last_visit\n",
    );
    let mut ids = Vec::new();
    for (i, (_, lat, lon)) in net
        .homes
        .iter()
        .chain([&("island_home".to_string(), net.island.0, net.island.1)])
        .enumerate()
    {
        let id = format!("B{:03}", i + 1);
        children.push_str(&format!(
            "{id},barn,S1,fosterhjem,Testby,{lat},{lon},4,2025-01-01,2026-11-15\n"
        ));
        ids.push(id);
    }
    fs::write(dir.join("children.csv"), children).unwrap();
    ids
}

struct Run {
    _tmp: tempfile::TempDir,
    data: PathBuf,
    out: PathBuf,
    cache: PathBuf,
    settings: PathBuf,
    ids: Vec<String>,
}

fn setup(net: &Network, timeout_seconds: f64, retries: u32) -> Run {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let ids = dataset(net, &data);
    let cache = tmp.path().join("cache");
    let settings = tmp.path().join("settings.toml");
    fs::write(
        &settings,
        format!(
            "[router]\ncache_dir = \"{}\"\ntimeout_seconds = {timeout_seconds}\nretries = {retries}\n",
            cache.display()
        ),
    )
    .unwrap();
    Run {
        out: tmp.path().join("plan"),
        _tmp: tmp,
        data,
        cache,
        settings,
        ids,
    }
}

fn plan(run: &Run, engine: &str, url: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "plan",
        "--data",
        run.data.to_str().unwrap(),
        "--settings",
        run.settings.to_str().unwrap(),
        "--quarter",
        "2027Q1",
        "--out",
        run.out.to_str().unwrap(),
        "--router",
        engine,
        "--router-url",
        url,
    ];
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_tilsyn"))
        .args(&args)
        .output()
        .expect("tilsyn runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The unmet rows of a plan: child id and reason.
fn unmet(out: &Path) -> Vec<(String, String)> {
    let mut r = csv::Reader::from_path(out.join("unmet.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let (c, why) = (col("child_id"), col("reason"));
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (rec[c].to_string(), rec[why].to_string())
        })
        .collect()
}

fn check(run: &Run) {
    let data = tilsyn::input::load_dataset(&run.data, Some(&run.settings)).unwrap();
    let report = tilsyn::check::check_plan(&data, &run.out);
    assert!(
        report.is_ok(),
        "{}",
        report
            .violations
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The drives the engine gives between the office and each home, asked
/// directly (not through tilsyn's client), against the plan's own matrix.
fn matrix_matches_the_engine(engine: &str, url: &str, run: &Run, net: &Network) {
    let data = tilsyn::input::load_dataset(&run.data, Some(&run.settings)).unwrap();
    let sites = tilsyn::travel::Sites::new(&data);
    let mut data = data;
    data.settings.router.engine = match engine {
        "osrm" => tilsyn::settings::RouterKind::Osrm,
        _ => tilsyn::settings::RouterKind::Valhalla,
    };
    data.settings.router.url = Some(url.to_string());
    let e = tilsyn::travel::engine::connect(&data.settings.router)
        .unwrap()
        .unwrap();
    let mut cache = tilsyn::travel::engine::cache::Cache::in_memory();
    let (m, _) =
        tilsyn::travel::engine::RoadMatrix::fetch(e.as_ref(), &mut cache, &data, &sites, false)
            .unwrap();
    use tilsyn::travel::TravelMatrix;
    let client = reqwest::blocking::Client::new();
    let overhead = data.settings.car.leg_overhead_minutes;
    let mut ferry_seen = false;
    for (i, (name, lat, lon)) in net.homes.iter().enumerate() {
        let (metres, seconds) = match engine {
            "osrm" => {
                let j: Value = client
                    .get(format!(
                        "{url}/table/v1/driving/{:.6},{:.6};{lon:.6},{lat:.6}?sources=0&destinations=1&annotations=duration,distance",
                        net.office.1, net.office.0
                    ))
                    .send()
                    .unwrap()
                    .json()
                    .unwrap();
                (
                    j["distances"][0][0].as_f64().unwrap(),
                    j["durations"][0][0].as_f64().unwrap(),
                )
            }
            _ => {
                let body = serde_json::json!({
                    "sources": [{"lat": net.office.0, "lon": net.office.1}],
                    "targets": [{"lat": lat, "lon": lon}],
                    "costing": "auto",
                    "units": "kilometers",
                });
                let j: Value = client
                    .post(format!("{url}/sources_to_targets"))
                    .json(&body)
                    .send()
                    .unwrap()
                    .json()
                    .unwrap();
                let c = &j["sources_to_targets"][0][0];
                (
                    c["distance"].as_f64().unwrap() * 1000.0,
                    c["time"].as_f64().unwrap(),
                )
            }
        };
        let d = m.drive(sites.office(0), sites.child(i));
        assert_eq!(d.metres.0, metres.round() as i64, "{engine} {name}: metres");
        assert_eq!(
            d.minutes.0,
            (seconds.round() as i64 + 30) / 60 + overhead,
            "{engine} {name}: minutes"
        );
        if name.contains("ferry") {
            // The crossing alone takes 25 minutes.
            assert!(d.minutes.0 >= 25, "{engine} {name}: {d:?}");
            ferry_seen = true;
        }
    }
    assert!(ferry_seen, "network.json names a ferry home");
}

/// Great-circle metres between two `[lon, lat]` positions.
fn metres(a: &Value, b: &Value) -> f64 {
    let (lon1, lat1) = (a[0].as_f64().unwrap(), a[1].as_f64().unwrap());
    let (lon2, lat2) = (b[0].as_f64().unwrap(), b[1].as_f64().unwrap());
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let h = ((p2 - p1) / 2.0).sin().powi(2)
        + p1.cos() * p2.cos() * ((lon2 - lon1).to_radians() / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * h.sqrt().asin()
}

/// routes.geojson draws every trip along the engine's roads: a line of
/// many points whose length is the trip's road distance.
fn trips_follow_the_roads(out: &Path) {
    let doc: Value =
        serde_json::from_str(&fs::read_to_string(out.join("routes.geojson")).unwrap()).unwrap();
    assert_eq!(doc["type"], "FeatureCollection");
    let trips: Vec<&Value> = doc["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == "trip")
        .collect();
    assert!(!trips.is_empty());
    for t in trips {
        assert_eq!(t["geometry"]["type"], "LineString");
        assert_eq!(t["properties"]["road_geometry"], true, "{t}");
        let line = t["geometry"]["coordinates"].as_array().unwrap();
        let length: f64 = line.windows(2).map(|w| metres(&w[0], &w[1])).sum();
        let km = t["properties"]["km_car"].as_f64().unwrap();
        assert!(
            (length / 1000.0 - km).abs() <= 0.1 * km + 0.3,
            "{}: line {:.2} km, trip {km} km",
            t["properties"]["trip_id"],
            length / 1000.0
        );
    }
}

fn end_to_end(engine: &str) {
    let Some(env) = engines() else { return };
    let net = network();
    let mut server = match engine {
        "osrm" => start_osrm(&env, &net),
        _ => start_valhalla(&env, &net),
    };
    let run = setup(&net, 10.0, 2);
    // Cold: everything from the engine.
    let o = plan(&run, engine, &server.url, &[]);
    assert!(o.status.success(), "{}", text(&o));
    check(&run);
    let island = run.ids.last().unwrap();
    let unmet = unmet(&run.out);
    assert!(
        unmet
            .iter()
            .any(|(c, why)| c == island && why == "no_road_access"),
        "{unmet:?}"
    );
    assert_eq!(unmet.len(), 1, "only the island child is unmet: {unmet:?}");
    assert!(run.cache.read_dir().unwrap().count() == 1, "one cache file");
    matrix_matches_the_engine(engine, &server.url, &run, &net);
    trips_follow_the_roads(&run.out);
    // The leg to the home across the water is marked as a ferry leg.
    let ferry_child = &run.ids[net.homes.iter().position(|h| h.0 == "ferry_home").unwrap()];
    let mut stops = csv::Reader::from_path(run.out.join("trip_stops.csv")).unwrap();
    let modes: Vec<String> = stops
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[3] == ferry_child.as_str())
        .map(|r| r[8].to_string())
        .collect();
    assert_eq!(modes, ["ferry"], "{engine}");
    // Warm: the same plan with the engine gone, so no request can succeed.
    let before = fs::read_to_string(run.out.join("visits.csv")).unwrap();
    server.stop();
    let o = plan(&run, engine, &server.url, &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("i 0 omganger"), "{}", text(&o));
    assert_eq!(
        fs::read_to_string(run.out.join("visits.csv")).unwrap(),
        before
    );
    let o = plan(&run, engine, &server.url, &["--offline"]);
    assert!(o.status.success(), "{}", text(&o));
    // Cold again with the engine gone: exit 3, nothing written.
    fs::remove_dir_all(&run.cache).unwrap();
    fs::remove_dir_all(&run.out).unwrap();
    let o = plan(&run, engine, &server.url, &[]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("kan ikke nås"), "{}", text(&o));
    assert!(!run.out.exists(), "nothing written");
    // Offline with an empty cache: exit 3 naming what is missing.
    let o = plan(&run, engine, &server.url, &["--offline"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("tilsyn matrix"), "{}", text(&o));
}

fn slow_engine(engine: &str) {
    let Some(env) = engines() else { return };
    let net = network();
    let server = match engine {
        "osrm" => start_osrm(&env, &net),
        _ => start_valhalla(&env, &net),
    };
    let run = setup(&net, 1.0, 1);
    server.signal("-STOP");
    let started = Instant::now();
    let o = plan(&run, engine, &server.url, &[]);
    server.signal("-CONT");
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("svarte ikke"), "{}", text(&o));
    assert!(!run.out.exists());
    // Two tries of one second and a pause: well under ten seconds.
    assert!(started.elapsed() < Duration::from_secs(20));
}

/// A TCP relay to the server at `upstream`: it passes the first answer on,
/// then kills the server (SIGKILL) and closes every connection after, so
/// the engine dies in the middle of a run.
fn relay_that_kills(upstream: &str, pid: u32) -> String {
    use std::io::{Read, Write};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let upstream = upstream.trim_start_matches("http://").to_string();
    let dead = Arc::new(AtomicBool::new(false));
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { return };
            if dead.load(Ordering::SeqCst) {
                continue; // dropped: closed at once
            }
            let Ok(mut server) = std::net::TcpStream::connect(&upstream) else {
                continue;
            };
            let (mut c2, mut s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut c2, &mut s2);
            });
            let dead = dead.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 65536];
                while let Ok(n) = server.read(&mut buf) {
                    if n == 0 || client.write_all(&buf[..n]).is_err() {
                        break;
                    }
                    if !dead.swap(true, Ordering::SeqCst) {
                        let _ = Command::new("kill")
                            .args(["-KILL", &pid.to_string()])
                            .status();
                    }
                }
                let _ = client.shutdown(std::net::Shutdown::Both);
            });
        }
    });
    url
}

/// The engine killed after its first answer: exit 3, no plan, no cache.
fn stopped_mid_run(engine: &str) {
    let Some(env) = engines() else { return };
    let net = network();
    let server = match engine {
        "osrm" => start_osrm(&env, &net),
        _ => start_valhalla(&env, &net),
    };
    let run = setup(&net, 5.0, 1);
    // Small blocks: many requests, so the first answer is not the last.
    let mut settings = fs::read_to_string(&run.settings).unwrap();
    settings.push_str("max_locations_per_request = 2\nconcurrent_requests = 1\n");
    fs::write(&run.settings, settings).unwrap();
    let url = relay_that_kills(&server.url, server.child.id());
    let o = plan(&run, engine, &url, &[]);
    eprintln!("{engine} stopped mid-run: {}", text(&o));
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(!run.out.exists(), "no plan written");
    assert!(
        !run.cache.exists() || run.cache.read_dir().unwrap().count() == 0,
        "no cache written from a failed run"
    );
    // The server is gone: nothing answers there any more.
    assert!(std::net::TcpStream::connect(server.url.trim_start_matches("http://")).is_err());
}

#[test]
fn osrm_stopped_mid_run() {
    stopped_mid_run("osrm");
}

#[test]
fn valhalla_stopped_mid_run() {
    stopped_mid_run("valhalla");
}

/// A Valhalla whose matrix stops at 5 km (the default is 400 km; a
/// department across Norway meets it): the pairs beyond go by `route`, and
/// the plan is the one an unlimited server gives.
#[test]
fn valhalla_matrix_distance_limit_falls_back_to_route() {
    let Some(env) = engines() else { return };
    let net = network();
    let plans: Vec<String> = [None, Some(5000.0)]
        .into_iter()
        .map(|limit| {
            let server = start_valhalla_with(&env, &net, |c| {
                if let Some(m) = limit {
                    c["service_limits"]["auto"]["max_matrix_distance"] = Value::from(m);
                }
            });
            let run = setup(&net, 10.0, 1);
            let o = plan(&run, "valhalla", &server.url, &[]);
            assert!(o.status.success(), "{limit:?}: {}", text(&o));
            check(&run);
            fs::read_to_string(run.out.join("trip_stops.csv")).unwrap()
        })
        .collect();
    assert_eq!(plans[0], plans[1]);
}

#[test]
fn osrm_end_to_end() {
    end_to_end("osrm");
}

#[test]
fn valhalla_end_to_end() {
    end_to_end("valhalla");
}

#[test]
fn osrm_slow_engine_times_out() {
    slow_engine("osrm");
}

#[test]
fn valhalla_slow_engine_times_out() {
    slow_engine("valhalla");
}

#[test]
fn matrix_command_warms_the_cache_for_offline_planning() {
    let Some(env) = engines() else { return };
    let net = network();
    let mut server = start_osrm(&env, &net);
    let run = setup(&net, 10.0, 1);
    let o = Command::new(env!("CARGO_BIN_EXE_tilsyn"))
        .args([
            "matrix",
            "--data",
            run.data.to_str().unwrap(),
            "--settings",
            run.settings.to_str().unwrap(),
            "--router",
            "osrm",
            "--router-url",
            &server.url,
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    server.stop();
    let o = plan(&run, "osrm", &server.url, &["--offline"]);
    assert!(o.status.success(), "{}", text(&o));
    check(&run);
}

/// The `current` or `fitted` row of `tilsyn calibrate`'s table: detour,
/// island, km/h, then mean, p90 and bias in km and in minutes.
fn calibration_row(stdout: &str, name: &str) -> Vec<f64> {
    let line = stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some(name))
        .unwrap_or_else(|| panic!("no {name} row in:\n{stdout}"));
    let values: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .filter(|t| *t != "|")
        .map(|t| t.parse().unwrap_or_else(|_| panic!("{t:?} in {line:?}")))
        .collect();
    assert_eq!(values.len(), 9, "{line}");
    values
}

/// `tilsyn calibrate` in English, whose table rows are `current` and `fitted`.
fn calibrate(run: &Run, settings: &Path, url: &str, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tilsyn"))
        .args(["calibrate", "--lang", "en", "--data"])
        .arg(&run.data)
        .arg("--settings")
        .arg(settings)
        .args(["--router", "osrm", "--router-url", url, "--out"])
        .arg(out)
        .output()
        .expect("tilsyn runs")
}

#[test]
fn calibrate_fits_the_offline_model_to_osrm() {
    let Some(env) = engines() else { return };
    let net = network();
    let server = start_osrm(&env, &net);
    let run = setup(&net, 10.0, 1);
    let json = run._tmp.path().join("calibration.json");
    let o = calibrate(&run, &run.settings, &server.url, &json);
    assert!(o.status.success(), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout).to_string();
    let report: Value = serde_json::from_str(&fs::read_to_string(&json).unwrap()).unwrap();
    let (current, fitted) = (
        calibration_row(&stdout, "current"),
        calibration_row(&stdout, "fitted"),
    );
    // The defaults, measured against the engine, and the fit no worse.
    assert_eq!(current[..3], [1.40, 1.75, 70.0], "{stdout}");
    assert!(
        fitted[6] <= current[6],
        "minutes, fitted vs default:\n{stdout}"
    );
    assert!(fitted[3] <= current[3], "km, fitted vs default:\n{stdout}");
    let minutes = |which: &str| {
        report[which]["errors"]["minutes"]["mean_abs"]
            .as_f64()
            .unwrap()
    };
    assert!(minutes("fitted") <= minutes("current"), "{report}");
    assert!(
        (minutes("fitted") - fitted[6]).abs() < 0.051,
        "{report}\n{stdout}"
    );
    // Office and homes, the island home left out (no road): 0 across water.
    let count = |k: &str| report[k].as_u64().unwrap();
    assert!(
        count("pairs") >= 10 && count("island_pairs") == 0,
        "{report}"
    );
    assert_eq!(count("no_road"), 2 * (run.ids.len() as u64), "{report}");
    assert_eq!(report["engine"], "osrm");
    // No coordinate anywhere in what it says or writes.
    let all = format!("{}{}", text(&o), fs::read_to_string(&json).unwrap());
    let named = [
        ("office".to_string(), net.office.0, net.office.1),
        ("island_home".to_string(), net.island.0, net.island.1),
    ];
    for (_, lat, lon) in net.homes.iter().chain(&named) {
        for x in [lat, lon] {
            assert!(!all.contains(&format!("{x:.4}")), "a coordinate in:\n{all}");
        }
    }
    // The printed [car] block pastes into settings.toml: calibrating again
    // from it measures what the first run said the fit would give.
    let block = &stdout[stdout.find("[car]").expect("a [car] block")..];
    let fitted_settings = run._tmp.path().join("fitted.toml");
    fs::write(
        &fitted_settings,
        format!("{}\n{block}", fs::read_to_string(&run.settings).unwrap()),
    )
    .unwrap();
    let again = run._tmp.path().join("again.json");
    let o = calibrate(&run, &fitted_settings, &server.url, &again);
    assert!(o.status.success(), "{}", text(&o));
    let second: Value = serde_json::from_str(&fs::read_to_string(&again).unwrap()).unwrap();
    assert_eq!(second["current"], report["fitted"], "{second}");
    // Without an engine there is nothing to calibrate against: exit 2.
    for router in [&["--router", "great-circle"][..], &[]] {
        let o = Command::new(env!("CARGO_BIN_EXE_tilsyn"))
            .args(["calibrate", "--data"])
            .arg(&run.data)
            .arg("--settings")
            .arg(&run.settings)
            .args(router)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(text(&o).contains("trenger derfor en"), "{}", text(&o));
    }
}
