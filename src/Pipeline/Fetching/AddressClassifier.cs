using System.Net;

namespace Pipeline.Fetching;

/// <summary>Puts an IP address into the category the address policy decides on.</summary>
internal static class AddressClassifier
{
    // Metadata endpoints first: both sit inside a wider range (100.64.0.0/10 shared space and
    // fc00::/7) whose rule would otherwise name the wrong reason, or allow them.
    private static readonly (IPNetwork Network, AddressCategory Category, string Rule)[] Rules =
    [
        (IPNetwork.Parse("100.100.100.200/32"), AddressCategory.LinkLocal, "cloud metadata 100.100.100.200"),
        (IPNetwork.Parse("fd00:ec2::254/128"), AddressCategory.LinkLocal, "cloud metadata fd00:ec2::254"),
        (IPNetwork.Parse("169.254.0.0/16"), AddressCategory.LinkLocal, "link-local 169.254.0.0/16"),
        (IPNetwork.Parse("fe80::/10"), AddressCategory.LinkLocal, "link-local fe80::/10"),
        (IPNetwork.Parse("127.0.0.0/8"), AddressCategory.Loopback, "loopback 127.0.0.0/8"),
        (IPNetwork.Parse("::1/128"), AddressCategory.Loopback, "loopback ::1"),
        (IPNetwork.Parse("10.0.0.0/8"), AddressCategory.Private, "private 10.0.0.0/8"),
        (IPNetwork.Parse("172.16.0.0/12"), AddressCategory.Private, "private 172.16.0.0/12"),
        (IPNetwork.Parse("192.168.0.0/16"), AddressCategory.Private, "private 192.168.0.0/16"),
        (IPNetwork.Parse("fc00::/7"), AddressCategory.Private, "private fc00::/7"),
        (IPNetwork.Parse("0.0.0.0/8"), AddressCategory.Unspecified, "unspecified 0.0.0.0/8"),
        (IPNetwork.Parse("::/128"), AddressCategory.Unspecified, "unspecified ::"),
    ];

    public static AddressClassification Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);

        // ::ffff:169.254.169.254 reaches the same host as 169.254.169.254.
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        // Scope ids (fe80::1%2) do not change the range; IPNetwork compares the bytes only.
        foreach (var (network, category, rule) in Rules)
        {
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
            {
                return new AddressClassification(category, rule);
            }
        }

        return new AddressClassification(AddressCategory.Public, "public");
    }
}
