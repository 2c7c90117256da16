using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Pipeline.Worker.Hosting.Service;

/// <summary>Options of the <c>Pipeline:Service</c> section, used when <c>Pipeline:RunMode</c> is <see cref="RunMode.Service"/>.</summary>
internal sealed class ServiceOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Pipeline:Service";

    /// <summary>Gets or sets the folder watched for URL files (<c>*.txt</c>, one URL per line).</summary>
    /// <value>The default value is <c>inbox</c> (relative to the working directory).</value>
    /// <remarks>
    /// A file is read only once its size and last-write time are unchanged across two polls, so a
    /// file still being copied in is never read half-way. Writing to <c>name.txt.part</c> and renaming
    /// it to <c>name.txt</c> when complete is safe too: other extensions are ignored.
    /// </remarks>
    [Required(AllowEmptyStrings = false)]
    public string Inbox { get; set; } = ServiceDefaults.Inbox;

    /// <summary>Gets or sets the folder each inbox file's results go to, as <c>&lt;name&gt;.results.jsonl</c>.</summary>
    /// <value>The default value is <c>outbox</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string Outbox { get; set; } = ServiceDefaults.Outbox;

    /// <summary>Gets or sets the folder an inbox file is moved to once its batch has finished.</summary>
    /// <value>The default value is <c>done</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string Done { get; set; } = ServiceDefaults.Done;

    /// <summary>Gets or sets how often the inbox is looked at (and the schedule checked).</summary>
    /// <value>The default value is 2 seconds. Allowed: 10 milliseconds to 10 minutes.</value>
    /// <remarks>With a systemd watchdog, keep it well under half of <c>WatchdogSec</c>: an idle service pings on every poll.</remarks>
    [TimeSpanRange(ServiceDefaults.MinPollInterval, ServiceDefaults.MaxPollInterval)]
    public TimeSpan PollInterval { get; set; } = TimeSpan.Parse(ServiceDefaults.PollInterval, CultureInfo.InvariantCulture);

    /// <summary>Gets or sets how often the configured <c>Urls</c> and <c>Files</c> are re-run (a link or uptime monitor).</summary>
    /// <value>The default value is 0: no schedule. Allowed: 0 to 7 days.</value>
    /// <remarks>
    /// Each scheduled run writes its own file beside <c>Pipeline:Output</c>, named with the run's UTC
    /// start (<c>results.20260101T120000Z.jsonl</c>), so runs can be compared and old ones deleted.
    /// A stopped scheduled run is not resumed: the next one checks every URL again.
    /// </remarks>
    [TimeSpanRange(ServiceDefaults.Interval, ServiceDefaults.MaxInterval)]
    public TimeSpan Interval { get; set; } = TimeSpan.Parse(ServiceDefaults.Interval, CultureInfo.InvariantCulture);

    /// <summary>Gets or sets the heartbeat file, touched whenever the service proves it is alive (idle polls, a moving batch).</summary>
    /// <value>The default value is <c>heartbeat</c> (relative to the working directory).</value>
    /// <remarks><c>Pipeline.Worker --health</c> reads it: the container's HEALTHCHECK.</remarks>
    [Required(AllowEmptyStrings = false)]
    public string HeartbeatFile { get; set; } = ServiceDefaults.HeartbeatFile;

    /// <summary>Gets or sets how old the heartbeat may be before <c>--health</c> reports the service unhealthy.</summary>
    /// <value>The default value is 1 minute, like the unit's <c>WatchdogSec</c>. Allowed: 1 second to 1 day.</value>
    [TimeSpanRange("00:00:01", "1.00:00:00")]
    public TimeSpan HealthMaxAge { get; set; } = TimeSpan.Parse(ServiceDefaults.HealthMaxAge, CultureInfo.InvariantCulture);

    /// <summary>Gets or sets the name pattern of the inbox files to run (<c>*</c> and <c>?</c> wildcards).</summary>
    /// <value>The default value is <c>*.txt</c>, matched case-insensitively (<c>URLS.TXT</c> too).</value>
    /// <remarks>Any other file in the inbox is logged once and left alone, except <c>.part</c> files (still being written) and the service's own <c>.failed</c> files.</remarks>
    [Required(AllowEmptyStrings = false)]
    public string Pattern { get; set; } = ServiceDefaults.Pattern;

    /// <summary>Gets or sets a value indicating whether <see cref="Pattern"/> must match the case of a file name.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool PatternCaseSensitive { get; set; }

    /// <summary>Gets or sets how many times an inbox file is run when it fails with an I/O error (a full disk, a file locked) before it is quarantined.</summary>
    /// <value>The default value is 4. Allowed: 1 to 100.</value>
    [Range(1, 100)]
    public int Attempts { get; set; } = ServiceDefaults.ReadAttempts;

    /// <summary>Gets or sets the wait before the second attempt; it doubles before each further one.</summary>
    /// <value>The default value is 1 second. Allowed: 0 to 1 hour.</value>
    [TimeSpanRange("00:00:00", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.Parse(ServiceDefaults.RetryDelay, CultureInfo.InvariantCulture);
}
