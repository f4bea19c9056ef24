//! Safe, bounded fetching of a web page for the `/push <url>` admin command.
//!
//! The fetch is hardened against SSRF:
//!
//! * only `http` and `https` URLs are accepted, at every redirect hop;
//! * the host is resolved up front and the request is refused if **any**
//!   resolved address is loopback, private, link-local, CGNAT, unique-local,
//!   multicast, documentation, reserved, … (see [`is_forbidden_ip`]), unless
//!   the host is listed in [`FetchPolicy::allowed_hosts`];
//! * the connection is pinned to exactly the addresses that were checked
//!   (`reqwest::ClientBuilder::resolve_to_addrs`), so a DNS rebind between the
//!   check and the connect cannot swap them;
//! * system/environment proxies are disabled (a proxy would resolve the host
//!   itself and bypass the check);
//! * redirects are followed by hand (at most [`FetchPolicy::max_redirects`]),
//!   re-checking scheme and address each time.
//!
//! It is bounded: the body is limited to [`FetchPolicy::max_bytes`] (checked
//! against `Content-Length` and while streaming), and the whole fetch,
//! DNS and redirects included, must finish within [`FetchPolicy::timeout`].
//!
//! All [`FetchError`] messages are in Simplified Chinese, ready to be shown to
//! the admin.
//!
//! Nothing here knows Telegram: the bot and the console both call [`fetch`].

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use url::{Host, Url};

/// `User-Agent` sent with every request.
pub const USER_AGENT: &str = "union-news-bot/0.1 (+push)";

/// `Accept` sent with every request: HTML first, then Word (docx), PDF, text.
const ACCEPT: &str = "text/html,application/xhtml+xml;q=0.9,\
application/vnd.openxmlformats-officedocument.wordprocessingml.document;q=0.9,\
application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5";

const ACCEPT_LANGUAGE: &str = "zh-CN,zh;q=0.9,en;q=0.5";

/// Environment variable read by [`FetchPolicy::from_env`].
pub const ALLOWED_HOSTS_ENV: &str = "PUSH_FETCH_ALLOWED_HOSTS";

const MIB: usize = 1024 * 1024;

/// Limits and exceptions for [`fetch`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchPolicy {
    /// Hosts that may be fetched even though they resolve to an internal
    /// address (e.g. an intranet CMS). Each entry is a host name, an IPv4
    /// address, an IPv6 address (bare `::1` or bracketed `[::1]`), optionally
    /// followed by `:port` (`cms.local:8080`, `[fd00::5]:8443`). An entry
    /// without a port allows every port. Matching is case-insensitive and
    /// uses the same normalisation as URLs (IDNA, `0x7f.1` → `127.0.0.1`, …).
    /// An allowed host still cannot use a scheme other than http/https.
    pub allowed_hosts: Vec<String>,
    /// Maximum body size in bytes (default 5 MiB).
    pub max_bytes: usize,
    /// Time limit for the whole fetch, redirects included (default 15 s).
    pub timeout: Duration,
    /// Maximum number of redirects followed (default 5).
    pub max_redirects: usize,
}

impl Default for FetchPolicy {
    /// No allowed internal hosts, 5 MiB, 15 s, 5 redirects.
    fn default() -> Self {
        FetchPolicy {
            allowed_hosts: Vec::new(),
            max_bytes: 5 * MIB,
            timeout: Duration::from_secs(15),
            max_redirects: 5,
        }
    }
}

impl FetchPolicy {
    /// Default policy, with `allowed_hosts` taken from the
    /// `PUSH_FETCH_ALLOWED_HOSTS` environment variable: a comma-separated
    /// list (ASCII `,` or full-width `，`; blanks ignored), e.g.
    /// `PUSH_FETCH_ALLOWED_HOSTS=cms.internal,10.1.2.3:8080,[fd00::1]`.
    pub fn from_env() -> Self {
        let allowed_hosts = std::env::var(ALLOWED_HOSTS_ENV)
            .map(|v| split_host_list(&v))
            .unwrap_or_default();
        FetchPolicy {
            allowed_hosts,
            ..FetchPolicy::default()
        }
    }
}

fn split_host_list(value: &str) -> Vec<String> {
    value
        .split([',', '，'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A successfully fetched resource.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// URL of the response actually read (after redirects).
    pub final_url: Url,
    /// The raw body (not decoded; at most `max_bytes`).
    pub bytes: Vec<u8>,
    /// Media type from `Content-Type`, lower-cased and without parameters,
    /// e.g. `text/html`.
    pub content_type: Option<String>,
    /// `charset` parameter of `Content-Type`, lower-cased and unquoted,
    /// e.g. `gbk`. (A page may still declare another one in `<meta>`.)
    pub charset: Option<String>,
    /// File name from `Content-Disposition` (`filename*` preferred over
    /// `filename`), else the last segment of the final URL's path if that is
    /// not empty; percent-decoded, directories and control characters removed.
    pub file_name: Option<String>,
}

impl Fetched {
    /// A response as [`fetch`] reads it, from its raw `Content-Type` and
    /// `Content-Disposition` headers (either may be missing), the address it
    /// came from and its body. No I/O: what the headers say is read here, so
    /// tests and fuzz targets can build any response without a server.
    pub fn from_response(
        final_url: Url,
        content_type: Option<&[u8]>,
        content_disposition: Option<&[u8]>,
        bytes: Vec<u8>,
    ) -> Fetched {
        let content_type_raw = content_type.map(String::from_utf8_lossy);
        let file_name = content_disposition
            .and_then(disposition_file_name)
            .or_else(|| url_file_name(&final_url));
        Fetched {
            content_type: content_type_raw.as_deref().and_then(media_type),
            charset: content_type_raw.as_deref().and_then(charset_param),
            file_name,
            final_url,
            bytes,
        }
    }

    /// What the reader is told of the body: its file name, media type and
    /// charset.
    pub fn input(&self) -> crate::document::DocumentInput {
        crate::document::DocumentInput::fetched(
            self.file_name.as_deref().unwrap_or_default(),
            self.content_type.as_deref(),
            self.charset.as_deref(),
        )
    }

    /// The text of the page read in this process, as the reader child reads
    /// it ([`crate::document::read_document`]): for tests and fuzz targets;
    /// the bot reads through its `DocumentReader`.
    pub fn page_text(
        &self,
    ) -> Result<crate::document::DocumentReading, crate::document::Unreadable> {
        crate::document::read_document(&self.input(), &self.bytes)
    }
}

/// Why a fetch failed. `Display` gives a Simplified Chinese message for the
/// admin; the fields carry details for logs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The text is not a valid absolute URL (or has no host).
    #[error("链接格式不正确：{0}")]
    InvalidUrl(String),
    /// Scheme other than http/https (file:, ftp:, javascript:, data:, …);
    /// carries the scheme.
    #[error("只能抓取 http 或 https 链接")]
    Scheme(String),
    /// The host is, or resolves to, an internal address and is not in
    /// `allowed_hosts`. `addr` is the offending address (None for names
    /// such as `localhost` that are refused without resolving).
    #[error("这个地址指向内网，不能抓取")]
    Forbidden {
        /// Host as written in the URL.
        host: String,
        /// The internal address found, if the host was resolved.
        addr: Option<IpAddr>,
    },
    /// The host name could not be resolved.
    #[error("找不到这个网站（无法解析域名 {host}）")]
    Dns {
        /// Host name that failed.
        host: String,
        /// Resolver error text.
        detail: String,
    },
    /// More redirects than `max_redirects`; carries the limit.
    #[error("跳转次数太多（超过 {0} 次）")]
    TooManyRedirects(usize),
    /// Body (declared or streamed) larger than `max_bytes`.
    #[error("网页太大（超过 {}）", human_size(*.limit))]
    TooLarge {
        /// The limit that was exceeded, in bytes.
        limit: usize,
    },
    /// The whole fetch took longer than `timeout`.
    #[error("抓取超时（{} 秒）", human_secs(*.0))]
    Timeout(Duration),
    /// The final response was not 2xx (a 3xx without `Location` included).
    #[error("网站返回错误 {0}")]
    Status(u16),
    /// Connecting or sending the request failed (refused, TLS error, …).
    #[error("无法连接：{0}")]
    Connect(String),
    /// The connection broke while reading the body.
    #[error("读取网页内容失败：{0}")]
    Body(String),
}

fn human_size(bytes: usize) -> String {
    if bytes >= MIB {
        if bytes.is_multiple_of(MIB) {
            format!("{} MB", bytes / MIB)
        } else {
            format!("{:.1} MB", bytes as f64 / MIB as f64)
        }
    } else if bytes >= 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{bytes} 字节")
    }
}

