using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Pipeline.Tests;

public sealed class LastValidOptionsTests
{
    [Fact]
    public void Value_AfterAnInvalidReload_KeepsTheLastValidValueThenTakesTheNextValidOne()
    {
        var source = new Dictionary<string, string?> { ["Pipeline:Concurrency"] = "4" };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(source).Build();
        using var services = new ServiceCollection().AddPipeline(configuration).BuildServiceProvider();
        var monitor = services.GetRequiredService<IOptionsMonitor<PipelineOptions>>();
        var options = new LastValidOptions<PipelineOptions>(monitor);

        configuration["Pipeline:Concurrency"] = "0";

        // The monitor rebuilds its value in the reload callback, and the invalid value throws there.
        var reloadError = Record.Exception(configuration.Reload);
        var whileInvalid = options.Value.Concurrency;
        var monitorError = Record.Exception(() => monitor.CurrentValue);
        configuration["Pipeline:Concurrency"] = "6";
        configuration.Reload();

        Assert.IsType<OptionsValidationException>(Assert.IsType<AggregateException>(reloadError).Flatten().InnerException);
        Assert.IsType<OptionsValidationException>(monitorError);
        Assert.Equal(4, whileInvalid);
        Assert.Equal(6, options.Value.Concurrency);
    }
}
