//! Where the watch may connect: public addresses only. A curator declares the URLs polled, so
//! without this a watch source could make the server fetch its own loopback services, the
//! private network or a cloud metadata endpoint (`169.254.169.254`). Checked on the URL
//! (IP literals, `localhost`), after DNS resolution (a resolver that drops private
//! addresses), and on every redirect. Hosts named with `--watch-allow-host` skip the check
//! (a forge on the private network, the loopback servers of tests).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

/// Whether the watch may never connect to `ip`: loopback, private, link-local (cloud
/// metadata), shared (carrier-grade NAT), unspecified, broadcast, multicast, documentation,
/// unique-local and site-local IPv6, and IPv6 forms of such IPv4 addresses.
pub fn is_forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_forbidden_v4(v4),
        IpAddr::V6(v6) => is_forbidden_v6(v6),
    }
}

fn is_forbidden_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && ip.octets()[2] == 0)
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240
}

fn is_forbidden_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_forbidden_v4(v4);
    }
    let segments = ip.segments();
    // NAT64 (64:ff9b::/96) and IPv4-compatible (::a.b.c.d) forms carry an IPv4 address.
    if (segments[0] == 0x64 && segments[1] == 0xff9b && segments[2..6] == [0; 4])
        || segments[..6] == [0; 6]
    {
        let [.., c, d] = segments;
        let v4 = Ipv4Addr::new((c >> 8) as u8, c as u8, (d >> 8) as u8, d as u8);
        return ip.is_unspecified() || ip.is_loopback() || is_forbidden_v4(v4);
    }
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (segments[0] & 0xfe00) == 0xfc00 // unique local, fd00:ec2::254 included
        || (segments[0] & 0xffc0) == 0xfe80 // link-local
        || (segments[0] & 0xffc0) == 0xfec0 // site-local
        || segments[0] == 0x2001 && segments[1] == 0x0db8 // documentation
}

/// The watch's address policy: public addresses, and the hosts allowed by name.
#[derive(Debug, Clone, Default)]
pub struct AddressGuard {
    allowed_hosts: Arc<Vec<String>>,
}

impl AddressGuard {
    /// A guard allowing `allowed_hosts` (names or IP literals, any case) whatever they
    /// resolve to.
    pub fn new(allowed_hosts: &[String]) -> Self {
        Self {
            allowed_hosts: Arc::new(
                allowed_hosts
                    .iter()
                    .map(|h| h.trim().trim_matches(['[', ']']).to_ascii_lowercase())
                    .filter(|h| !h.is_empty())
                    .collect(),
            ),
        }
    }

    /// Whether `host` (as a URL writes it) is allowed by name.
    pub fn allows_host(&self, host: &str) -> bool {
        let host = host.trim_matches(['[', ']']).to_ascii_lowercase();
        self.allowed_hosts.contains(&host)
    }

    /// Checks a URL before connecting: an http(s) URL whose host is allowed by name, or is
    /// not a forbidden IP literal nor `localhost`. Names are checked again once resolved.
    pub fn check_url(&self, url: &url::Url) -> Result<(), String> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!(
                "the watch fetches http(s) only, not {}",
                url.scheme()
            ));
        }
        let Some(host) = url.host() else {
            return Err("the URL has no host".to_owned());
        };
        if self.allows_host(&host.to_string()) {
            return Ok(());
        }
        let forbidden = match host {
            url::Host::Ipv4(ip) => is_forbidden_v4(ip),
            url::Host::Ipv6(ip) => is_forbidden_v6(ip),
            url::Host::Domain(name) => {
                let name = name.trim_end_matches('.').to_ascii_lowercase();
                name == "localhost" || name.ends_with(".localhost")
            }
        };
        if forbidden {
            return Err(format!(
                "{host} is a private, loopback or link-local address: the watch does not fetch it (allow it with --watch-allow-host)"
            ));
        }
        Ok(())
    }

    /// The public addresses among those `host` resolved to; an error naming the host when
    /// none is left (unless the host is allowed by name).
    pub fn filter_resolved(
        &self,
        host: &str,
        addresses: Vec<SocketAddr>,
    ) -> Result<Vec<SocketAddr>, String> {
        if self.allows_host(host) {
            return Ok(addresses);
        }
        let public: Vec<SocketAddr> = addresses
            .into_iter()
            .filter(|a| !is_forbidden(a.ip()))
            .collect();
        if public.is_empty() {
            return Err(format!(
                "{host} resolves to private, loopback or link-local addresses only: the watch does not fetch it (allow it with --watch-allow-host)"
            ));
        }
        Ok(public)
    }
}

/// A DNS resolver for reqwest that keeps public addresses only (see [`AddressGuard`]).
pub struct GuardedResolver(pub AddressGuard);

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let guard = self.0.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let resolved: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let kept = guard
                .filter_resolved(&host, resolved)
                .map_err(|e| Box::new(std::io::Error::other(e)) as Box<_>)?;
            let addresses: reqwest::dns::Addrs = Box::new(kept.into_iter());
            Ok(addresses)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn private_loopback_link_local_and_metadata_addresses_are_forbidden() {
        for text in [
            "127.0.0.1",
            "127.8.9.10",
            "10.0.0.1",
            "172.16.5.4",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.100.100.200",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd00:ec2::254",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
            "::127.0.0.1",
        ] {
            assert!(is_forbidden(ip(text)), "{text}");
        }
        for text in [
            "1.1.1.1",
            "93.184.216.34",
            "172.32.0.1",
            "2606:4700:4700::1111",
            "::ffff:1.1.1.1",
        ] {
            assert!(!is_forbidden(ip(text)), "{text}");
        }
    }

    #[test]
    fn urls_are_checked_before_connecting_unless_their_host_is_allowed() {
        let guard = AddressGuard::default();
        let url = |u: &str| url::Url::parse(u).unwrap();
        for refused in [
            "http://169.254.169.254/latest/meta-data/",
            "http://127.0.0.1:8080/feed",
            "http://[::1]/feed",
            "http://localhost/feed",
            "http://api.localhost./feed",
            "http://2130706433/feed",
            "http://0x7f.1/feed",
            "ftp://example.org/feed",
        ] {
            assert!(guard.check_url(&url(refused)).is_err(), "{refused}");
        }
        assert!(guard.check_url(&url("https://gitlab.com/api")).is_ok());
        let allowed = AddressGuard::new(&["127.0.0.1".to_owned(), "Forge.Local".to_owned()]);
        assert!(allowed.check_url(&url("http://127.0.0.1:9000/x")).is_ok());
        assert!(allowed.check_url(&url("http://forge.local/x")).is_ok());
        assert!(allowed.check_url(&url("http://[::1]/x")).is_err());
    }

    #[test]
    fn resolved_addresses_keep_the_public_ones() {
        let guard = AddressGuard::default();
        let addr = |t: &str| SocketAddr::new(ip(t), 0);
        assert_eq!(
            guard
                .filter_resolved("mixed.example", vec![addr("10.0.0.1"), addr("1.1.1.1")])
                .unwrap(),
            vec![addr("1.1.1.1")]
        );
        assert!(guard
            .filter_resolved("internal.example", vec![addr("169.254.169.254")])
            .is_err());
        let allowed = AddressGuard::new(&["internal.example".to_owned()]);
        assert!(allowed
            .filter_resolved("internal.example", vec![addr("10.0.0.1")])
            .is_ok());
    }
}
