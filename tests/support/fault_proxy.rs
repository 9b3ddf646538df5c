//! A fault-injecting HTTP proxy between silo and moto, on 127.0.0.1. Each test sets its rules:
//! by account (known from the credentials a request is signed with: the proxy reads the access
//! key of every AssumeRole answer) or by operation (X-Amz-Target, `Action=`, or the path), it
//! answers with throttling in the protocol's own error shape, an HTTP 500/503, latency, a reset
//! connection or a truncated body, and refuses AssumeRole into chosen accounts.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// ThrottlingException (JSON protocols) or Throttling (query protocol), HTTP 400.
    Throttle,
    /// An HTTP status with a plain body (500, 503…).
    Status(u16),
    /// Wait this long, then answer normally.
    Latency(Duration),
    /// Close the connection without answering.
    Reset,
    /// Send the headers and half the body, then close.
    Truncate,
    /// AccessDenied in the protocol's own error shape, HTTP 403, as IAM answers a missing permission.
    Denied,
    /// Answer HTTP 200 with this JSON body: an operation moto does not serve (BatchUpdateFindings),
    /// answered as AWS documents it, so the code after the call runs against moto's other answers.
    Json(String),
}

#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// AssumeRole into these accounts answers AccessDenied.
    pub denied_accounts: HashSet<String>,
    /// Every request signed with credentials of these accounts gets the fault.
    pub by_account: HashMap<String, Fault>,
    /// Every request for this operation (e.g. `DescribeServices`) gets the fault.
    pub by_operation: HashMap<String, Fault>,
}

#[derive(Clone)]
pub struct FaultProxy {
    pub url: String,
    upstream: String,
    rules: Arc<Mutex<Rules>>,
    /// Access key id → account, learned from AssumeRole answers.
    keys: Arc<Mutex<HashMap<String, String>>>,
    /// Requests per account (or operation name for unsigned-by-tenant ones).
    pub counts: Arc<Mutex<HashMap<String, usize>>>,
    pub requests: Arc<AtomicUsize>,
}

struct Request {
    head: String,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }

    fn form(&self, key: &str) -> Option<String> {
        let body = String::from_utf8_lossy(&self.body);
        body.split('&').find_map(|pair| pair.strip_prefix(&format!("{key}=")).map(url_decode))
    }

    /// The operation: X-Amz-Target's suffix, the query protocol's Action, or the path.
    fn operation(&self) -> String {
        if let Some(target) = self.header("x-amz-target") {
            return target.rsplit('.').next().unwrap_or(&target).to_string();
        }
        if let Some(action) = self.form("Action") {
            return action;
        }
        self.head.split_whitespace().nth(1).unwrap_or("/").to_string()
    }

    fn access_key(&self) -> Option<String> {
        let auth = self.header("authorization")?;
        let credential = auth.split("Credential=").nth(1)?;
        credential.split('/').next().map(str::to_string)
    }

    fn json_protocol(&self) -> bool {
        self.header("x-amz-target").is_some() || self.header("content-type").is_some_and(|c| c.contains("json"))
    }
}