fn human_secs(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{}", ms / 1000)
    } else {
        let s = format!("{:.1}", d.as_secs_f64());
        s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
    }
}

// ---------------------------------------------------------------------------
// Address policy
// ---------------------------------------------------------------------------

/// True if `ip` must not be fetched (unless explicitly allowed): anything
/// that is not a plain public unicast address.
///
/// IPv4: 0.0.0.0/8, 10/8, 100.64/10 (CGNAT), 127/8, 169.254/16, 172.16/12,
/// 192.0.0/24, 192.0.2/24, 192.88.99/24, 192.168/16, 198.18/15,
/// 198.51.100/24, 203.0.113/24, 224/4 (multicast), 240/4 (reserved,
/// broadcast).
/// IPv6: `::`, `::1`, IPv4-mapped `::ffff:0:0/96`, IPv4-compatible `::/96`,
/// NAT64 `64:ff9b::/96` and 6to4 `2002::/16` (checked by their embedded IPv4),
/// `64:ff9b:1::/48`, `100::/64`, `2001::/23` (incl. Teredo), `2001:db8::/32`,
/// `3fff::/20`, `fc00::/7`, `fe80::/10`, `fec0::/10`, `ff00::/8`.
pub fn is_forbidden_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_forbidden_v4(v4),
        IpAddr::V6(v6) => is_forbidden_v6(v6),
    }
}

fn is_forbidden_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    a == 0                                  // "this network", 0.0.0.0/8
        || a == 10                          // private
        || (a == 100 && (b & 0xc0) == 64)   // CGNAT 100.64/10
        || a == 127                         // loopback
        || (a == 169 && b == 254)           // link-local
        || (a == 172 && (b & 0xf0) == 16)   // private 172.16/12
        || (a == 192 && b == 0 && c == 0)   // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2)   // TEST-NET-1
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
        || (a == 192 && b == 168)           // private
        || (a == 198 && (b & 0xfe) == 18)   // benchmarking 198.18/15
        || (a == 198 && b == 51 && c == 100) // TEST-NET-2
        || (a == 203 && b == 0 && c == 113) // TEST-NET-3
        || a >= 224 // multicast 224/4, reserved 240/4, broadcast
}

fn is_forbidden_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let embedded_v4 =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    // IPv4-mapped ::ffff:a.b.c.d
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_forbidden_v4(v4);
    }
    // ::/96: unspecified, loopback, deprecated IPv4-compatible ::a.b.c.d
    if s[..6] == [0; 6] {
        return true;
    }
    // NAT64 well-known prefix 64:ff9b::/96 → check the embedded IPv4
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_forbidden_v4(embedded_v4(s[6], s[7]));
    }
    // 6to4 2002:AABB:CCDD::/48 → check the embedded IPv4
    if s[0] == 0x2002 {
        return is_forbidden_v4(embedded_v4(s[1], s[2]));
    }
    (s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1)   // local-use NAT64 64:ff9b:1::/48
        || (s[0] == 0x100 && s[1..4] == [0, 0, 0])  // discard-only 100::/64
        || (s[0] == 0x2001 && s[1] < 0x200)         // 2001::/23 IETF (Teredo, …)
        || (s[0] == 0x2001 && s[1] == 0xdb8)        // documentation
        || (s[0] & 0xfff0) == 0x3ff0                // documentation 3fff::/20
        || (s[0] & 0xfe00) == 0xfc00                // unique-local fc00::/7
        || (s[0] & 0xffc0) == 0xfe80                // link-local fe80::/10
        || (s[0] & 0xffc0) == 0xfec0                // site-local fec0::/10
        || (s[0] & 0xff00) == 0xff00 // multicast
}

/// Names that always mean "this machine" (RFC 6761), refused without DNS.
fn is_localhost_name(domain: &str) -> bool {
    let d = domain.trim_end_matches('.').to_ascii_lowercase();
    d == "localhost" || d.ends_with(".localhost")
}

/// One parsed `allowed_hosts` entry.
#[derive(Debug, PartialEq)]
struct AllowEntry {
    host: Host<String>,
    port: Option<u16>,
}

/// Parses `host`, `host:port`, `1.2.3.4:80`, `::1`, `[::1]`, `[::1]:8080`.
/// A leading `http://`/`https://` and anything after a `/` are tolerated.
fn parse_allow_entry(raw: &str) -> Option<AllowEntry> {
    let mut s = raw.trim();
    for prefix in ["http://", "https://"] {
        if s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix) {
            s = &s[prefix.len()..];
        }
    }
    let s = s.split('/').next().unwrap_or("").trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(v6) = s.parse::<Ipv6Addr>() {
        return Some(AllowEntry {
            host: Host::Ipv6(v6),
            port: None,
        });
    }
    let (host_part, port) = if s.starts_with('[') {
        let close = s.find(']')?;
        let rest = &s[close + 1..];
        let port = match rest.strip_prefix(':') {
            Some(p) => Some(p.parse().ok()?),
            None if rest.is_empty() => None,
            None => return None,
        };
        (&s[..=close], port)
    } else if let Some((h, p)) = s.rsplit_once(':') {
        (h, Some(p.parse().ok()?))
    } else {
        (s, None)
    };
    let host = match Host::parse(host_part).ok()? {
        Host::Domain(d) => Host::Domain(d.trim_end_matches('.').to_owned()),
        other => other,
    };
    Some(AllowEntry { host, port })
}

