using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Pipeline.Fetching;

namespace Pipeline.Tests.Fetching;

/// <summary>
/// The connect step with resolution and connect replaced: no test here opens a socket, so a broken
/// policy shows up as a recorded endpoint, never as a packet to a non-loopback address.
/// </summary>
public sealed class GuardedConnectorTests
{
    private static readonly AddressPolicy Default = AddressPolicy.From(new HttpFetchOptions());

    private readonly ConcurrentQueue<IPEndPoint> _dialled = new();
    private readonly ConcurrentQueue<string> _resolved = new();

    [Fact]
    public async Task ConnectAsync_LiteralMetadataAddress_RefusesWithoutResolvingOrConnecting()
    {
        var connector = Connector(Default, []);

        var refused = await Assert.ThrowsAsync<AddressRefusedException>(() => connector.ConnectAsync(new DnsEndPoint("169.254.169.254", 80), CancellationToken.None).AsTask());

        Assert.Equal("address 169.254.169.254 refused by the address policy (cloud metadata of AWS, Google Cloud, Azure, Oracle Cloud and DigitalOcean 169.254.169.254/32)", refused.Message);
        Assert.Empty(_resolved);
        Assert.Empty(_dialled);
    }

    [Fact]
    public async Task ConnectAsync_BracketedIpv6Literal_IsCheckedAsAnAddress()
    {
        var connector = Connector(Default, []);

        var refused = await Assert.ThrowsAsync<AddressRefusedException>(() => connector.ConnectAsync(new DnsEndPoint("[fd00:ec2::254]", 80), CancellationToken.None).AsTask());

        Assert.Equal("address fd00:ec2::254 refused by the address policy (cloud metadata of AWS over IPv6 fd00:ec2::254/128)", refused.Message);
        Assert.Empty(_dialled);
    }

    [Fact]
    public async Task ConnectAsync_NameResolvingToMetadata_RefusesAfterResolutionWithoutConnecting()
    {
        var connector = Connector(Default, [IPAddress.Parse("169.254.169.254")]);

        var refused = await Assert.ThrowsAsync<AddressRefusedException>(() => connector.ConnectAsync(new DnsEndPoint("metadata.example.test", 80), CancellationToken.None).AsTask());

        Assert.Equal(["metadata.example.test"], _resolved);
        Assert.StartsWith("address 169.254.169.254 refused", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_dialled);
    }

    [Fact]
    public async Task ConnectAsync_NameWithRefusedAndAllowedAddresses_DialsOnlyTheAllowedOne()
    {
        var policy = new AddressPolicy(new Dictionary<AddressCategory, AddressAccess> { [AddressCategory.Loopback] = AddressAccess.Allow });
        var connector = Connector(policy, [IPAddress.Parse("10.0.0.1"), IPAddress.Parse("169.254.1.1"), IPAddress.Loopback]);

        await using var stream = await connector.ConnectAsync(new DnsEndPoint("mixed.example.test", 8080), CancellationToken.None);

        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 8080)], _dialled);
    }

    [Fact]
    public async Task ConnectAsync_LoopbackRefused_RefusesLocalhost()
    {
        var policy = new AddressPolicy(new Dictionary<AddressCategory, AddressAccess> { [AddressCategory.Private] = AddressAccess.Allow });
        var connector = Connector(policy, [IPAddress.IPv6Loopback, IPAddress.Loopback]);

        var refused = await Assert.ThrowsAsync<AddressRefusedException>(() => connector.ConnectAsync(new DnsEndPoint("localhost", 80), CancellationToken.None).AsTask());

        Assert.Equal("address ::1 refused by the address policy (loopback ::1/128)", refused.Message);
        Assert.Empty(_dialled);
    }

    [Fact]
    public async Task ConnectAsync_FirstAllowedAddressFails_TriesTheNext()
    {
        var connector = new GuardedConnector(
            Default,
            (_, _) => Task.FromResult(new[] { IPAddress.Parse("127.0.0.2"), IPAddress.Loopback }),
            (endPoint, _) =>
            {
                _dialled.Enqueue(endPoint);
                return endPoint.Address.Equals(IPAddress.Loopback)
                    ? ValueTask.FromResult<Stream>(new MemoryStream())
                    : ValueTask.FromException<Stream>(new SocketException((int)SocketError.ConnectionRefused));
            });

        await using var stream = await connector.ConnectAsync(new DnsEndPoint("two.example.test", 80), CancellationToken.None);

        Assert.Equal([new IPEndPoint(IPAddress.Parse("127.0.0.2"), 80), new IPEndPoint(IPAddress.Loopback, 80)], _dialled);
    }

    [Fact]
    public async Task ConnectAsync_NameResolvingToNothing_FailsNamingTheHost()
    {
        var connector = Connector(Default, []);

        var refused = await Assert.ThrowsAsync<AddressRefusedException>(() => connector.ConnectAsync(new DnsEndPoint("empty.example.test", 80), CancellationToken.None).AsTask());

        Assert.Equal("host empty.example.test resolved to no address", refused.Message);
    }

    private GuardedConnector Connector(AddressPolicy policy, IPAddress[] addresses) => new(
        policy,
        (host, _) =>
        {
            _resolved.Enqueue(host);
            return Task.FromResult(addresses);
        },
        (endPoint, _) =>
        {
            _dialled.Enqueue(endPoint);
            return ValueTask.FromResult<Stream>(new MemoryStream());
        });
}
