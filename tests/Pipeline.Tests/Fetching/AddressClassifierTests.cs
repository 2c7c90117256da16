using System.Net;
using Microsoft.Extensions.Configuration;
using Pipeline.Fetching;

namespace Pipeline.Tests.Fetching;

/// <summary>One row per entry of the special-purpose table (registry snapshot, supplementary ranges, cloud metadata) and per embedded form.</summary>
public sealed class AddressClassifierTests
{
    /// <summary>Address inside the entry (and in no more specific one), its category, its rule.</summary>
    public static TheoryData<string, string, string> Entries => new()
    {
        // IANA IPv4 Special-Purpose Address Registry.
        { "0.1.2.3", "Unspecified", "this network 0.0.0.0/8" },
        { "0.0.0.0", "Unspecified", "this host on this network 0.0.0.0/32" },
        { "10.1.2.3", "Private", "private-use 10.0.0.0/8" },
        { "100.64.0.1", "Shared", "shared address space 100.64.0.0/10" },
        { "127.0.0.1", "Loopback", "loopback 127.0.0.0/8" },
        { "169.254.1.1", "LinkLocal", "link-local 169.254.0.0/16" },
        { "172.31.255.255", "Private", "private-use 172.16.0.0/12" },
        { "192.0.0.100", "Reserved", "IETF protocol assignments 192.0.0.0/24" },
        { "192.0.0.1", "Reserved", "IPv4 service continuity prefix 192.0.0.0/29" },
        { "192.0.0.8", "Reserved", "IPv4 dummy address 192.0.0.8/32" },
        { "192.0.0.9", "Public", "Port Control Protocol anycast 192.0.0.9/32" },
        { "192.0.0.10", "Public", "TURN anycast 192.0.0.10/32" },
        { "192.0.0.170", "Reserved", "NAT64/DNS64 discovery 192.0.0.170/32" },
        { "192.0.0.171", "Reserved", "NAT64/DNS64 discovery 192.0.0.171/32" },
        { "192.0.2.1", "Documentation", "documentation (TEST-NET-1) 192.0.2.0/24" },
        { "192.31.196.1", "Public", "AS112-v4 192.31.196.0/24" },
        { "192.52.193.1", "Public", "AMT 192.52.193.0/24" },
        { "192.88.99.1", "Reserved", "deprecated 6to4 relay anycast 192.88.99.0/24" },
        { "192.168.1.1", "Private", "private-use 192.168.0.0/16" },
        { "192.175.48.1", "Public", "direct delegation AS112 service 192.175.48.0/24" },
        { "198.19.255.255", "Benchmarking", "benchmarking 198.18.0.0/15" },
        { "198.51.100.1", "Documentation", "documentation (TEST-NET-2) 198.51.100.0/24" },
        { "203.0.113.1", "Documentation", "documentation (TEST-NET-3) 203.0.113.0/24" },
        { "240.0.0.1", "Reserved", "reserved 240.0.0.0/4" },
        { "255.255.255.255", "Reserved", "limited broadcast 255.255.255.255/32" },

        // IANA IPv6 Special-Purpose Address Registry.
        { "::1", "Loopback", "loopback ::1/128" },
        { "::", "Unspecified", "unspecified ::/128" },
        { "::ffff:10.0.0.1", "Private", "private-use 10.0.0.0/8" },
        { "64:ff9b::808:808", "Public", "NAT64 well-known prefix 64:ff9b::/96" },
        { "64:ff9b:1::808:808", "Reserved", "NAT64 local-use prefix 64:ff9b:1::/48" },
        { "100::1", "Reserved", "discard-only 100::/64" },
        { "100:0:0:1::1", "Reserved", "dummy IPv6 prefix 100:0:0:1::/64" },
        { "2001:100::1", "Reserved", "IETF protocol assignments 2001::/23" },
        { "2001:0:4136:e378:8000:63bf:3fff:fdd2", "Public", "Teredo 2001::/32" },
        { "2001:1::1", "Public", "Port Control Protocol anycast 2001:1::1/128" },
        { "2001:1::2", "Public", "TURN anycast 2001:1::2/128" },
        { "2001:1::3", "Public", "DNS-SD service registration protocol anycast 2001:1::3/128" },
        { "2001:2::1", "Benchmarking", "benchmarking 2001:2::/48" },
        { "2001:3::1", "Public", "AMT 2001:3::/32" },
        { "2001:4:112::1", "Public", "AS112-v6 2001:4:112::/48" },
        { "2001:10::1", "Reserved", "deprecated ORCHID 2001:10::/28" },
        { "2001:20::1", "Public", "ORCHIDv2 2001:20::/28" },
        { "2001:30::1", "Public", "drone remote ID entity tags 2001:30::/28" },
        { "2001:db8::1", "Documentation", "documentation 2001:db8::/32" },
        { "2002:808:808::1", "Public", "6to4 2002::/16" },
        { "2620:4f:8000::1", "Public", "direct delegation AS112 service 2620:4f:8000::/48" },
        { "3fff::1", "Documentation", "documentation 3fff::/20" },
        { "5f00::1", "Reserved", "segment routing (SRv6) SIDs 5f00::/16" },
        { "fd12:3456::1", "Private", "unique-local fc00::/7" },
        { "febf::1", "LinkLocal", "link-local fe80::/10" },

        // Supplementary ranges.
        { "224.0.0.1", "Multicast", "multicast 224.0.0.0/4" },
        { "ff02::1", "Multicast", "multicast ff00::/8" },
        { "fec0::1", "Reserved", "deprecated site-local fec0::/10" },
        { "::8.8.8.8", "Reserved", "deprecated IPv4-compatible ::/96" },
        { "4000::1", "Reserved", "not global unicast (outside 2000::/3) ::/0" },
        { "2a00:1450::1", "Public", "global unicast 2000::/3" },

        // Cloud metadata and control plane.
        { "169.254.169.254", "Metadata", "cloud metadata of AWS, Google Cloud, Azure, Oracle Cloud and DigitalOcean 169.254.169.254/32" },
        { "169.254.170.2", "Metadata", "cloud metadata of AWS ECS tasks (credentials) 169.254.170.2/32" },
        { "fd00:ec2::254", "Metadata", "cloud metadata of AWS over IPv6 fd00:ec2::254/128" },
        { "fd20:ce::254", "Metadata", "cloud metadata of Google Cloud over IPv6 fd20:ce::254/128" },
        { "168.63.129.16", "Metadata", "cloud control plane of Azure (WireServer) 168.63.129.16/32" },
        { "100.100.100.200", "Metadata", "cloud metadata of Alibaba Cloud 100.100.100.200/32" },
        { "192.0.0.192", "Metadata", "cloud metadata of Oracle Cloud (classic) 192.0.0.192/32" },

        // Outside every entry.
        { "8.8.8.8", "Public", "public" },
        { "172.32.0.1", "Public", "public" },
    };

