using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Worker.Hosting;
using Pipeline.Worker.Hosting.Service;

namespace Pipeline.Worker.Tests.Hosting.Service;

public sealed class ServiceOptionsTests
{
    [Fact]
    public void Ctor_Default_HasTheDocumentedDefaults()
    {
        var options = new ServiceOptions();

        Assert.Equal("inbox", options.Inbox);
        Assert.Equal("outbox", options.Outbox);
        Assert.Equal("done", options.Done);
        Assert.Equal(TimeSpan.FromSeconds(2), options.PollInterval);
        Assert.Equal(TimeSpan.Zero, options.Interval);
    }

    [Fact]
    public void Validate_OutOfRangeDurations_NamesEachSettingAndItsRange()
    {
        var options = new ServiceOptions { PollInterval = TimeSpan.Zero, Interval = TimeSpan.FromDays(8), Inbox = string.Empty };

        // ConfigurationErrors names keys from what the options registration recorded (no reflection).
        new ServiceCollection().AddOptions<ServiceOptions>()
            .BindChecked(new ConfigurationBuilder().Build().GetSection(ServiceOptions.SectionName), static (section, o) => section.Bind(o));
        var result = new ServiceOptionsValidator().Validate(Options.DefaultName, options);

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "Inbox: The ServiceOptions.Inbox field is required.",
                "Pipeline:Service:PollInterval: must be between 00:00:00.0100000 and 00:10:00.",
                "Pipeline:Service:Interval: must be between 00:00:00 and 7.00:00:00.",
            ],
            ConfigurationErrors.From(new OptionsValidationException(Options.DefaultName, typeof(ServiceOptions), result.Failures)));
    }
}
