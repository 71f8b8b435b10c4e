//! The few W3C WebDriver commands the browser tests use, as JSON over HTTP/1.1 to a local
//! chromedriver: sessions, navigation, elements, clicks, keys, scripts and screenshots.
//! (A WebDriver client crate would bring an async stack and a second build of several
//! dependencies into the tests for these dozen requests.)

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::{json, Value};

/// The key WebDriver uses for element references.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One browser session; deleted (and its browser ended) when dropped.
pub struct Session {
    driver: String,
    id: String,
}

/// An element of the current page.
pub struct Element<'a> {
    session: &'a Session,
    id: String,
}

/// `method path` with an optional JSON body; the `value` of the answer, or the WebDriver error.
fn call(driver: &str, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut stream = TcpStream::connect(driver).map_err(|e| format!("chromedriver: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|e| e.to_string())?;
    let body = body.map(Value::to_string).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {driver}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).map_err(|e| e.to_string())?;
    let mut length = None;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).map_err(|e| e.to_string())?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((k, v)) = header.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse::<usize>().ok();
            }
        }
    }
    let mut raw = Vec::new();
    match length {
        Some(n) => {
            raw.resize(n, 0);
            reader.read_exact(&mut raw).map_err(|e| e.to_string())?;
        }
        None => {
            reader.read_to_end(&mut raw).map_err(|e| e.to_string())?;
        }
    }
    let answer: Value = serde_json::from_slice(&raw)
        .map_err(|e| format!("{method} {path}: not JSON ({e}): {line}"))?;
    let value = answer.get("value").cloned().unwrap_or(Value::Null);
    if let Some(error) = value.get("error").and_then(Value::as_str) {
        let message = value.get("message").and_then(Value::as_str).unwrap_or("");
        return Err(format!("{method} {path}: {error}: {message}"));
    }
    Ok(value)
}

impl Session {
    /// A new session with these `goog:chromeOptions`.
    pub fn new(driver: &str, chrome_options: Value) -> Session {
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": chrome_options,
        }}});
        let value = call(driver, "POST", "/session", Some(&caps)).expect("a browser session");
        let id = value["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        Session {
            driver: driver.to_string(),
            id,
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let path = format!("/session/{}{path}", self.id);
        call(&self.driver, method, &path, body.as_ref())
    }

    pub fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })))
            .unwrap_or_else(|e| panic!("{e}"));
    }

    pub fn url(&self) -> String {
        let v = self.call("GET", "/url", None).expect("the URL");
        v.as_str().unwrap_or_default().to_string()
    }

    pub fn back(&self) {
        self.call("POST", "/back", Some(json!({})))
            .expect("going back");
    }

    /// Runs `script` (a function body) in the page and returns its value.
    pub fn execute(&self, script: &str) -> Result<Value, String> {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    pub fn find(&self, css: &str) -> Element<'_> {
        let v = self
            .call(
                "POST",
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .unwrap_or_else(|e| panic!("finding {css}: {e}"));
        Element {
            session: self,
            id: v[ELEMENT].as_str().expect("an element").to_string(),
        }
    }

    pub fn active(&self) -> Element<'_> {
        let v = self
            .call("GET", "/element/active", None)
            .expect("the focused element");
        Element {
            session: self,
            id: v[ELEMENT].as_str().expect("an element").to_string(),
        }
    }

    /// The page as PNG.
    pub fn screenshot(&self) -> Vec<u8> {
        let v = self.call("GET", "/screenshot", None).expect("a screenshot");
        base64(v.as_str().unwrap_or_default())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = call(
            &self.driver,
            "DELETE",
            &format!("/session/{}", self.id),
            None,
        );
    }
}

impl Element<'_> {
    pub fn click(&self) {
        self.session
            .call(
                "POST",
                &format!("/element/{}/click", self.id),
                Some(json!({})),
            )
            .unwrap_or_else(|e| panic!("{e}"));
    }

    /// Types `text` into the element (as keys, one by one).
    pub fn send_keys(&self, text: &str) {
        self.session
            .call(
                "POST",
                &format!("/element/{}/value", self.id),
                Some(json!({ "text": text })),
            )
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

/// Standard base64 (what WebDriver screenshots are) to bytes.
fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let sextets: Vec<u8> = text.bytes().filter_map(value).collect();
    let mut out = Vec::with_capacity(sextets.len() * 3 / 4);
    for chunk in sextets.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &s)| n | u32::from(s) << (18 - 6 * i));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    out
}

#[test]
fn base64_decodes_padding_and_all_sixty_four_digits() {
    assert_eq!(base64("aGVsbG8="), b"hello");
    assert_eq!(base64("aGk="), b"hi");
    assert_eq!(base64("YWJj"), b"abc");
    assert_eq!(base64("+/8="), [0xfb, 0xff]);
}
