namespace Pipeline.Fetching;

/// <summary>
/// A dated snapshot of the IANA IPv4 and IPv6 Special-Purpose Address Registries, each entry with
/// the category the address policy decides on, plus the ranges the policy needs that the registries
/// keep elsewhere (multicast, site-local, IPv6 outside 2000::/3) and the cloud metadata endpoints.
/// </summary>
/// <remarks>
/// <para>
/// Sources: https://www.iana.org/assignments/iana-ipv4-special-registry/ and
/// https://www.iana.org/assignments/iana-ipv6-special-registry/ (RFC 6890), as published with their
/// 2024-04 updates (the latest entries here: 2001:1::3/128 of RFC 9665, 3fff::/20 of RFC 9637,
/// 5f00::/16 of RFC 9602). Written down from the published registries and checked on 2026-12-01;
/// nothing here reaches the registry at run time. When IANA adds an entry, add its row here and in
/// <c>AddressClassifierTests</c>.
/// </para>
/// <para>
/// Mapping: an entry marked "globally reachable: true" is <see cref="AddressCategory.Public"/>; the
/// others take the category named in the table, and whatever has no category of its own (protocol
/// assignments, dummy, discard-only, deprecated, broadcast, translation prefixes) is
/// <see cref="AddressCategory.Reserved"/>. The most specific entry wins (192.0.0.9/32 over
/// 192.0.0.0/24), so the table's order does not matter.
/// </para>
/// </remarks>
internal static class SpecialPurposeAddresses
{
    /// <summary>The IANA IPv4 Special-Purpose Address Registry.</summary>
    public static readonly AddressRange[] IPv4Registry =
    [
        new("0.0.0.0/8", "this network", "RFC 791", AddressCategory.Unspecified),
        new("0.0.0.0/32", "this host on this network", "RFC 1122", AddressCategory.Unspecified),
        new("10.0.0.0/8", "private-use", "RFC 1918", AddressCategory.Private),
        new("100.64.0.0/10", "shared address space", "RFC 6598", AddressCategory.Shared),
        new("127.0.0.0/8", "loopback", "RFC 1122", AddressCategory.Loopback),
        new("169.254.0.0/16", "link-local", "RFC 3927", AddressCategory.LinkLocal),
        new("172.16.0.0/12", "private-use", "RFC 1918", AddressCategory.Private),
        new("192.0.0.0/24", "IETF protocol assignments", "RFC 6890", AddressCategory.Reserved),
        new("192.0.0.0/29", "IPv4 service continuity prefix", "RFC 7335", AddressCategory.Reserved),
        new("192.0.0.8/32", "IPv4 dummy address", "RFC 7600", AddressCategory.Reserved),
        new("192.0.0.9/32", "Port Control Protocol anycast", "RFC 7723", AddressCategory.Public),
        new("192.0.0.10/32", "TURN anycast", "RFC 8155", AddressCategory.Public),
        new("192.0.0.170/32", "NAT64/DNS64 discovery", "RFC 8880", AddressCategory.Reserved),
        new("192.0.0.171/32", "NAT64/DNS64 discovery", "RFC 8880", AddressCategory.Reserved),
        new("192.0.2.0/24", "documentation (TEST-NET-1)", "RFC 5737", AddressCategory.Documentation),
        new("192.31.196.0/24", "AS112-v4", "RFC 7535", AddressCategory.Public),
        new("192.52.193.0/24", "AMT", "RFC 7450", AddressCategory.Public),
        new("192.88.99.0/24", "deprecated 6to4 relay anycast", "RFC 7526", AddressCategory.Reserved),
        new("192.168.0.0/16", "private-use", "RFC 1918", AddressCategory.Private),
        new("192.175.48.0/24", "direct delegation AS112 service", "RFC 7534", AddressCategory.Public),
        new("198.18.0.0/15", "benchmarking", "RFC 2544", AddressCategory.Benchmarking),
        new("198.51.100.0/24", "documentation (TEST-NET-2)", "RFC 5737", AddressCategory.Documentation),
        new("203.0.113.0/24", "documentation (TEST-NET-3)", "RFC 5737", AddressCategory.Documentation),
        new("240.0.0.0/4", "reserved", "RFC 1112", AddressCategory.Reserved),
        new("255.255.255.255/32", "limited broadcast", "RFC 919", AddressCategory.Reserved),
    ];

