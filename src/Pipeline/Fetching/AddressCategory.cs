namespace Pipeline.Fetching;

/// <summary>The classes of IP addresses the address policy tells apart; each has its own <c>Pipeline:Http:*Addresses</c> setting.</summary>
/// <remarks>
/// Every entry of the IANA special-purpose registries maps to one of these (see
/// <see cref="SpecialPurposeAddresses"/>): the registry's own category where there is one, otherwise
/// <see cref="Reserved"/>. Entries the registry marks globally reachable are <see cref="Public"/>.
/// </remarks>
internal enum AddressCategory
{
    /// <summary>Any address not in another category, and registry entries marked globally reachable.</summary>
    Public,

    /// <summary>127.0.0.0/8 and ::1.</summary>
    Loopback,

    /// <summary>Private-use 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 and unique-local fc00::/7.</summary>
    Private,

    /// <summary>Shared address space 100.64.0.0/10 (carrier-grade NAT).</summary>
    Shared,

    /// <summary>169.254.0.0/16 and fe80::/10.</summary>
    LinkLocal,

    /// <summary>Cloud instance metadata and control-plane endpoints, whatever range they sit in.</summary>
    Metadata,

    /// <summary>224.0.0.0/4 and ff00::/8: never a single host to fetch from.</summary>
    Multicast,

    /// <summary>Documentation ranges: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32, 3fff::/20.</summary>
    Documentation,

    /// <summary>Benchmarking ranges: 198.18.0.0/15 and 2001:2::/48.</summary>
    Benchmarking,

    /// <summary>0.0.0.0/8 and ::, which some stacks quietly route to the local host.</summary>
    Unspecified,

    /// <summary>
    /// Every other entry that is not globally reachable: reserved and deprecated blocks, IETF
    /// protocol assignments, broadcast, discard-only, dummy and translation prefixes, SRv6 SIDs,
    /// and IPv6 outside the global unicast space 2000::/3.
    /// </summary>
    Reserved,
}