    /// <summary>Connected address, policy (every category refused by default except these), expected refusal.</summary>
    public static TheoryData<string, string> EmbeddedForms => new()
    {
        { "::ffff:169.254.169.254", "address ::ffff:169.254.169.254 refused by the address policy (cloud metadata of AWS, Google Cloud, Azure, Oracle Cloud and DigitalOcean 169.254.169.254/32)" },
        { "::169.254.169.254", "address ::169.254.169.254 refused by the address policy (IPv4-compatible ::/96 carries 169.254.169.254: cloud metadata of AWS, Google Cloud, Azure, Oracle Cloud and DigitalOcean 169.254.169.254/32)" },
        { "64:ff9b::a9fe:a9fe", "address 64:ff9b::a9fe:a9fe refused by the address policy (NAT64 64:ff9b::/96 carries 169.254.169.254: cloud metadata of AWS, Google Cloud, Azure, Oracle Cloud and DigitalOcean 169.254.169.254/32)" },
        { "64:ff9b::a00:1", "address 64:ff9b::a00:1 refused by the address policy (NAT64 64:ff9b::/96 carries 10.0.0.1: private-use 10.0.0.0/8)" },
        { "64:ff9b:1::a9fe:101", "address 64:ff9b:1::a9fe:101 refused by the address policy (NAT64 64:ff9b:1::/48 carries 169.254.1.1: link-local 169.254.0.0/16)" },
        { "2002:a9fe:a9fe::1", "address 2002:a9fe:a9fe::1 refused by the address policy (6to4 2002::/16 carries 169.254.169.254: cloud metadata of AWS, Google Cloud, Azure, Oracle Cloud and DigitalOcean 169.254.169.254/32)" },
        { "2001:0:a83f:8110::", "address 2001:0:a83f:8110:: refused by the address policy (Teredo 2001::/32 server carries 168.63.129.16: cloud control plane of Azure (WireServer) 168.63.129.16/32)" },
        { "2001:0:808:808::5601:5601", "address 2001:0:808:808::5601:5601 refused by the address policy (Teredo 2001::/32 client carries 169.254.169.254: cloud metadata of AWS, Google Cloud, Azure, Oracle Cloud and DigitalOcean 169.254.169.254/32)" },
        { "2001:0:4136:e378:8000:63bf:3fff:fdd2", "address 2001:0:4136:e378:8000:63bf:3fff:fdd2 refused by the address policy (Teredo 2001::/32 client carries 192.0.2.45: documentation (TEST-NET-1) 192.0.2.0/24)" },
    };

    [Theory]
    [MemberData(nameof(Entries))]
    public void Classify_EveryTableEntry_NamesItsCategoryAndRule(string address, string category, string rule)
    {
        var classification = AddressClassifier.Classify(IPAddress.Parse(address));

        Assert.Equal((Enum.Parse<AddressCategory>(category), rule), (classification.Category, classification.Rule));
    }