    /// <summary>The IANA IPv6 Special-Purpose Address Registry.</summary>
    public static readonly AddressRange[] IPv6Registry =
    [
        new("::1/128", "loopback", "RFC 4291", AddressCategory.Loopback),
        new("::/128", "unspecified", "RFC 4291", AddressCategory.Unspecified),

        // Judged by the IPv4 address inside (AddressClassifier); the entry itself is never the verdict.
        new("::ffff:0:0/96", "IPv4-mapped", "RFC 4291", AddressCategory.Public),
        new("64:ff9b::/96", "NAT64 well-known prefix", "RFC 6052", AddressCategory.Public),
        new("64:ff9b:1::/48", "NAT64 local-use prefix", "RFC 8215", AddressCategory.Reserved),
        new("100::/64", "discard-only", "RFC 6666", AddressCategory.Reserved),
        new("100:0:0:1::/64", "dummy IPv6 prefix", "RFC 9780", AddressCategory.Reserved),
        new("2001::/23", "IETF protocol assignments", "RFC 2928", AddressCategory.Reserved),

        // Globally reachable "N/A" in the registry: a tunnel to a public IPv4 host; judged by the addresses inside as well.
        new("2001::/32", "Teredo", "RFC 4380", AddressCategory.Public),
        new("2001:1::1/128", "Port Control Protocol anycast", "RFC 7723", AddressCategory.Public),
        new("2001:1::2/128", "TURN anycast", "RFC 8155", AddressCategory.Public),
        new("2001:1::3/128", "DNS-SD service registration protocol anycast", "RFC 9665", AddressCategory.Public),
        new("2001:2::/48", "benchmarking", "RFC 5180", AddressCategory.Benchmarking),
        new("2001:3::/32", "AMT", "RFC 7450", AddressCategory.Public),
        new("2001:4:112::/48", "AS112-v6", "RFC 7535", AddressCategory.Public),
        new("2001:10::/28", "deprecated ORCHID", "RFC 4843", AddressCategory.Reserved),
        new("2001:20::/28", "ORCHIDv2", "RFC 7343", AddressCategory.Public),
        new("2001:30::/28", "drone remote ID entity tags", "RFC 9374", AddressCategory.Public),
        new("2001:db8::/32", "documentation", "RFC 3849", AddressCategory.Documentation),
        new("2002::/16", "6to4", "RFC 3056", AddressCategory.Public),
        new("2620:4f:8000::/48", "direct delegation AS112 service", "RFC 7534", AddressCategory.Public),
        new("3fff::/20", "documentation", "RFC 9637", AddressCategory.Documentation),
        new("5f00::/16", "segment routing (SRv6) SIDs", "RFC 9602", AddressCategory.Reserved),
        new("fc00::/7", "unique-local", "RFC 4193", AddressCategory.Private),
        new("fe80::/10", "link-local", "RFC 4291", AddressCategory.LinkLocal),
    ];

    /// <summary>Ranges the policy needs that the special-purpose registries keep elsewhere.</summary>
    public static readonly AddressRange[] Supplementary =
    [
        new("224.0.0.0/4", "multicast", "RFC 5771", AddressCategory.Multicast),
        new("ff00::/8", "multicast", "RFC 4291", AddressCategory.Multicast),

        // Deprecated site-local: like unique-local in practice, but nothing should use it any more.
        new("fec0::/10", "deprecated site-local", "RFC 3879", AddressCategory.Reserved),

        // Deprecated IPv4-compatible form (the IPv4 inside is judged too); ::/127 stays unspecified and loopback.
        new("::/96", "deprecated IPv4-compatible", "RFC 4291", AddressCategory.Reserved),

        // Only 2000::/3 is global unicast (IANA IPv6 Address Space registry); the rest is reserved by the IETF.
        new("::/0", "not global unicast (outside 2000::/3)", "RFC 4291", AddressCategory.Reserved),
        new("2000::/3", "global unicast", "RFC 4291", AddressCategory.Public),
    ];

    /// <summary>
    /// Cloud instance metadata and control-plane endpoints: where credentials of the machine the
    /// fetcher runs on can be read. Their own category, so allowing link-local does not allow them.
    /// </summary>
    public static readonly AddressRange[] CloudMetadata =
    [
        new("169.254.169.254/32", "cloud metadata of AWS, Google Cloud, Azure, Oracle Cloud and DigitalOcean", "IMDS", AddressCategory.Metadata),
        new("169.254.170.2/32", "cloud metadata of AWS ECS tasks (credentials)", "ECS", AddressCategory.Metadata),
        new("fd00:ec2::254/128", "cloud metadata of AWS over IPv6", "IMDS", AddressCategory.Metadata),
        new("fd20:ce::254/128", "cloud metadata of Google Cloud over IPv6", "GCE", AddressCategory.Metadata),
        new("168.63.129.16/32", "cloud control plane of Azure (WireServer)", "Azure", AddressCategory.Metadata),
        new("100.100.100.200/32", "cloud metadata of Alibaba Cloud", "ECS", AddressCategory.Metadata),
        new("192.0.0.192/32", "cloud metadata of Oracle Cloud (classic)", "OCI", AddressCategory.Metadata),
    ];

    /// <summary>Every range, for the classifier.</summary>
    public static readonly AddressRange[] All = [.. IPv4Registry, .. IPv6Registry, .. Supplementary, .. CloudMetadata];
}