fn is_allowed(host: &Host<&str>, port: u16, allow: &[AllowEntry]) -> bool {
    let host = match host {
        Host::Domain(d) => Host::Domain(d.trim_end_matches('.').to_ascii_lowercase()),
        other => other.to_owned(),
    };
    allow
        .iter()
        .any(|e| e.host == host && e.port.is_none_or(|p| p == port))
}

/// Where to connect for one hop: `Some((domain, addrs))` pins a domain to the
/// checked addresses; `None` for IP literals (no DNS involved).
type Pin = Option<(String, Vec<SocketAddr>)>;

/// Checks scheme and address of `url`; resolves the host name.
async fn check_target(url: &Url, allow: &[AllowEntry]) -> Result<Pin, FetchError> {
    match url.scheme() {
        "http" | "https" => {}
        other => return Err(FetchError::Scheme(other.to_owned())),
    }
    let host = url
        .host()
        .ok_or_else(|| FetchError::InvalidUrl("缺少网站地址".to_owned()))?;
    let port = url
        .port_or_known_default()
        .ok_or_else(|| FetchError::InvalidUrl("缺少端口".to_owned()))?;
    let allowed = is_allowed(&host, port, allow);
    let forbidden = |addr: Option<IpAddr>| FetchError::Forbidden {
        host: url.host_str().unwrap_or_default().to_owned(),
        addr,
    };
    match host {
        Host::Ipv4(ip) if !allowed && is_forbidden_v4(ip) => Err(forbidden(Some(ip.into()))),
        Host::Ipv6(ip) if !allowed && is_forbidden_v6(ip) => Err(forbidden(Some(ip.into()))),
        Host::Ipv4(_) | Host::Ipv6(_) => Ok(None),
        Host::Domain(domain) => {
            if !allowed && is_localhost_name(domain) {
                return Err(forbidden(None));
            }
            let dns_err = |detail: String| FetchError::Dns {
                host: domain.to_owned(),
                detail,
            };
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((domain, port))
                .await
                .map_err(|e| dns_err(e.to_string()))?
                .collect();
            if addrs.is_empty() {
                return Err(dns_err("no addresses".to_owned()));
            }
            let bad = addrs.iter().find(|a| is_forbidden_ip(a.ip()));
            match bad {
                Some(bad) if !allowed => Err(forbidden(Some(bad.ip()))),
                _ => Ok(Some((domain.to_owned(), addrs))),
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Fetch
// ---------------------------------------------------------------------------

/// Fetches `url` under `policy`, following redirects by hand.
///
/// Errors: [`FetchError::InvalidUrl`], [`FetchError::Scheme`],
/// [`FetchError::Forbidden`], [`FetchError::Dns`],
/// [`FetchError::TooManyRedirects`], [`FetchError::TooLarge`],
/// [`FetchError::Timeout`], [`FetchError::Status`],
/// [`FetchError::Connect`], [`FetchError::Body`].
///
/// Needs a Tokio runtime with the time and net drivers enabled.
pub async fn fetch(url: &str, policy: &FetchPolicy) -> Result<Fetched, FetchError> {
    match tokio::time::timeout(policy.timeout, fetch_unbounded(url, policy)).await {
        Ok(result) => result,
        Err(_elapsed) => Err(FetchError::Timeout(policy.timeout)),
    }
}

async fn fetch_unbounded(url: &str, policy: &FetchPolicy) -> Result<Fetched, FetchError> {
    let allow: Vec<AllowEntry> = policy
        .allowed_hosts
        .iter()
        .filter_map(|h| parse_allow_entry(h))
        .collect();
    let mut current = Url::parse(url.trim()).map_err(|e| FetchError::InvalidUrl(e.to_string()))?;
    let mut redirects = 0usize;

    loop {
        let pin = check_target(&current, &allow).await?;
        let client = build_client(pin, policy)?;
        let mut request_url = current.clone();
        request_url.set_fragment(None);
        let response = client
            .get(request_url)
            .send()
            .await
            .map_err(|e| map_send_error(e, policy))?;

        let status = response.status();
        let location = match status.as_u16() {
            301 | 302 | 303 | 307 | 308 => response.headers().get(header::LOCATION),
            _ => None,
        };
        if let Some(location) = location {
            if redirects >= policy.max_redirects {
                return Err(FetchError::TooManyRedirects(policy.max_redirects));
            }
            let location = String::from_utf8_lossy(location.as_bytes());
            let next = current
                .join(location.trim())
                .map_err(|e| FetchError::InvalidUrl(format!("跳转地址无效（{e}）")))?;
            redirects += 1;
            current = next;
            continue;
        }
        if !status.is_success() {
            return Err(FetchError::Status(status.as_u16()));
        }
        return read_body(response, current, policy).await;
    }
}

fn build_client(pin: Pin, policy: &FetchPolicy) -> Result<reqwest::Client, FetchError> {
    let mut headers = HeaderMap::new();
    headers.insert(header::ACCEPT, HeaderValue::from_static(ACCEPT));
    headers.insert(
        header::ACCEPT_LANGUAGE,
        HeaderValue::from_static(ACCEPT_LANGUAGE),
    );
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy() // a proxy would do its own DNS and skip our check
        .user_agent(USER_AGENT)
        .default_headers(headers)
        .timeout(policy.timeout)
        .pool_max_idle_per_host(0);
    if let Some((domain, addrs)) = pin {
        builder = builder.resolve_to_addrs(&domain, &addrs);
    }
    builder
        .build()
        .map_err(|e| FetchError::Connect(error_detail(&e)))
}

fn map_send_error(e: reqwest::Error, policy: &FetchPolicy) -> FetchError {
    if e.is_timeout() {
        FetchError::Timeout(policy.timeout)
    } else {
        FetchError::Connect(error_detail(&e))
    }
}

/// The innermost cause is usually the informative one
/// ("Connection refused (os error 111)", "invalid peer certificate: …").
fn error_detail(e: &(dyn std::error::Error + 'static)) -> String {
    let mut inner: &(dyn std::error::Error + 'static) = e;
    while let Some(source) = inner.source() {
        inner = source;
    }
    inner.to_string()
}

async fn read_body(
    mut response: reqwest::Response,
    final_url: Url,
    policy: &FetchPolicy,
) -> Result<Fetched, FetchError> {
    let too_large = FetchError::TooLarge {
        limit: policy.max_bytes,
    };
    let declared = response.content_length();
    if declared.is_some_and(|n| n > policy.max_bytes as u64) {
        return Err(too_large);
    }
    let headers = response.headers();
    let raw = |name| headers.get(name).map(|v| v.as_bytes().to_vec());
    let content_type = raw(header::CONTENT_TYPE);
    let disposition = raw(header::CONTENT_DISPOSITION);

    let initial = declared
        .map_or(16 * 1024, |n| n as usize)
        .min(policy.max_bytes);
    let mut bytes = Vec::with_capacity(initial);
    while let Some(chunk) = response.chunk().await.map_err(|e| {
        if e.is_timeout() {
            FetchError::Timeout(policy.timeout)
        } else {
            FetchError::Body(error_detail(&e))
        }
    })? {
        if bytes.len() + chunk.len() > policy.max_bytes {
            return Err(too_large); // dropping `response` closes the connection
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Fetched::from_response(
        final_url,
        content_type.as_deref(),
        disposition.as_deref(),
        bytes,
    ))
}

// ---------------------------------------------------------------------------
// Header helpers
// ---------------------------------------------------------------------------

fn media_type(content_type: &str) -> Option<String> {
    let t = content_type.split(';').next()?.trim();
    (!t.is_empty()).then(|| t.to_ascii_lowercase())
}

fn charset_param(content_type: &str) -> Option<String> {
    split_params(content_type)
        .into_iter()
        .skip(1)
        .find_map(|p| {
            let (k, v) = p.split_once('=')?;
            if !k.trim().eq_ignore_ascii_case("charset") {
                return None;
            }
            let v = unquote(v.trim()).trim().to_ascii_lowercase();
            (!v.is_empty()).then_some(v)
        })
}

/// Splits on `;` outside double quotes.
fn split_params(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut in_quotes, mut escaped) = (0, false, false);
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

fn unquote(v: &str) -> String {
    match v.strip_prefix('"') {
        Some(inner) => {
            let inner = inner.strip_suffix('"').unwrap_or(inner);
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                } else {
                    out.push(c);
                }
            }
            out
        }
        None => v.to_owned(),
    }
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |x: u8| (x as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// Keeps only the last path component, drops control characters; rejects
/// empty, `.` and `..`.
fn clean_file_name(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last.chars().filter(|c| !c.is_control()).collect();
    let cleaned = cleaned.trim();
    (!cleaned.is_empty() && cleaned != "." && cleaned != "..").then(|| cleaned.to_owned())
}

/// `filename*=charset'lang'pct` (RFC 5987/6266) wins over `filename=`.
/// A plain `filename` that is percent-encoded UTF-8 (common on Chinese
/// sites) is decoded; raw UTF-8 bytes are accepted too.
fn disposition_file_name(raw: &[u8]) -> Option<String> {
    let value = String::from_utf8_lossy(raw);
    let mut plain = None;
    let mut extended = None;
    for param in split_params(&value).into_iter().skip(1) {
        let Some((k, v)) = param.split_once('=') else {
            continue;
        };
        let k = k.trim().to_ascii_lowercase();
        let v = v.trim();
        if k == "filename*" {
            let mut parts = v.splitn(3, '\'');
            let (Some(charset), Some(_lang), Some(encoded)) =
                (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let bytes = percent_decode(unquote(encoded).as_str());
            extended = Some(if charset.eq_ignore_ascii_case("utf-8") {
                String::from_utf8_lossy(&bytes).into_owned()
            } else {
                bytes.iter().map(|&b| b as char).collect() // ISO-8859-1
            });
        } else if k == "filename" {
            let v = unquote(v);
            let decoded = if v.contains('%') {
                String::from_utf8(percent_decode(&v)).unwrap_or(v)
            } else {
                v
            };
            plain = Some(decoded);
        }
    }
    extended
        .and_then(|n| clean_file_name(&n))
        .or_else(|| plain.and_then(|n| clean_file_name(&n)))
}

fn url_file_name(url: &Url) -> Option<String> {
    let last = url.path_segments()?.next_back()?;
    if last.is_empty() {
        return None;
    }
    clean_file_name(&String::from_utf8_lossy(&percent_decode(last)))
}

// ---------------------------------------------------------------------------
// Admin text
// ---------------------------------------------------------------------------

/// Finds the first http(s) URL in an admin's message, e.g.
/// `/push 请收录 http://x.cn/n/1.shtml。` → `http://x.cn/n/1.shtml`.
///
/// The URL ends at whitespace (incl. the ideographic space), at CJK or
/// full-width punctuation (`，。、；：！？（）【】「」《》“”‘’…`), or at `<>"``.
/// Trailing ASCII `.,;:!?'` and unbalanced `)` `]` are stripped. CJK letters
/// inside the path are kept (and percent-encoded by the URL parser). Returns
/// `None` if there is no parseable http/https URL with a host.
pub fn parse_push_url(text: &str) -> Option<Url> {
    let lower = text.to_ascii_lowercase(); // same byte offsets as `text`
    let mut from = 0;
    while let Some(rel) = lower[from..].find("http") {
        let start = from + rel;
        from = start + 4;
        let after = &lower[start + 4..];
        if !(after.starts_with("://") || after.starts_with("s://")) {
            continue;
        }
        let rest = &text[start..];
        let end = rest
            .char_indices()
            .find(|&(_, c)| ends_url(c))
            .map_or(rest.len(), |(i, _)| i);
        let candidate = trim_url_tail(&rest[..end]);
        let found = Url::parse(candidate).ok().filter(|url| {
            matches!(url.scheme(), "http" | "https")
                && url.host_str().is_some_and(|h| !h.is_empty())
        });
        if found.is_some() {
            return found;
        }
    }
    None
}

fn ends_url(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '<' | '>' | '"' | '`')
        || ('\u{2010}'..='\u{205F}').contains(&c) // general punctuation: “” ‘’ … —
        || ('\u{3000}'..='\u{303F}').contains(&c) // CJK punctuation: 。、「」【】《》
        || ('\u{FE10}'..='\u{FE1F}').contains(&c) // vertical forms
        || ('\u{FE30}'..='\u{FE4F}').contains(&c) // CJK compatibility forms
        || ('\u{FF00}'..='\u{FF65}').contains(&c) // full-width ASCII: （），！：；？
}

fn trim_url_tail(mut s: &str) -> &str {
    loop {
        let Some(last) = s.chars().next_back() else {
            return s;
        };
        let strip = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' => true,
            ')' => s.matches('(').count() < s.matches(')').count(),
            ']' => s.matches('[').count() < s.matches(']').count(),
            _ => false,
        };
        if !strip {
            return s;
        }
        s = &s[..s.len() - last.len_utf8()];
    }
}

// ---------------------------------------------------------------------------
// Tests (all local: a raw HTTP/1.1 server on 127.0.0.1)
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// `/push https://…`: the link fetched and read, for the bot and the console.
// ---------------------------------------------------------------------------

use crate::document::{DocumentReader, Unreadable};
use crate::request::Request;

/// Why a pushed link was not pushed: the front end says it to the admin
/// (`reply::text::push_link_refused`).
#[derive(Debug)]
pub enum LinkRefused {
    /// It was not fetched (its scheme, its address, its size, its time …).
    Fetch(FetchError),
    /// It was fetched, and its page could not be read.
    Read(Unreadable),
    /// Reading it failed on our side (logged).
    Failed,
}

/// True when the text after `/push` is a link alone (words around it, such
/// as 「请收录」, are allowed; a pasted article that quotes a link is not).
fn is_only_a_link(after: &str) -> bool {
    let letters = after
        .split_whitespace()
        .filter(|w| !w.contains("://"))
        .map(|w| w.chars().count())
        .sum::<usize>();
    letters <= 12
}

/// The scheme of a link after `/push` of a kind never fetched nor taken
/// for an article: `data:` (a whole page in the link, however long),
/// `javascript:`, `file:`, `blob:`, `about:`, or any `scheme://` other than
/// http/https; `None` unless the text opens with that link (what follows
/// may be the rest of a `data:` link with spaces in it) or says little
/// else (such as 「请收录」, as for a link that is fetched).
fn never_fetched_scheme(after: &str) -> Option<String> {
    const NEVER_FETCHED: [&str; 6] = ["data", "javascript", "vbscript", "file", "blob", "about"];
    let words: Vec<&str> = after.split_whitespace().collect();
    let (at, scheme) = words.iter().enumerate().find_map(|(at, word)| {
        let url = Url::parse(word).ok()?;
        let scheme = url.scheme();
        let refused = NEVER_FETCHED.contains(&scheme)
            || (word.contains("://") && !matches!(scheme, "http" | "https"));
        refused.then(|| (at, scheme.to_string()))
    })?;
    if at == 0 {
        return Some(scheme);
    }
    let letters: usize = words
        .iter()
        .enumerate()
        .filter(|&(i, w)| i != at && !w.contains("://"))
        .map(|(_, w)| w.chars().count())
        .sum();
    (letters <= 12).then_some(scheme)
}

/// The push of the page at the link an admin sent after `/push`: fetched,
/// read ([`crate::document::fetched_text`]) and pushed with the link as its
/// source; or the reason it cannot be, as the admin reads it. `None` when
/// the text is no link alone (a pasted article that quotes one).
pub async fn pushed_link(
    after: &str,
    policy: &FetchPolicy,
    reader: &DocumentReader,
) -> Option<Result<Request, LinkRefused>> {
    if let Some(scheme) = never_fetched_scheme(after) {
        return Some(Err(LinkRefused::Fetch(FetchError::Scheme(scheme))));
    }
    if !is_only_a_link(after) {
        return None;
    }
    let Some(url) = parse_push_url(after) else {
        // `ftp://…`, `file:///…`: a link alone, of a kind never fetched.
        let scheme_only = after.split_whitespace().any(|w| w.contains("://"));
        return scheme_only.then(|| {
            Err(LinkRefused::Fetch(FetchError::Scheme(
                after.trim().to_string(),
            )))
        });
    };
    Some(fetch_page(policy, url.as_str(), reader).await)
}

/// Fetches a pushed link and reads its page (in the reader's bounded
/// child, waited for on a blocking thread).
async fn fetch_page(
    policy: &FetchPolicy,
    url: &str,
    reader: &DocumentReader,
) -> Result<Request, LinkRefused> {
    let fetched = fetch(url, policy).await.map_err(LinkRefused::Fetch)?;
    let input = fetched.input();
    let reader = reader.clone();
    let final_url = fetched.final_url.to_string();
    let bytes = fetched.bytes;
    let page = tokio::task::spawn_blocking(move || reader.read(&input, &bytes))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "reading a fetched page failed");
            LinkRefused::Failed
        })?
        .map_err(|e| {
            tracing::info!(url = %final_url, reason = %e, "a fetched page was refused");
            LinkRefused::Read(e)
        })?;
    Ok(Request::push_fetched(page.text, final_url))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::time::Instant;

    /// "新闻稿" in GBK.
    const GBK_BODY: &[u8] =
        b"<html><head><title>\xd0\xc2\xce\xc5\xb8\xe5</title></head><body>ok</body></html>";

    static HUGE_WRITTEN: AtomicUsize = AtomicUsize::new(0);
    static HUGE_DONE: AtomicBool = AtomicBool::new(false);
    const HUGE_TOTAL: usize = 64 * MIB;

    struct Server {
        port: u16,
    }

    /// One shared server for all tests; each connection is handled in its own
    /// thread and closed after one response (`Connection: close`).
    fn server() -> &'static Server {
        static SERVER: OnceLock<Server> = OnceLock::new();
        SERVER.get_or_init(|| {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let port = listener.local_addr().unwrap().port();
            std::thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    std::thread::spawn(move || handle(stream, port));
                }
            });
            Server { port }
        })
    }

    fn read_request_path(stream: &mut TcpStream) -> Option<String> {
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        let mut buf = Vec::new();
        let mut tmp = [0u8; 1024];
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 16 * 1024 {
            let n = stream.read(&mut tmp).ok()?;
            if n == 0 {
                return None;
            }
            buf.extend_from_slice(&tmp[..n]);
        }
        let head = String::from_utf8_lossy(&buf);
        let line = head.lines().next()?;
        Some(line.split(' ').nth(1)?.to_owned())
    }

    fn respond(stream: &mut TcpStream, status: &str, headers: &[(&str, String)], body: &[u8]) {
        let mut out = format!(
            "HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (k, v) in headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str("\r\n");
        let _ = stream.write_all(out.as_bytes());
        let _ = stream.write_all(body);
    }

    fn redirect(stream: &mut TcpStream, to: String) {
        respond(stream, "302 Found", &[("Location", to)], b"");
    }

    fn handle(mut stream: TcpStream, port: u16) {
        let Some(path) = read_request_path(&mut stream) else {
            return;
        };
        let base = format!("http://127.0.0.1:{port}");
        match path.as_str() {
            "/news/page.html" => respond(
                &mut stream,
                "200 OK",
                &[("Content-Type", "text/html; charset=gbk".into())],
                GBK_BODY,
            ),
            "/r1" => redirect(&mut stream, "/r2".into()),
            "/r2" => redirect(&mut stream, format!("{base}/final.txt")),
            "/final.txt" => respond(&mut stream, "200 OK", &[("Content-Type", "text/plain".into())], b"done"),
            "/to-localhost" => redirect(&mut stream, format!("http://localhost:{port}/news/page.html")),
            "/to-other-port" => redirect(&mut stream, "http://127.0.0.1:1/".into()),
            "/to-file" => redirect(&mut stream, "file:///etc/passwd".into()),
            "/loop" => redirect(&mut stream, "/loop".into()),
            "/doc" => respond(
                &mut stream,
                "200 OK",
                &[
                    (
                        "Content-Type",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document".into(),
                    ),
                    (
                        "Content-Disposition",
                        "attachment; filename=\"fallback.docx\"; filename*=UTF-8''%E6%96%B0%E9%97%BB.docx".into(),
                    ),
                ],
                b"PK\x03\x04",
            ),
            "/declared-huge" => {
                let head = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 100000000\r\n\r\n";
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&[b'x'; 1024]);
                std::thread::sleep(Duration::from_secs(2));
            }
            "/huge" => {
                // No Content-Length: body ends when the connection closes.
                let head = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n";
                let _ = stream.write_all(head.as_bytes());
                let chunk = vec![b'a'; 64 * 1024];
                let mut written = 0;
                while written < HUGE_TOTAL {
                    match stream.write(&chunk) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            written += n;
                            HUGE_WRITTEN.store(written, Ordering::SeqCst);
                        }
                    }
                }
                HUGE_DONE.store(true, Ordering::SeqCst);
            }
            "/stall" => std::thread::sleep(Duration::from_secs(5)),
            _ => respond(&mut stream, "404 Not Found", &[("Content-Type", "text/plain".into())], b"nope"),
        }
    }

    fn local_policy() -> FetchPolicy {
        FetchPolicy {
            allowed_hosts: vec![format!("127.0.0.1:{}", server().port)],
            ..FetchPolicy::default()
        }
    }

    fn url(path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", server().port)
    }

    // --- against the local server ---------------------------------------

    #[tokio::test]
    async fn html_page_with_gbk_charset() {
        let f = fetch(&url("/news/page.html"), &local_policy())
            .await
            .unwrap();
        assert_eq!(f.bytes, GBK_BODY);
        assert_eq!(f.content_type.as_deref(), Some("text/html"));
        assert_eq!(f.charset.as_deref(), Some("gbk"));
        assert_eq!(f.file_name.as_deref(), Some("page.html"));
        assert_eq!(f.final_url.as_str(), url("/news/page.html"));
    }

    #[tokio::test]
    async fn redirect_chain_is_followed() {
        let f = fetch(&url("/r1"), &local_policy()).await.unwrap();
        assert_eq!(f.bytes, b"done");
        assert_eq!(f.final_url.as_str(), url("/final.txt"));
        assert_eq!(f.charset, None);
    }

    #[tokio::test]
    async fn redirect_chain_longer_than_limit() {
        let policy = FetchPolicy {
            max_redirects: 1,
            ..local_policy()
        };
        let err = fetch(&url("/r1"), &policy).await.unwrap_err();
        assert!(matches!(err, FetchError::TooManyRedirects(1)), "{err:?}");
    }

    #[tokio::test]
    async fn redirect_to_loopback_not_allowed_is_refused() {
        let err = fetch(&url("/to-localhost"), &local_policy())
            .await
            .unwrap_err();
        assert!(matches!(err, FetchError::Forbidden { .. }), "{err:?}");
        assert_eq!(err.to_string(), "这个地址指向内网，不能抓取");
        // allowed entry has a port: the same IP on another port is not allowed
        let err = fetch(&url("/to-other-port"), &local_policy())
            .await
            .unwrap_err();
        assert!(matches!(err, FetchError::Forbidden { .. }), "{err:?}");
    }

    #[tokio::test]
    async fn redirect_to_file_scheme_is_refused() {
        let err = fetch(&url("/to-file"), &local_policy()).await.unwrap_err();
        assert!(
            matches!(&err, FetchError::Scheme(s) if s == "file"),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn endless_redirect_loop() {
        let err = fetch(&url("/loop"), &local_policy()).await.unwrap_err();
        assert!(matches!(err, FetchError::TooManyRedirects(5)), "{err:?}");
        assert_eq!(err.to_string(), "跳转次数太多（超过 5 次）");
    }

    #[tokio::test]
    async fn huge_streamed_body_stops_early() {
        let policy = FetchPolicy {
            max_bytes: 256 * 1024,
            ..local_policy()
        };
        let err = fetch(&url("/huge"), &policy).await.unwrap_err();
        assert!(
            matches!(err, FetchError::TooLarge { limit } if limit == 256 * 1024),
            "{err:?}"
        );
        assert_eq!(err.to_string(), "网页太大（超过 256 KB）");
        let deadline = Instant::now() + Duration::from_secs(10);
        while !HUGE_DONE.load(Ordering::SeqCst) && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(HUGE_DONE.load(Ordering::SeqCst), "server kept writing");
        let written = HUGE_WRITTEN.load(Ordering::SeqCst);
        // Only socket buffers' worth beyond the limit, far from the 64 MiB on offer.
        eprintln!("huge: server wrote {written} bytes before the client hung up");
        assert!(written < HUGE_TOTAL / 4, "server wrote {written} bytes");
    }

    #[tokio::test]
    async fn declared_content_length_over_limit() {
        let policy = FetchPolicy {
            max_bytes: 1024 * 1024,
            ..local_policy()
        };
        let started = Instant::now();
        let err = fetch(&url("/declared-huge"), &policy).await.unwrap_err();
        assert!(matches!(err, FetchError::TooLarge { .. }), "{err:?}");
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "did not refuse by header"
        );
        assert_eq!(err.to_string(), "网页太大（超过 1 MB）");
    }

    #[tokio::test]
    async fn stalled_server_times_out() {
        let policy = FetchPolicy {
            timeout: Duration::from_millis(300),
            ..local_policy()
        };
        let started = Instant::now();
        let err = fetch(&url("/stall"), &policy).await.unwrap_err();
        assert!(matches!(err, FetchError::Timeout(_)), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(err.to_string(), "抓取超时（0.3 秒）");
    }

    #[tokio::test]
    async fn not_found_status() {
        let err = fetch(&url("/missing"), &local_policy()).await.unwrap_err();
        assert!(matches!(err, FetchError::Status(404)), "{err:?}");
        assert_eq!(err.to_string(), "网站返回错误 404");
    }

    #[tokio::test]
    async fn content_disposition_file_name() {
        let f = fetch(&url("/doc"), &local_policy()).await.unwrap();
        assert_eq!(f.file_name.as_deref(), Some("新闻.docx"));
        assert_eq!(
            f.content_type.as_deref(),
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
    }

    #[tokio::test]
    async fn allowed_host_without_port_allows_any_port() {
        let policy = FetchPolicy {
            allowed_hosts: vec!["127.0.0.1".into()],
            ..FetchPolicy::default()
        };
        assert!(fetch(&url("/news/page.html"), &policy).await.is_ok());
    }

    #[tokio::test]
    async fn allowed_domain_is_resolved_and_pinned() {
        // Goes through lookup_host("localhost") (/etc/hosts) and the
        // resolve_to_addrs pin; the server only listens on 127.0.0.1, so an
        // unpinned or IPv6-only connect would fail.
        let port = server().port;
        let policy = FetchPolicy {
            allowed_hosts: vec![format!("LOCALHOST:{port}")],
            ..FetchPolicy::default()
        };
        let f = fetch(&format!("http://localhost:{port}/news/page.html"), &policy)
            .await
            .unwrap();
        assert_eq!(f.bytes, GBK_BODY);
    }

    #[tokio::test]
    async fn connection_refused_message() {
        // Bind then drop to get a port nobody listens on.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let policy = FetchPolicy {
            allowed_hosts: vec!["127.0.0.1".into()],
            ..FetchPolicy::default()
        };
        let err = fetch(&format!("http://127.0.0.1:{port}/"), &policy)
            .await
            .unwrap_err();
        assert!(matches!(err, FetchError::Connect(_)), "{err:?}");
        assert!(err.to_string().starts_with("无法连接："), "{err}");
    }

    // --- refused before any connection -------------------------------------

    #[tokio::test]
    async fn loopback_refused_with_empty_allow_list() {
        let err = fetch(&url("/news/page.html"), &FetchPolicy::default())
            .await
            .unwrap_err();
        assert!(
            matches!(err, FetchError::Forbidden { addr: Some(a), .. } if a == IpAddr::from([127, 0, 0, 1])),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn non_http_schemes_refused() {
        for u in [
            "ftp://example.org/file",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "data:text/html,hi",
        ] {
            let err = fetch(u, &FetchPolicy::default()).await.unwrap_err();
            assert!(matches!(err, FetchError::Scheme(_)), "{u}: {err:?}");
            assert_eq!(err.to_string(), "只能抓取 http 或 https 链接");
        }
    }

    #[tokio::test]
    async fn internal_literals_and_localhost_refused() {
        let policy = FetchPolicy {
            timeout: Duration::from_secs(2),
            ..FetchPolicy::default()
        };
        for u in [
            "http://10.0.0.1/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://2130706433/",
            "http://0x7f.1/",
            "http://0177.0.0.1/",
            "http://0/",
            "http://localhost/",
            "http://LocalHost./x",
            "http://a.b.localhost/",
            "http://169.254.169.254/latest/meta-data/",
            "http://100.64.0.1/",
            "http://[fd00::1]/",
            "http://[fe80::1]/",
            "http://[64:ff9b::a00:1]/",
            "https://192.168.1.1:8443/",
        ] {
            let err = fetch(u, &policy).await.unwrap_err();
            assert!(matches!(err, FetchError::Forbidden { .. }), "{u}: {err:?}");
        }
    }

    #[tokio::test]
    async fn invalid_urls() {
        for u in ["", "not a url", "http://", "/relative/path"] {
            let err = fetch(u, &FetchPolicy::default()).await.unwrap_err();
            assert!(matches!(err, FetchError::InvalidUrl(_)), "{u:?}: {err:?}");
        }
    }

    // --- pure functions ------------------------------------------------------

    #[test]
    fn forbidden_ip_table() {
        let bad = [
            "0.0.0.0",
            "0.1.2.3",
            "10.1.2.3",
            "100.64.0.1",
            "100.127.255.255",
            "127.0.0.1",
            "127.8.8.8",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "192.168.0.1",
            "198.18.0.1",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:10.0.0.1",
            "::ffff:127.0.0.1",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b:1::1",
            "100::1",
            "2001::1",
            "2001:db8::1",
            "2002:7f00:1::",
            "2002:c0a8:101::1",
            "3fff::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "ff02::1",
        ];
        for ip in bad {
            assert!(
                is_forbidden_ip(ip.parse().unwrap()),
                "{ip} should be forbidden"
            );
        }
        let good = [
            "1.1.1.1",
            "8.8.8.8",
            "100.63.255.255",
            "100.128.0.1",
            "172.15.0.1",
            "172.32.0.1",
            "192.169.0.1",
            "198.20.0.1",
            "223.255.255.255",
            "2606:4700::1111",
            "2400:cb00::1",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
            "2001:4860:4860::8888",
        ];
        for ip in good {
            assert!(
                !is_forbidden_ip(ip.parse().unwrap()),
                "{ip} should be allowed"
            );
        }
    }

    #[test]
    fn allow_entries() {
        let e = |s| parse_allow_entry(s);
        let v6 = |s: &str| Host::Ipv6(s.parse().unwrap());
        assert_eq!(
            e("cms.local"),
            Some(AllowEntry {
                host: Host::Domain("cms.local".into()),
                port: None
            })
        );
        assert_eq!(
            e(" CMS.Local.:8080 "),
            Some(AllowEntry {
                host: Host::Domain("cms.local".into()),
                port: Some(8080)
            })
        );
        assert_eq!(
            e("10.1.2.3:80"),
            Some(AllowEntry {
                host: Host::Ipv4([10, 1, 2, 3].into()),
                port: Some(80)
            })
        );
        assert_eq!(
            e("::1"),
            Some(AllowEntry {
                host: v6("::1"),
                port: None
            })
        );
        assert_eq!(
            e("[::1]"),
            Some(AllowEntry {
                host: v6("::1"),
                port: None
            })
        );
        assert_eq!(
            e("[fd00::5]:8443"),
            Some(AllowEntry {
                host: v6("fd00::5"),
                port: Some(8443)
            })
        );
        assert_eq!(
            e("http://intranet/"),
            Some(AllowEntry {
                host: Host::Domain("intranet".into()),
                port: None
            })
        );
        assert_eq!(
            e("0x7f.1"),
            Some(AllowEntry {
                host: Host::Ipv4([127, 0, 0, 1].into()),
                port: None
            })
        );
        assert_eq!(e(""), None);
        assert_eq!(e("host:notaport"), None);
        assert_eq!(
            split_host_list(" a.cn, 10.0.0.2:81 ，,[::1] "),
            vec!["a.cn", "10.0.0.2:81", "[::1]"]
        );
    }

    #[test]
    fn defaults() {
        let p = FetchPolicy::default();
        assert_eq!(p.max_bytes, 5 * 1024 * 1024);
        assert_eq!(p.timeout, Duration::from_secs(15));
        assert_eq!(p.max_redirects, 5);
        assert!(p.allowed_hosts.is_empty());
    }

    #[test]
    fn chinese_messages() {
        assert_eq!(
            FetchError::TooLarge { limit: 5 * MIB }.to_string(),
            "网页太大（超过 5 MB）"
        );
        assert_eq!(
            FetchError::Timeout(Duration::from_secs(15)).to_string(),
            "抓取超时（15 秒）"
        );
        assert_eq!(FetchError::Status(404).to_string(), "网站返回错误 404");
        assert_eq!(
            FetchError::Scheme("ftp".into()).to_string(),
            "只能抓取 http 或 https 链接"
        );
        assert_eq!(
            FetchError::Connect("Connection refused (os error 111)".into()).to_string(),
            "无法连接：Connection refused (os error 111)"
        );
        assert_eq!(human_size(1536 * 1024), "1.5 MB");
        assert_eq!(human_size(500), "500 字节");
        assert_eq!(human_secs(Duration::from_millis(2500)), "2.5");
    }

    #[test]
    fn header_parsing() {
        assert_eq!(
            charset_param("text/html; charset=GBK").as_deref(),
            Some("gbk")
        );
        assert_eq!(
            charset_param("text/html;charset=\"utf-8\"").as_deref(),
            Some("utf-8")
        );
        assert_eq!(charset_param("text/html"), None);
        assert_eq!(
            media_type("Text/HTML; charset=gbk").as_deref(),
            Some("text/html")
        );
        assert_eq!(
            disposition_file_name(b"attachment; filename=\"a;b.pdf\"").as_deref(),
            Some("a;b.pdf")
        );
        assert_eq!(
            disposition_file_name(b"inline; filename=%E9%80%9A%E7%9F%A5.pdf").as_deref(),
            Some("通知.pdf")
        );
        assert_eq!(
            disposition_file_name("attachment; filename=\"通知.docx\"".as_bytes()).as_deref(),
            Some("通知.docx")
        );
        assert_eq!(
            disposition_file_name(b"attachment; filename=\"../../etc/passwd\"").as_deref(),
            Some("passwd")
        );
        assert_eq!(disposition_file_name(b"attachment"), None);
        let u = Url::parse("http://x.cn/files/%E9%80%9A%E7%9F%A5.pdf?x=1").unwrap();
        assert_eq!(url_file_name(&u).as_deref(), Some("通知.pdf"));
        assert_eq!(
            url_file_name(&Url::parse("http://x.cn/news/").unwrap()),
            None
        );
        assert_eq!(url_file_name(&Url::parse("http://x.cn").unwrap()), None);
        assert_eq!(percent_decode("100%"), b"100%");
        assert_eq!(percent_decode("a%2"), b"a%2");
    }

    #[test]
    fn a_response_is_read_from_its_headers_and_address() {
        let url = Url::parse("http://x.cn/files/%E9%80%9A%E7%9F%A5.pdf").unwrap();
        let f = Fetched::from_response(
            url.clone(),
            Some(b"Application/PDF; charset=\"GBK\""),
            None,
            Vec::new(),
        );
        assert_eq!(f.content_type.as_deref(), Some("application/pdf"));
        assert_eq!(f.charset.as_deref(), Some("gbk"));
        assert_eq!(f.file_name.as_deref(), Some("通知.pdf"));
        let f = Fetched::from_response(url, None, Some(b"attachment; filename=a.docx"), Vec::new());
        assert_eq!((f.content_type, f.charset), (None, None));
        assert_eq!(f.file_name.as_deref(), Some("a.docx"));
    }

    #[test]
    fn push_urls() {
        let p = |s| parse_push_url(s).map(|u| u.to_string());
        assert_eq!(
            p("/push https://example.org/a.html）").as_deref(),
            Some("https://example.org/a.html")
        );
        assert_eq!(
            p("/push  请收录 http://x.cn/n/1.shtml。").as_deref(),
            Some("http://x.cn/n/1.shtml")
        );
        assert_eq!(p("/push"), None);
        assert_eq!(
            p("/push 请收录（https://x.cn/a?id=1&b=2），谢谢").as_deref(),
            Some("https://x.cn/a?id=1&b=2")
        );
        assert_eq!(
            p("/push「http://x.cn/a」").as_deref(),
            Some("http://x.cn/a")
        );
        assert_eq!(
            p("/push@union_bot HTTPS://X.CN/A.html.").as_deref(),
            Some("https://x.cn/A.html")
        );
        assert_eq!(
            p("/push (see https://en.wikipedia.org/wiki/Foo_(bar))").as_deref(),
            Some("https://en.wikipedia.org/wiki/Foo_(bar)")
        );
        assert_eq!(
            p("/push\u{3000}https://x.cn/新闻/1.html").as_deref(),
            Some("https://x.cn/%E6%96%B0%E9%97%BB/1.html")
        );
        assert_eq!(
            p("/push http:// 和 https://ok.cn/x").as_deref(),
            Some("https://ok.cn/x")
        );
        assert_eq!(p("/push ftp://x.cn/a"), None);
        assert_eq!(p("/push httpfoo"), None);
    }

    #[tokio::test]
    async fn links_never_fetched_are_refused_and_never_taken_for_an_article() {
        let policy = FetchPolicy::default();
        let refused = [
            "data:text/html,<h1>湛江市总工会</h1><p>本报讯 湛江市总工会开展慰问。</p>",
            "data:text/plain;base64,5rmb5rGf5biC5oC75bel5Lya",
            "data:text/html,<p>本报讯 8月1日,湛江市总工会慰问一线环卫工人，送上清凉物资。</p>",
            "请收录 data:text/plain,湛江 工会 慰问",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "ftp://x.cn/a.html",
        ];
        for after in refused {
            match pushed_link(
                after,
                &policy,
                &crate::document::DocumentReader::in_process(),
            )
            .await
            {
                Some(Err(LinkRefused::Fetch(why))) => {
                    let said = why.to_string();
                    assert!(
                        said.contains("只能抓取 http 或 https 链接"),
                        "{after}: {said}"
                    );
                }
                other => panic!("{after}: not refused: {:?}", other.map(|r| r.is_ok())),
            }
        }
        // A pasted article that names a scheme in passing is an article.
        let article = "湛江市总工会开展职工技能竞赛 本报讯 11月20日，湛江市总工会在霞山区举办竞赛，\
                       报名表见 data:text/plain,x 或网站。";
        assert!(
            pushed_link(
                article,
                &policy,
                &crate::document::DocumentReader::in_process()
            )
            .await
            .is_none()
        );
        assert!(
            pushed_link(
                "标题:湛江 工会",
                &policy,
                &crate::document::DocumentReader::in_process()
            )
            .await
            .is_none()
        );
    }
}
