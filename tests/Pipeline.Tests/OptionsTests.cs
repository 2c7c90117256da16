using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Fetching;
using Pipeline.Tests.Support;

namespace Pipeline.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void PipelineOptions_Ctor_HasTheDocumentedDefaults()
    {
        var options = new PipelineOptions();

        Assert.Equal(PipelineMode.Concurrent, options.Mode);
        Assert.Equal(10, options.Concurrency);
        Assert.Equal(100, options.ChannelCapacity);
        Assert.Equal(100, options.ResultChannelCapacity);
        Assert.Equal("results.jsonl", options.Output);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ProgressInterval);
        Assert.Empty(options.Urls);
        Assert.Empty(options.Files);
        Assert.Equal(DuplicatePolicy.Skip, options.Duplicates);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ShutdownGrace);
        Assert.Equal(TimeSpan.FromSeconds(5), options.CheckpointInterval);
        Assert.False(options.Fresh);
        Assert.Equal("state", options.StateDirectory);
    }

    [Fact]
    public void PipelineOptions_Clone_CopiesEverySettingAndOwnsItsLists()
    {
        var options = new PipelineOptions { Mode = PipelineMode.Sequential, Concurrency = 3, Output = "a.jsonl" };
        options.Urls.Add("http://127.0.0.1/a");
        options.Files.Add("urls.txt");

        var copy = options.Clone();
        copy.Output = "b.jsonl";
        copy.Urls.Add("http://127.0.0.1/b");

        Assert.Equal(PipelineMode.Sequential, copy.Mode);
        Assert.Equal(3, copy.Concurrency);
        Assert.Equal(["urls.txt"], copy.Files);
        Assert.Equal("a.jsonl", options.Output);
        Assert.Equal(["http://127.0.0.1/a"], options.Urls);
    }

    [Fact]
    public void HttpFetchOptions_Ctor_HasTheDocumentedDefaults()
    {
        var options = new HttpFetchOptions();

        Assert.Equal(TimeSpan.FromSeconds(30), options.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.HeadersTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), options.TotalTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), options.PooledConnectionLifetime);
        Assert.Equal(10L * 1024 * 1024, options.MaxResponseBytes);
        Assert.Equal(5, options.MaxRedirects);
        Assert.Equal(0, options.MaxConcurrencyPerHost);
        Assert.Equal(0, options.RateLimitPerHost);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RateLimitPeriod);
        Assert.Equal(AddressAccess.Allow, options.LoopbackAddresses);
        Assert.Equal(AddressAccess.Allow, options.PrivateAddresses);
        Assert.Equal(AddressAccess.Refuse, options.LinkLocalAddresses);
        Assert.Equal("Pipeline/1.0 (+https://github.com/pipeline)", options.UserAgent);
    }

    [Fact]
    public void HttpRetryOptions_Ctor_HasTheDocumentedDefaults()
    {
        var options = new HttpRetryOptions();

        Assert.Equal(3, options.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(1), options.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxDelay);
    }

    [Fact]
    public void HttpCircuitBreakerOptions_Ctor_HasTheDocumentedDefaults()
    {
        var options = new HttpCircuitBreakerOptions();

        Assert.Equal(CircuitBreakerMode.Off, options.Mode);
        Assert.Equal(0.5, options.FailureRatio);
        Assert.Equal(10, options.MinimumThroughput);
        Assert.Equal(TimeSpan.FromSeconds(30), options.SamplingDuration);
        Assert.Equal(TimeSpan.FromSeconds(30), options.BreakDuration);
    }

    [Fact]
    public void Get_InvalidCircuitBreakerValues_ListsEveryProblemWithItsKey()
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?>
        {
            ["Pipeline:Http:CircuitBreaker:Mode"] = "On",
            ["Pipeline:Http:CircuitBreaker:FailureRatio"] = "0",
            ["Pipeline:Http:CircuitBreaker:MinimumThroughput"] = "1",
            ["Pipeline:Http:CircuitBreaker:BreakDuration"] = "00:00:00.100",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<HttpCircuitBreakerOptions>>().Value);

        Assert.Equal(
            [
                "Pipeline:Http:CircuitBreaker:Mode: 'On' is not valid. Allowed values: Off, PerHost.",
                "FailureRatio: The field HttpCircuitBreakerOptions.FailureRatio must be between 0.01 and 1.",
                "MinimumThroughput: The field HttpCircuitBreakerOptions.MinimumThroughput must be between 2 and 100000.",
                "BreakDuration: The field HttpCircuitBreakerOptions.BreakDuration must be between 00:00:00.5000000 and 01:00:00.",
            ],
            error.Failures);
    }

    [Fact]
    public void Get_HttpAndRetrySections_BindEveryKey()
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?>
        {
            ["Pipeline:Http:HeadersTimeout"] = "00:00:03",
            ["Pipeline:Http:TotalTimeout"] = "00:05:00",
            ["Pipeline:Http:ConnectTimeout"] = "00:00:04",
            ["Pipeline:Http:PooledConnectionLifetime"] = "00:10:00",
            ["Pipeline:Http:MaxResponseBytes"] = "1024",
            ["Pipeline:Http:MaxRedirects"] = "0",
            ["Pipeline:Http:MaxConcurrencyPerHost"] = "4",
            ["Pipeline:Http:RateLimitPerHost"] = "10",
            ["Pipeline:Http:RateLimitPeriod"] = "00:01:00",
            ["Pipeline:Http:LoopbackAddresses"] = "refuse",
            ["Pipeline:Http:PrivateAddresses"] = "Refuse",
            ["Pipeline:Http:LinkLocalAddresses"] = "Allow",
            ["Pipeline:Http:Retry:MaxRetries"] = "7",
            ["Pipeline:Http:Retry:BaseDelay"] = "00:00:00.250",
            ["Pipeline:Http:Retry:MaxDelay"] = "00:00:05",
        });

        var http = services.GetRequiredService<IOptions<HttpFetchOptions>>().Value;
        var retry = services.GetRequiredService<IOptions<HttpRetryOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(3), http.HeadersTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), http.TotalTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), http.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMinutes(10), http.PooledConnectionLifetime);
        Assert.Equal(1024, http.MaxResponseBytes);
        Assert.Equal(0, http.MaxRedirects);
        Assert.Equal(4, http.MaxConcurrencyPerHost);
        Assert.Equal(10, http.RateLimitPerHost);
        Assert.Equal(TimeSpan.FromMinutes(1), http.RateLimitPeriod);
        Assert.Equal(AddressAccess.Refuse, http.LoopbackAddresses);
        Assert.Equal(AddressAccess.Refuse, http.PrivateAddresses);
        Assert.Equal(AddressAccess.Allow, http.LinkLocalAddresses);
        Assert.Equal(7, retry.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(250), retry.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(5), retry.MaxDelay);
    }

    [Fact]
    public void Get_InvalidHttpValues_ListsEveryProblemWithItsKey()
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?>
        {
            ["Pipeline:Http:MaxResponseBytes"] = "0",
            ["Pipeline:Http:MaxRedirects"] = "51",
            ["Pipeline:Http:MaxConcurrencyPerHost"] = "-1",
            ["Pipeline:Http:HeadersTimeout"] = "00:00:00",
            ["Pipeline:Http:PooledConnectionLifetime"] = "soon",
            ["Pipeline:Http:PrivateAddresses"] = "Maybe",
            ["Pipeline:Http:Retries"] = "3",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<HttpFetchOptions>>().Value);

        Assert.Equal(
            [
                "Pipeline:Http:PooledConnectionLifetime: 'soon' is not a duration such as 00:00:05 (hh:mm:ss).",
                "Pipeline:Http:PrivateAddresses: 'Maybe' is not valid. Allowed values: Allow, Refuse.",
                "Pipeline:Http:Retries: unknown setting. Known settings of 'Pipeline:Http': AcceptStatuses, BenchmarkingAddresses, CircuitBreaker, ConnectTimeout, DocumentationAddresses, Headers, HeadersTimeout, HostHeaders, LinkLocalAddresses, LoopbackAddresses, MaxConcurrencyPerHost, MaxRedirects, MaxResponseBytes, MetadataAddresses, Method, MulticastAddresses, PooledConnectionLifetime, PrivateAddresses, RateLimitPerHost, RateLimitPeriod, RequestTimeout, ReservedAddresses, Retry, SharedAddresses, TotalTimeout, UnspecifiedAddresses, UserAgent.",
                "HeadersTimeout: The field HttpFetchOptions.HeadersTimeout must be between 00:00:00.0010000 and 01:00:00.",
                "MaxResponseBytes: The field HttpFetchOptions.MaxResponseBytes must be between 1 and 1099511627776.",
                "MaxRedirects: The field HttpFetchOptions.MaxRedirects must be between 0 and 50.",
                "MaxConcurrencyPerHost: The field HttpFetchOptions.MaxConcurrencyPerHost must be between 0 and 10000.",
            ],
            error.Failures);
    }

    [Fact]
    public void Get_InvalidRetryValues_ListsEveryProblemWithItsKey()
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?>
        {
            ["Pipeline:Http:Retry:MaxRetries"] = "101",
            ["Pipeline:Http:Retry:BaseDelay"] = "-00:00:01",
            ["Pipeline:Http:Retry:MaxDelay"] = "02:00:00",
            ["Pipeline:Http:Retry:Jitter"] = "false",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<HttpRetryOptions>>().Value);

        Assert.Equal(
            [
                "Pipeline:Http:Retry:Jitter: unknown setting. Known settings of 'Pipeline:Http:Retry': BaseDelay, MaxDelay, MaxRetries.",
                "MaxRetries: The field HttpRetryOptions.MaxRetries must be between 0 and 100.",
                "BaseDelay: The field HttpRetryOptions.BaseDelay must be between 00:00:00 and 00:10:00.",
                "MaxDelay: The field HttpRetryOptions.MaxDelay must be between 00:00:00 and 01:00:00.",
            ],
            error.Failures);
    }

    [Fact]
    public void Get_ValidSection_BindsEveryKey()
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?>
        {
            ["Pipeline:Mode"] = "sequential",
            ["Pipeline:Concurrency"] = "3",
            ["Pipeline:ChannelCapacity"] = "7",
            ["Pipeline:Urls:0"] = "http://a.test/",
            ["Pipeline:Http:RequestTimeout"] = "00:00:05",
        });

        var options = services.GetRequiredService<IOptions<PipelineOptions>>().Value;

        Assert.Equal(PipelineMode.Sequential, options.Mode);
        Assert.Equal(3, options.Concurrency);
        Assert.Equal(7, options.ChannelCapacity);
        Assert.Equal(["http://a.test/"], options.Urls);
        Assert.Equal(TimeSpan.FromSeconds(5), services.GetRequiredService<IOptions<HttpFetchOptions>>().Value.RequestTimeout);
    }

    [Fact]
    public void Get_InvalidValues_ListsEveryProblemWithItsKey()
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?>
        {
            ["Pipeline:Mode"] = "Fast",
            ["Pipeline:Concurency"] = "3",
            ["Pipeline:Concurrency"] = "0",
            ["Pipeline:ChannelCapacity"] = "lots",
            ["Pipeline:Files:0"] = "/definitely/missing/urls.txt",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PipelineOptions>>().Value);

        Assert.Equal(
            [
                "Pipeline:ChannelCapacity: 'lots' is not a value of type Int32.",
                "Pipeline:Concurency: unknown setting. Known settings of 'Pipeline': Adaptive, ChannelCapacity, CheckpointInterval, Concurrency, Duplicates, Files, Fresh, Http, Mode, Output, Process, ProgressInterval, ResultChannelCapacity, ShutdownGrace, StateDirectory, Telemetry, Urls.",
                "Pipeline:Mode: 'Fast' is not valid. Allowed values: Sequential, Concurrent, Compare.",
                "Concurrency: The field PipelineOptions.Concurrency must be between 1 and 10000.",
                "Pipeline:Files:0: file '/definitely/missing/urls.txt' not found (looked for /definitely/missing/urls.txt).",
            ],
            error.Failures);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("-1")]
    public void Get_NumericMode_IsRefusedEvenWhenItMapsToAValue(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Pipeline:Mode"] = value }).Build();

        var problems = ConfigurationCheck.Problems(configuration.GetSection("Pipeline"), typeof(PipelineOptions), []);

        Assert.Equal($"Pipeline:Mode: '{value}' is not valid. Allowed values: Sequential, Concurrent, Compare.", Assert.Single(problems).Message);
    }
}
