namespace Pipeline.Worker.Hosting;

/// <summary>Options of the <c>Pipeline:Console</c> section: what the worker prints.</summary>
internal sealed class ConsoleOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Pipeline:Console";

    /// <summary>Gets or sets how the summary is printed.</summary>
    /// <value>The default value is <see cref="SummaryFormat.Report"/>; <c>--input</c> on the command line makes it <see cref="SummaryFormat.Line"/>.</value>
    public SummaryFormat Summary { get; set; } = SummaryFormat.Report;
}
