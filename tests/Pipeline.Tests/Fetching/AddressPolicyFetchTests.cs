using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Fetching;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Fetching;

/// <summary>
/// The address policy through the whole fetcher. Only loopback is ever dialled: tests that aim at
/// other addresses replace the connect step with one that records the endpoint and refuses it, so
/// a broken policy fails the test without a packet leaving the machine.
/// </summary>
public sealed class AddressPolicyFetchTests : OriginTest
{
    private readonly ConcurrentQueue<IPEndPoint> _nonLoopbackDials = new();

    [Fact]
    public async Task FetchAsync_LoopbackRefusedByConfiguration_FailsBeforeConnectingAndIsNotRetried()
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?> { ["Pipeline:Http:LoopbackAddresses"] = "Refuse" });

        var result = await services.FetchAsync(Origin.Url("ok"));

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Equal("address 127.0.0.1 refused by the address policy (loopback 127.0.0.0/8)", result.Error);
        Assert.Equal("address_refused", result.ErrorType);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(0, Origin.Stats.Requests);
    }

    [Fact]
    public async Task FetchAsync_DefaultPolicy_FetchesFromLoopback()
    {
        using var services = PipelineServices.Create();

        var result = await services.FetchAsync(Origin.Url("ok"));

        Assert.Equal(FetchOutcome.Succeeded, result.Outcome);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "address 169.254.169.254 refused by the address policy (cloud metadata of AWS, Google Cloud, Azure, Oracle Cloud and DigitalOcean 169.254.169.254/32)")]
    [InlineData("http://100.100.100.200/latest/meta-data/", "address 100.100.100.200 refused by the address policy (cloud metadata of Alibaba Cloud 100.100.100.200/32)")]
    [InlineData("http://[fe80::1]/", "address fe80::1 refused by the address policy (link-local fe80::/10)")]
    [InlineData("http://metadata.example.test/computeMetadata/v1/", "address 169.254.169.254 refused by the address policy (cloud metadata of AWS, Google Cloud, Azure, Oracle Cloud and DigitalOcean 169.254.169.254/32)")]
    [InlineData("http://nat64.example.test/", "address 64:ff9b::a9fe:a9fe refused by the address policy (NAT64 64:ff9b::/96 carries 169.254.169.254: cloud metadata of AWS, Google Cloud, Azure, Oracle Cloud and DigitalOcean 169.254.169.254/32)")]
    public async Task FetchAsync_MetadataTarget_IsRefusedInTheConnectStep(string url, string reason)
    {
        using var services = GuardedServices();

        var result = await services.FetchAsync(url);

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Equal(reason, result.Error);
        Assert.Equal(1, result.Attempts);
        Assert.Empty(_nonLoopbackDials);
    }

    [Fact]
    public async Task FetchAsync_RedirectToMetadataAddress_IsRefusedAtTheRedirectedConnect()
    {
        using var services = GuardedServices();

        var result = await services.FetchAsync(Origin.Url("fault/redirect?to=http://169.254.169.254/latest/meta-data/"));

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Equal("address 169.254.169.254 refused by the address policy (cloud metadata of AWS, Google Cloud, Azure, Oracle Cloud and DigitalOcean 169.254.169.254/32)", result.Error);
        Assert.Equal(1, Origin.Stats.Requests);
        Assert.Empty(_nonLoopbackDials);
    }

    [Fact]
    public async Task FetchAsync_PrivateRefused_RefusesANameThatResolvesToAPrivateAddress()
    {
        using var services = GuardedServices(new() { ["Pipeline:Http:PrivateAddresses"] = "Refuse" });

        var result = await services.FetchAsync("http://intranet.example.test/");

        Assert.Equal("address 10.1.2.3 refused by the address policy (private-use 10.0.0.0/8)", result.Error);
        Assert.Empty(_nonLoopbackDials);
    }

    /// <summary>Every address the default policy refuses: one per table entry that is not globally reachable, and the embedded forms.</summary>
    public static TheoryData<string> RefusedByDefault()
    {
        var policy = AddressPolicy.From(new HttpFetchOptions());
        var data = new TheoryData<string>();
        foreach (var address in AddressClassifierTests.Entries.Select(row => (string)row[0]).Concat(AddressClassifierTests.EmbeddedForms.Select(row => (string)row[0])))
        {
            if (policy.Refusal(IPAddress.Parse(address)) is not null)
            {
                data.Add(address);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RefusedByDefault))]
    public async Task FetchAsync_AddressRefusedByDefault_IsNeverConnectedTo(string address)
    {
        using var services = GuardedServices();
        var ip = IPAddress.Parse(address);
        var host = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address;

        var result = await services.FetchAsync($"http://{host}/");

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Equal("address_refused", result.ErrorType);
        Assert.Equal(AddressPolicy.From(new HttpFetchOptions()).Refusal(ip), result.Error);
        Assert.Empty(_nonLoopbackDials);
    }

    /// <summary>Services whose connect step resolves <c>*.example.test</c> itself and dials loopback only.</summary>
    private ServiceProvider GuardedServices(Dictionary<string, string?>? settings = null) => PipelineServices.Create(settings, services =>
        services.AddHttpClient(PipelineHttpClient.Name).ConfigurePrimaryHttpMessageHandler(provider =>
        {
            var options = provider.GetRequiredService<IOptions<HttpFetchOptions>>().Value;
            var connector = new GuardedConnector(AddressPolicy.From(options), ResolveAsync, LoopbackOnlyAsync);
            return PipelineServiceCollectionExtensions.CreateHandler(options, connector);
        }));

    private static Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Task.FromResult(host switch
    {
        "metadata.example.test" => new[] { IPAddress.Parse("169.254.169.254") },
        "intranet.example.test" => [IPAddress.Parse("10.1.2.3")],

        // What a DNS64 resolver answers for a name whose only A record is 169.254.169.254.
        "nat64.example.test" => [IPAddress.Parse("64:ff9b::a9fe:a9fe")],
        _ => throw new SocketException((int)SocketError.HostNotFound),
    });

    private ValueTask<Stream> LoopbackOnlyAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        if (!IPAddress.IsLoopback(endPoint.Address))
        {
            _nonLoopbackDials.Enqueue(endPoint);
            throw new SocketException((int)SocketError.AccessDenied);
        }

        return GuardedConnector.ConnectSocketAsync(endPoint, cancellationToken);
    }
}