fn url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl FaultProxy {
    /// Starts the proxy in front of `upstream` (moto's http://127.0.0.1:port).
    pub async fn start(upstream: &str) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the fault proxy");
        let port = listener.local_addr().expect("proxy address").port();
        let proxy = FaultProxy {
            url: format!("http://127.0.0.1:{port}"),
            upstream: upstream.trim_start_matches("http://").trim_end_matches('/').to_string(),
            rules: Arc::default(),
            keys: Arc::default(),
            counts: Arc::default(),
            requests: Arc::default(),
        };
        let serving = proxy.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let one = serving.clone();
                tokio::spawn(async move { one.serve(socket).await });
            }
        });
        proxy
    }

    pub fn set(&self, rules: Rules) {
        *self.rules.lock().expect("rules") = rules;
    }

    /// Requests made with credentials of `account` (AssumeRole calls not included).
    pub fn count_for(&self, account: &str) -> usize {
        self.counts.lock().map(|c| c.get(account).copied().unwrap_or(0)).unwrap_or(0)
    }

    /// One request per connection: read it, decide, answer (or forward), close.
    async fn serve(self, mut socket: TcpStream) {
        let Some(request) = read_request(&mut socket).await else { return };
        self.requests.fetch_add(1, Ordering::Relaxed);
        let rules = self.rules.lock().map(|r| r.clone()).unwrap_or_default();
        let operation = request.operation();
        if operation == "AssumeRole" {
            return self.assume_role(socket, &request, &rules).await;
        }
        let account = request.access_key().and_then(|k| self.keys.lock().ok()?.get(&k).cloned());
        if let (Some(a), Ok(mut counts)) = (&account, self.counts.lock()) {
            *counts.entry(a.clone()).or_default() += 1;
        }
        let fault =
            account.as_ref().and_then(|a| rules.by_account.get(a)).or_else(|| rules.by_operation.get(&operation));
        match fault.cloned() {
            None => self.forward(socket, &request, false).await,
            Some(Fault::Latency(d)) => {
                tokio::time::sleep(d).await;
                self.forward(socket, &request, false).await
            }
            Some(Fault::Truncate) => self.forward(socket, &request, true).await,
            Some(Fault::Reset) => drop(socket),
            Some(Fault::Status(code)) => answer(&mut socket, code, "text/plain", b"injected failure").await,
            Some(Fault::Throttle) => throttle(&mut socket, request.json_protocol()).await,
            Some(Fault::Denied) => denied(&mut socket, request.json_protocol(), &operation).await,
            Some(Fault::Json(body)) => answer(&mut socket, 200, "application/json", body.as_bytes()).await,
        }
    }

    async fn assume_role(&self, mut socket: TcpStream, request: &Request, rules: &Rules) {
        let role = request.form("RoleArn").unwrap_or_default();
        let account = role.split(':').nth(4).unwrap_or_default().to_string();
        if rules.denied_accounts.contains(&account) {
            let body = format!(
                "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:sts::000000000000:assumed-role/OnCall/silo is not authorized to perform: sts:AssumeRole on resource: {role}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>"
            );
            return answer(&mut socket, 403, "text/xml", body.as_bytes()).await;
        }
        let Some(response) = self.upstream(request).await else { return };
        let text = String::from_utf8_lossy(&response);
        if let Some(key) = text.split("<AccessKeyId>").nth(1).and_then(|r| r.split('<').next()) {
            if let Ok(mut keys) = self.keys.lock() {
                keys.insert(key.to_string(), account);
            }
        }
        let _ = socket.write_all(&response).await;
    }

    async fn forward(&self, mut socket: TcpStream, request: &Request, truncate: bool) {
        let Some(response) = self.upstream(request).await else { return };
        let cut = if truncate {
            head_end(&response).map(|h| h + (response.len() - h) / 2).unwrap_or(0)
        } else {
            response.len()
        };
        let _ = socket.write_all(&response[..cut]).await;
    }

    /// The request sent to moto on a fresh connection, its whole answer.
    async fn upstream(&self, request: &Request) -> Option<Vec<u8>> {
        let mut upstream = TcpStream::connect(&self.upstream).await.ok()?;
        let head: Vec<&str> =
            request.head.lines().filter(|l| !l.to_ascii_lowercase().starts_with("connection:")).collect();
        let head = format!("{}\r\nConnection: close\r\n\r\n", head.join("\r\n").trim_end());
        upstream.write_all(head.as_bytes()).await.ok()?;
        upstream.write_all(&request.body).await.ok()?;
        let mut response = Vec::new();
        upstream.read_to_end(&mut response).await.ok()?;
        Some(response)
    }
}

fn head_end(bytes: &[u8]) -> Option<usize> {
    bytes.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4)
}

async fn read_request(socket: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let end = loop {
        if let Some(end) = head_end(&buf) {
            break end;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..end - 4]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
                .map(|(_, v)| v.trim().to_string())
        })
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[end..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Request { head, body })
}

async fn answer(socket: &mut TcpStream, status: u16, content_type: &str, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status} Fault\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nx-amzn-RequestId: fault-proxy\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = socket.write_all(head.as_bytes()).await;
    let _ = socket.write_all(body).await;
}

async fn denied(socket: &mut TcpStream, json: bool, operation: &str) {
    let message = format!("User: arn:aws:sts::000000000000:assumed-role/SiloReadOnly/ana is not authorized to perform: {operation} because no identity-based policy allows it");
    if json {
        let head = "HTTP/1.1 403 Forbidden\r\nContent-Type: application/x-amz-json-1.1\r\nx-amzn-ErrorType: AccessDeniedException\r\nx-amzn-RequestId: fault-proxy\r\n";
        let body = serde_json::json!({ "__type": "AccessDeniedException", "message": message }).to_string();
        let text = format!("{head}Content-Length: {}\r\nConnection: close\r\n\r\n", body.len());
        let _ = socket.write_all(text.as_bytes()).await;
        let _ = socket.write_all(body.as_bytes()).await;
    } else {
        let body = format!("<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>{message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>");
        answer(socket, 403, "text/xml", body.as_bytes()).await;
    }
}

async fn throttle(socket: &mut TcpStream, json: bool) {
    if json {
        let head = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/x-amz-json-1.1\r\nx-amzn-ErrorType: ThrottlingException\r\nx-amzn-RequestId: fault-proxy\r\n";
        let body = br#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#;
        let text = format!("{head}Content-Length: {}\r\nConnection: close\r\n\r\n", body.len());
        let _ = socket.write_all(text.as_bytes()).await;
        let _ = socket.write_all(body).await;
    } else {
        let body = b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>";
        answer(socket, 400, "text/xml", body).await;
    }
}
