using System.Net;
using System.Net.Sockets;

namespace Pipeline.Fetching;

/// <summary>Puts an IP address, and every IPv4 address carried inside it, into the categories the address policy decides on.</summary>
internal static class AddressClassifier
{
    private static readonly AddressRange[] IPv4Ranges = [.. SpecialPurposeAddresses.All.Where(r => r.Network.BaseAddress.AddressFamily == AddressFamily.InterNetwork)];
    private static readonly AddressRange[] IPv6Ranges = [.. SpecialPurposeAddresses.All.Where(r => r.Network.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6)];

    /// <summary>Classifies an address by the most specific range that holds it.</summary>
    /// <remarks>IPv4-mapped addresses are classified as the IPv4 address: that is where a connection to them goes.</remarks>
    public static AddressClassification Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        // Scope ids (fe80::1%2) do not change the range; IPNetwork compares the bytes only.
        AddressRange? best = null;
        foreach (var range in address.AddressFamily == AddressFamily.InterNetwork ? IPv4Ranges : IPv6Ranges)
        {
            if (range.Network.Contains(address) && (best is null || range.Network.PrefixLength > best.Network.PrefixLength))
            {
                best = range;
            }
        }

        return best is null
            ? new AddressClassification(AddressCategory.Public, "public", address)
            : new AddressClassification(best.Category, best.Rule, address);
    }

    /// <summary>Classifies an address and each IPv4 address embedded in it (mapped, compatible, NAT64, 6to4, Teredo).</summary>
    /// <returns>The address's own classification first (for a mapped address, its IPv4's), then one per embedded IPv4 address.</returns>
    public static IReadOnlyList<AddressClassification> ClassifyAll(IPAddress address)
    {
        var own = Classify(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || address.IsIPv4MappedToIPv6)
        {
            return [own];
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        var embedded = new List<AddressClassification>(3) { own };
        foreach (var (carrier, ipv4) in Embedded(bytes))
        {
            embedded.Add(Classify(ipv4) with { Carrier = carrier });
        }

        return embedded;
    }

    /// <summary>The IPv4 addresses an IPv6 address carries, by the transition mechanism that put them there.</summary>
    internal static List<(string Carrier, IPAddress Address)> Embedded(ReadOnlySpan<byte> b)
    {
        var found = new List<(string, IPAddress)>(2);

        // IPv4-compatible ::a.b.c.d (deprecated); :: and ::1 (::/127) are the unspecified and loopback addresses, not IPv4.
        if (b[..12].IndexOfAnyExcept((byte)0) < 0 && ((b[12] | b[13] | b[14]) != 0 || b[15] > 1))
        {
            found.Add(("IPv4-compatible ::/96", new IPAddress(b[12..16])));
        }

        // NAT64 (RFC 6052): the IPv4 address in the last 32 bits of the /96 form, under either prefix.
        else if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
        {
            if (b[4..12].IndexOfAnyExcept((byte)0) < 0)
            {
                found.Add(("NAT64 64:ff9b::/96", new IPAddress(b[12..16])));
            }
            else if (b[4] == 0x00 && b[5] == 0x01)
            {
                found.Add(("NAT64 64:ff9b:1::/48", new IPAddress(b[12..16])));
            }
        }

        // 6to4 (RFC 3056): 2002:AABB:CCDD::/48 routes to the IPv4 host AA.BB.CC.DD.
        else if (b[0] == 0x20 && b[1] == 0x02)
        {
            found.Add(("6to4 2002::/16", new IPAddress(b[2..6])));
        }

        // Teredo (RFC 4380): the server in bits 32-63, the client's public address inverted in the last 32 bits.
        else if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
        {
            found.Add(("Teredo 2001::/32 server", new IPAddress(b[4..8])));
            Span<byte> client = [(byte)~b[12], (byte)~b[13], (byte)~b[14], (byte)~b[15]];
            found.Add(("Teredo 2001::/32 client", new IPAddress(client)));
        }

        return found;
    }
}
