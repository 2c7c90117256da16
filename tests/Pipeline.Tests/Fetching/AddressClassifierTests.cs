using System.Net;
using Pipeline.Fetching;

namespace Pipeline.Tests.Fetching;

public sealed class AddressClassifierTests
{
    [Theory]
    [InlineData("169.254.169.254", "LinkLocal", "link-local 169.254.0.0/16")]
    [InlineData("169.254.0.1", "LinkLocal", "link-local 169.254.0.0/16")]
    [InlineData("fe80::1", "LinkLocal", "link-local fe80::/10")]
    [InlineData("febf::1", "LinkLocal", "link-local fe80::/10")]
    [InlineData("100.100.100.200", "LinkLocal", "cloud metadata 100.100.100.200")]
    [InlineData("fd00:ec2::254", "LinkLocal", "cloud metadata fd00:ec2::254")]
    [InlineData("::ffff:169.254.169.254", "LinkLocal", "link-local 169.254.0.0/16")]
    [InlineData("10.0.0.1", "Private", "private 10.0.0.0/8")]
    [InlineData("172.16.0.1", "Private", "private 172.16.0.0/12")]
    [InlineData("172.31.255.255", "Private", "private 172.16.0.0/12")]
    [InlineData("192.168.1.1", "Private", "private 192.168.0.0/16")]
    [InlineData("fc00::1", "Private", "private fc00::/7")]
    [InlineData("fd12:3456::1", "Private", "private fc00::/7")]
    [InlineData("127.0.0.1", "Loopback", "loopback 127.0.0.0/8")]
    [InlineData("127.255.0.9", "Loopback", "loopback 127.0.0.0/8")]
    [InlineData("::1", "Loopback", "loopback ::1")]
    [InlineData("::ffff:127.0.0.1", "Loopback", "loopback 127.0.0.0/8")]
    [InlineData("0.0.0.0", "Unspecified", "unspecified 0.0.0.0/8")]
    [InlineData("::", "Unspecified", "unspecified ::")]
    [InlineData("8.8.8.8", "Public", "public")]
    [InlineData("172.32.0.1", "Public", "public")]
    [InlineData("100.100.100.201", "Public", "public")]
    [InlineData("169.253.255.255", "Public", "public")]
    [InlineData("2001:db8::1", "Public", "public")]
    public void Classify_Address_NamesItsCategoryAndRule(string address, string category, string rule)
        => Assert.Equal(new AddressClassification(Enum.Parse<AddressCategory>(category), rule), AddressClassifier.Classify(IPAddress.Parse(address)));

    [Fact]
    public void Refusal_DefaultPolicy_RefusesLinkLocalAndMetadataOnly()
    {
        var policy = AddressPolicy.From(new HttpFetchOptions());

        Assert.Equal("address 169.254.169.254 refused by the address policy (link-local 169.254.0.0/16)", policy.Refusal(IPAddress.Parse("169.254.169.254")));
        Assert.Equal("address 100.100.100.200 refused by the address policy (cloud metadata 100.100.100.200)", policy.Refusal(IPAddress.Parse("100.100.100.200")));
        Assert.Equal("address fe80::1 refused by the address policy (link-local fe80::/10)", policy.Refusal(IPAddress.Parse("fe80::1")));
        Assert.Equal("address 0.0.0.0 refused by the address policy (unspecified 0.0.0.0/8)", policy.Refusal(IPAddress.Any));
        Assert.Null(policy.Refusal(IPAddress.Loopback));
        Assert.Null(policy.Refusal(IPAddress.IPv6Loopback));
        Assert.Null(policy.Refusal(IPAddress.Parse("10.0.0.1")));
        Assert.Null(policy.Refusal(IPAddress.Parse("8.8.8.8")));
    }

    [Fact]
    public void Refusal_PrivateAndLoopbackRefused_RefusesThemAndStillAllowsPublic()
    {
        var policy = new AddressPolicy(loopback: AddressAccess.Refuse, @private: AddressAccess.Refuse, linkLocal: AddressAccess.Refuse);

        Assert.Equal("address 10.0.0.1 refused by the address policy (private 10.0.0.0/8)", policy.Refusal(IPAddress.Parse("10.0.0.1")));
        Assert.Equal("address 127.0.0.1 refused by the address policy (loopback 127.0.0.0/8)", policy.Refusal(IPAddress.Loopback));
        Assert.Equal("address ::1 refused by the address policy (loopback ::1)", policy.Refusal(IPAddress.IPv6Loopback));
        Assert.Null(policy.Refusal(IPAddress.Parse("8.8.8.8")));
    }

    [Fact]
    public void Refusal_LinkLocalAllowed_AllowsMetadataButNeverTheUnspecifiedAddress()
    {
        var policy = new AddressPolicy(AddressAccess.Allow, AddressAccess.Allow, AddressAccess.Allow);

        Assert.Null(policy.Refusal(IPAddress.Parse("169.254.169.254")));
        Assert.NotNull(policy.Refusal(IPAddress.IPv6Any));
    }
}
