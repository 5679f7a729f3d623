//! Who is asking: the client's address behind trusted reverse proxies, and the request log.
//!
//! Behind a reverse proxy every request comes from the proxy's address, so the per-address
//! write limit would count every client as one. With `--trusted-proxies`, a request whose peer
//! is a trusted proxy is attributed to the address that proxy put in `X-Forwarded-For`: read
//! from the right, the first address that is not itself a trusted proxy (a client can prepend
//! anything to that header, only what the trusted proxies appended counts). Without trusted
//! proxies the header is ignored: anybody could write it.

use std::net::IpAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Instant;

use poem::{Endpoint, IntoResponse, Request, Response};

/// A network of trusted proxies: one address or a CIDR block (`10.0.0.0/8`, `::1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProxyNet {
    addr: IpAddr,
    prefix: u8,
}

impl ProxyNet {
    /// Whether `ip` lies in this network (an IPv4-mapped IPv6 address counts as its IPv4 one).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for ProxyNet {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("`{text}` is not an IP address or CIDR block"))?;
        let addr = canonical(addr);
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{text}`: the prefix length must be 0 to {max}"))?,
        };
        Ok(ProxyNet { addr, prefix })
    }
}

/// An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, as dual-stack sockets report) as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// The reverse proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<ProxyNet>);

impl TrustedProxies {
    /// Reads addresses and CIDR blocks (`127.0.0.1`, `10.0.0.0/8`, `::1`).
    pub fn parse<S: AsRef<str>>(items: &[S]) -> Result<Self, String> {
        items
            .iter()
            .map(|s| s.as_ref())
            .filter(|s| !s.trim().is_empty())
            .map(ProxyNet::from_str)
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    /// Whether no proxy is trusted (the header is then never read).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(ip))
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy; then the rightmost
    /// address of `X-Forwarded-For` that is not a trusted proxy (the leftmost when all are). An
    /// unreadable entry stops the walk at the last address known good.
    pub fn client(&self, peer: Option<IpAddr>, forwarded_for: Option<&str>) -> Option<IpAddr> {
        let peer = peer.map(canonical);
        let mut client = peer?;
        if !self.trusts(client) {
            return Some(client);
        }
        let Some(header) = forwarded_for else {
            return Some(client);
        };
        for entry in header.rsplit(',') {
            let Some(ip) = parse_forwarded(entry) else {
                break;
            };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        Some(client)
    }
}

/// One `X-Forwarded-For` entry: an address, with a port or brackets as some proxies write it.
fn parse_forwarded(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Ok(socket) = entry.parse::<std::net::SocketAddr>() {
        return Some(canonical(socket.ip()));
    }
    entry
        .strip_prefix('[')
        .and_then(|e| e.strip_suffix(']'))
        .and_then(|e| e.parse().ok())
        .map(canonical)
}

/// The client's address as resolved by [`AccessLog`], in the request's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub Option<IpAddr>);

/// Resolves each request's client address (see [`TrustedProxies`]) into [`ClientIp`] and logs
/// one line per request: at `debug` for answers below 400, at `info` for client errors and at
/// `warn` for server errors, so a busy server does not pay for a line per success unless asked
/// (`RETEX_LOG=info,retex::http::client=debug`).
pub struct AccessLog<E> {
    inner: E,
    proxies: Arc<TrustedProxies>,
}

impl<E> AccessLog<E> {
    /// Wraps `inner`.
    pub fn new(inner: E, proxies: Arc<TrustedProxies>) -> Self {
        Self { inner, proxies }
    }
}

/// A client's address as logged: empty when unknown.
struct LoggedClient(Option<IpAddr>);

impl std::fmt::Display for LoggedClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(ip) => ip.fmt(f),
            None => Ok(()),
        }
    }
}

impl<E: Endpoint> Endpoint for AccessLog<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> poem::Result<Self::Output> {
        let peer = req.remote_addr().as_socket_addr().map(|a| a.ip());
        let forwarded = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok());
        let client = if self.proxies.is_empty() {
            peer.map(canonical)
        } else {
            self.proxies.client(peer, forwarded)
        };
        req.set_data(ClientIp(client));
        // Cheap copies (the method, and the URI shares its bytes); nothing is formatted unless
        // a line is written.
        let method = req.method().clone();
        let uri = req.uri().clone();
        let started = Instant::now();
        let response = match self.inner.call(req).await {
            Ok(output) => output.into_response(),
            Err(e) => e.into_response(),
        };
        let status = response.status().as_u16();
        let micros = started.elapsed().as_micros() as u64;
        let path = uri.path();
        let client = LoggedClient(client);
        match status {
            500.. => tracing::warn!(%method, path, status, micros, %client, "request"),
            400..=499 => tracing::info!(%method, path, status, micros, %client, "request"),
            _ => tracing::debug!(%method, path, status, micros, %client, "request"),
        }
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_the_header_says() {
        let proxies = TrustedProxies::parse(&["10.0.0.0/8"]).unwrap();
        assert_eq!(
            proxies.client(ip("203.0.113.9"), Some("198.51.100.1")),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_address_is_the_client() {
        let proxies = TrustedProxies::parse(&["127.0.0.1", "10.0.0.0/8"]).unwrap();
        // The client forged the first entry; the proxy chain appended the real one.
        let header = "1.2.3.4, 198.51.100.7, 10.1.2.3";
        assert_eq!(
            proxies.client(ip("127.0.0.1"), Some(header)),
            ip("198.51.100.7")
        );
        assert_eq!(proxies.client(ip("127.0.0.1"), None), ip("127.0.0.1"));
        assert_eq!(
            proxies.client(ip("127.0.0.1"), Some("10.0.0.1, 10.0.0.2")),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn garbage_stops_the_walk_and_ports_and_brackets_are_read() {
        let proxies = TrustedProxies::parse(&["127.0.0.1"]).unwrap();
        assert_eq!(
            proxies.client(ip("127.0.0.1"), Some("nonsense, 127.0.0.1")),
            ip("127.0.0.1")
        );
        assert_eq!(
            proxies.client(ip("127.0.0.1"), Some("198.51.100.7:4711")),
            ip("198.51.100.7")
        );
        assert_eq!(
            proxies.client(ip("127.0.0.1"), Some("[2001:db8::1]")),
            ip("2001:db8::1")
        );
    }

    #[test]
    fn networks_parse_and_match_both_families() {
        let net: ProxyNet = "192.168.0.0/16".parse().unwrap();
        assert!(net.contains("192.168.44.1".parse().unwrap()));
        assert!(!net.contains("192.169.0.1".parse().unwrap()));
        assert!(net.contains("::ffff:192.168.1.1".parse().unwrap()));
        let v6: ProxyNet = "fd00::/8".parse().unwrap();
        assert!(v6.contains("fd12::1".parse().unwrap()));
        assert!(!v6.contains("fe80::1".parse().unwrap()));
        let all: ProxyNet = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("8.8.8.8".parse().unwrap()));
        assert!("10.0.0.0/33".parse::<ProxyNet>().is_err());
        assert!("example.org".parse::<ProxyNet>().is_err());
    }
}
