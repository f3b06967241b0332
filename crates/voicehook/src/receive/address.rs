//! Addresses: networks in CIDR notation, and the client address of a request read through its
//! trusted proxies (`Forwarded`, RFC 7239, else `X-Forwarded-For`).

use std::net::IpAddr;

/// An address or a range: `10.0.0.0/8`, `2001:db8::/32`, `127.0.0.1` (a single address).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Network {
    base: IpAddr,
    prefix: u8,
}

/// Why a text is not an address or a range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseNetworkError(String);

impl std::fmt::Display for ParseNetworkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseNetworkError {}

impl std::str::FromStr for Network {
    type Err = ParseNetworkError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err =
            |why: &str| ParseNetworkError(format!("{text:?} is not an address or a range: {why}"));
        let (base, prefix) = match text.split_once('/') {
            Some((base, prefix)) => (base, Some(prefix)),
            None => (text, None),
        };
        let base: IpAddr = base.parse().map_err(|_| {
            err("expected an IPv4 or IPv6 address, e.g. 10.0.0.0/8 or 2001:db8::/32")
        })?;
        let bits = if base.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => bits,
            Some(p) => match p.parse::<u8>() {
                Ok(p) if p <= bits => p,
                _ => return Err(err(&format!("the prefix length must be 0 to {bits}"))),
            },
        };
        // An IPv4-mapped range (`::ffff:10.0.0.0/104`) is the IPv4 range it maps.
        match (base, unmap(base)) {
            (IpAddr::V6(_), v4 @ IpAddr::V4(_)) if prefix >= 96 => Ok(Network {
                base: v4,
                prefix: prefix - 96,
            }),
            _ => Ok(Network { base, prefix }),
        }
    }
}

impl std::fmt::Display for Network {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bits = if self.base.is_ipv4() { 32 } else { 128 };
        if self.prefix == bits {
            write!(f, "{}", self.base)
        } else {
            write!(f, "{}/{}", self.base, self.prefix)
        }
    }
}

impl Network {
    /// True when `ip` is inside the range (an IPv4-mapped IPv6 address counts as its IPv4 one).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.base, unmap(ip)) {
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

fn unmap(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// An address as a server or a forwarded header writes it: `1.2.3.4`, `1.2.3.4:443`, `::1`,
/// `[::1]:443`, `::ffff:1.2.3.4`.
pub(crate) fn read_address(text: &str) -> Option<IpAddr> {
    let text = text.trim().trim_matches('"');
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(unmap(ip));
    }
    if let Some(rest) = text.strip_prefix('[') {
        let (ip, _port) = rest.split_once(']')?;
        return ip.parse().ok().map(unmap);
    }
    let (ip, port) = text.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    ip.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// True when the request carries a forwarded header.
pub(crate) fn forwarded_present(headers: &[(&str, &str)]) -> bool {
    headers.iter().any(|(n, _)| {
        n.eq_ignore_ascii_case("forwarded") || n.eq_ignore_ascii_case("x-forwarded-for")
    })
}

/// The forwarded addresses, left (the original client) to right (the nearest proxy's client):
/// from every `Forwarded` header's `for=` when there is one, else from `X-Forwarded-For`.
/// `Err` names an entry that is not an address (`unknown`, an obfuscated `_name`, garbage).
fn forwarded(headers: &[(&str, &str)]) -> Result<Vec<IpAddr>, String> {
    let lines = |name: &str| -> Vec<&str> {
        headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
            .collect()
    };
    let rfc = lines("forwarded");
    let mut out = Vec::new();
    if !rfc.is_empty() {
        for element in rfc.iter().flat_map(|l| l.split(',')) {
            let Some(node) = element.split(';').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                k.trim().eq_ignore_ascii_case("for").then_some(v.trim())
            }) else {
                return Err(format!(
                    "a Forwarded element without for=: {:?}",
                    element.trim()
                ));
            };
            out.push(
                read_address(node)
                    .ok_or_else(|| format!("Forwarded for={node} is not an address"))?,
            );
        }
        return Ok(out);
    }
    for entry in lines("x-forwarded-for").iter().flat_map(|l| l.split(',')) {
        let entry = entry.trim();
        out.push(
            read_address(entry)
                .ok_or_else(|| format!("X-Forwarded-For entry {entry:?} is not an address"))?,
        );
    }
    Ok(out)
}

/// The client address: the peer itself with no trusted proxy; otherwise the `proxies`-th
/// forwarded address from the right (the peer is the nearest proxy, and each proxy appends the
/// address it was connected from).
pub(crate) fn client(
    peer: Option<&str>,
    headers: &[(&str, &str)],
    proxies: u32,
) -> Result<IpAddr, String> {
    let peer_ip = match peer {
        Some(p) => {
            read_address(p).ok_or_else(|| format!("the peer address {p:?} is not an address"))?
        }
        None => return Err("the server did not say which address the request came from".to_owned()),
    };
    if proxies == 0 {
        return Ok(peer_ip);
    }
    let list = forwarded(headers)?;
    let n = proxies as usize;
    if list.len() < n {
        return Err(format!(
            "{} trusted prox{} but the forwarded headers name {} address{}: the request did not come through them",
            n,
            if n == 1 { "y" } else { "ies" },
            list.len(),
            if list.len() == 1 { "" } else { "es" },
        ));
    }
    Ok(list[list.len() - n])
}
