using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Pipeline.Fetching;

/// <summary>Options of the <c>Pipeline:Http</c> configuration section.</summary>
public sealed class HttpFetchOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Pipeline:Http";

    /// <summary>Gets or sets how long one request may take, headers and body together.</summary>
    /// <value>The default value is 30 seconds. Allowed: 1 millisecond to 1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.Parse(PipelineDefaults.RequestTimeout, CultureInfo.InvariantCulture);

    /// <summary>Gets or sets the <c>User-Agent</c> header sent with every request.</summary>
    /// <value>The default value is <c>Pipeline/1.0</c> with a project link.</value>
    [Required(AllowEmptyStrings = false)]
    public string UserAgent { get; set; } = PipelineDefaults.UserAgent;
}