    [Fact]
    public void Entries_CoverEveryRowOfTheTable()
    {
        var covered = Entries.Select(row => AddressClassifier.Classify(IPAddress.Parse((string)row[0])).Rule).ToHashSet();

        var missing = SpecialPurposeAddresses.All.Select(range => range.Rule).Except(covered).ToList();

        // Mapped addresses are judged as their IPv4 address, so no row can name the mapped entry itself.
        Assert.Equal(["IPv4-mapped ::ffff:0:0/96"], missing);
    }

    [Theory]
    [MemberData(nameof(EmbeddedForms))]
    public void Refusal_EmbeddedIPv4_IsJudgedByTheAddressInside(string address, string reason)
    {
        // Only the categories of the addresses inside refuse here, so each row shows the decoding at work.
        var policy = Policy(new() { ["Pipeline:Http:ReservedAddresses"] = "Allow", ["Pipeline:Http:PrivateAddresses"] = "Refuse" });

        Assert.Equal(reason, policy.Refusal(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("::1", "Loopback")]
    [InlineData("::", "Unspecified")]
    public void ClassifyAll_LoopbackAndUnspecified_AreNotReadAsIPv4Compatible(string address, string category)
        => Assert.Equal([Enum.Parse<AddressCategory>(category)], AddressClassifier.ClassifyAll(IPAddress.Parse(address)).Select(c => c.Category));

    [Theory]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    [InlineData("2001:0:808:808::f7f7:f7f7")]
    public void Refusal_EmbeddedPublicAddress_IsAllowedByDefault(string address)
        => Assert.Null(AddressPolicy.From(new HttpFetchOptions()).Refusal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8", null)]
    [InlineData("127.0.0.1", null)]
    [InlineData("::1", null)]
    [InlineData("10.0.0.1", null)]
    [InlineData("fd12::1", null)]
    [InlineData("100.64.0.1", "shared address space 100.64.0.0/10")]
    [InlineData("169.254.1.1", "link-local 169.254.0.0/16")]
    [InlineData("169.254.169.254", "cloud metadata of AWS, Google Cloud, Azure, Oracle Cloud and DigitalOcean 169.254.169.254/32")]
    [InlineData("168.63.129.16", "cloud control plane of Azure (WireServer) 168.63.129.16/32")]
    [InlineData("224.0.0.251", "multicast 224.0.0.0/4")]
    [InlineData("192.0.2.1", "documentation (TEST-NET-1) 192.0.2.0/24")]
    [InlineData("198.18.0.1", "benchmarking 198.18.0.0/15")]
    [InlineData("0.0.0.0", "this host on this network 0.0.0.0/32")]
    [InlineData("240.0.0.1", "reserved 240.0.0.0/4")]
    [InlineData("::169.254.169.254", "deprecated IPv4-compatible ::/96")]
    public void Refusal_DefaultPolicy_RefusesEveryNotGloballyReachableCategoryButLoopbackAndPrivate(string address, string? rule)
    {
        var refusal = AddressPolicy.From(new HttpFetchOptions()).Refusal(IPAddress.Parse(address));

        Assert.Equal(rule is null ? null : $"address {address} refused by the address policy ({rule})", refusal);
    }

    [Theory]
    [InlineData("LoopbackAddresses", "127.0.0.1")]
    [InlineData("PrivateAddresses", "192.168.1.1")]
    [InlineData("SharedAddresses", "100.64.0.1")]
    [InlineData("LinkLocalAddresses", "fe80::1")]
    [InlineData("MetadataAddresses", "100.100.100.200")]
    [InlineData("MulticastAddresses", "ff02::1")]
    [InlineData("DocumentationAddresses", "2001:db8::1")]
    [InlineData("BenchmarkingAddresses", "2001:2::1")]
    [InlineData("UnspecifiedAddresses", "::")]
    [InlineData("ReservedAddresses", "240.0.0.1")]
    public void Refusal_EachCategorySetting_AllowsOrRefusesItsAddresses(string key, string address)
    {
        var ip = IPAddress.Parse(address);

        Assert.Null(Policy(new() { ["Pipeline:Http:" + key] = "Allow" }).Refusal(ip));
        Assert.NotNull(Policy(new() { ["Pipeline:Http:" + key] = "Refuse" }).Refusal(ip));
    }

    [Fact]
    public void Refusal_LinkLocalAllowed_StillRefusesMetadata()
    {
        var policy = Policy(new() { ["Pipeline:Http:LinkLocalAddresses"] = "Allow" });

        Assert.Null(policy.Refusal(IPAddress.Parse("169.254.1.1")));
        Assert.StartsWith("address 169.254.169.254 refused by the address policy (cloud metadata of AWS", policy.Refusal(IPAddress.Parse("169.254.169.254")), StringComparison.Ordinal);
        Assert.StartsWith("address fd00:ec2::254 refused by the address policy (cloud metadata of AWS over IPv6", policy.Refusal(IPAddress.Parse("fd00:ec2::254")), StringComparison.Ordinal);
    }

    private static AddressPolicy Policy(Dictionary<string, string?> settings)
    {
        var options = new HttpFetchOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(HttpFetchOptions.SectionName).Bind(options);
        return AddressPolicy.From(options);
    }
}
