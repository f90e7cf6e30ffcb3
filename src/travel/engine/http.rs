//! One HTTP exchange with a road engine: a timeout per request, retries
//! with exponential backoff on time-outs, refused connections and 5xx
//! answers, and errors that say which engine, where and what failed.

use super::EngineError;
use reqwest::blocking::{Client, RequestBuilder};
use std::time::Duration;

/// First pause before a retry; it doubles each time.
const BACKOFF: Duration = Duration::from_millis(250);

/// An answer the engine gave: its HTTP status and body. 5xx never reaches
/// the caller: it is retried, then an error.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

pub struct Http {
    client: Client,
    /// The engine's name and base URL, for messages.
    pub engine: &'static str,
    pub base: String,
    retries: u32,
    timeout: Duration,
}

impl Http {
    pub fn new(
        engine: &'static str,
        base: &str,
        timeout: Duration,
        retries: u32,
    ) -> Result<Self, EngineError> {
        let client = Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("tilsyn/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| EngineError::Unreachable {
                engine,
                url: base.to_string(),
                detail: crate::tr!("no HTTP client: {e}", "ingen HTTP-klient: {e}"),
            })?;
        Ok(Self {
            client,
            engine,
            base: base.trim_end_matches('/').to_string(),
            retries,
            timeout,
        })
    }

    /// The engine answered `what` with something that is not an answer.
    pub fn garbage(&self, what: &str, detail: impl Into<String>) -> EngineError {
        EngineError::Garbage {
            engine: self.engine,
            url: self.base.clone(),
            what: what.into(),
            detail: detail.into(),
        }
    }

    /// The engine refused or failed `what`, saying why.
    pub fn failed(&self, what: &str, detail: String) -> EngineError {
        EngineError::Failed {
            engine: self.engine,
            url: self.base.clone(),
            what: what.into(),
            detail,
        }
    }

    /// `GET base/path`.
    pub fn get(&self, path: &str, what: &str) -> Result<Answer, EngineError> {
        let url = format!("{}/{}", self.base, path.trim_start_matches('/'));
        self.send(what, || self.client.get(&url))
    }

    /// `POST base/path` with a JSON body.
    pub fn post(
        &self,
        path: &str,
        body: &serde_json::Value,
        what: &str,
    ) -> Result<Answer, EngineError> {
        let url = format!("{}/{}", self.base, path.trim_start_matches('/'));
        self.send(what, || self.client.post(&url).json(body))
    }

    fn send(
        &self,
        what: &str,
        request: impl Fn() -> RequestBuilder,
    ) -> Result<Answer, EngineError> {
        let mut pause = BACKOFF;
        let mut attempt = 0;
        loop {
            let outcome = request().send().and_then(|r| {
                let status = r.status().as_u16();
                r.text().map(|body| Answer { status, body })
            });
            let error = match outcome {
                Ok(answer) if answer.status < 500 => return Ok(answer),
                Ok(answer) => self.failed(
                    what,
                    format!("HTTP {}: {}", answer.status, snippet(&answer.body)),
                ),
                Err(e) if e.is_timeout() => EngineError::Timeout {
                    engine: self.engine,
                    url: self.base.clone(),
                    what: what.to_string(),
                    seconds: self.timeout.as_secs_f64(),
                },
                // The URL carries coordinates of homes: never in a message.
                Err(e) => EngineError::Unreachable {
                    engine: self.engine,
                    url: self.base.clone(),
                    detail: error_chain(&e.without_url()),
                },
            };
            if attempt >= self.retries {
                return Err(error);
            }
            attempt += 1;
            std::thread::sleep(pause);
            pause *= 2;
        }
    }
}

/// The first 200 characters of an answer, on one line, for a message.
pub fn snippet(body: &str) -> String {
    let one_line: String = body
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(200)
        .collect();
    if body.chars().count() > 200 {
        format!("{one_line}...")
    } else {
        one_line
    }
}

/// An error with its causes (reqwest's own message alone says little).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
