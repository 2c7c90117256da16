namespace Pipeline.Worker.Hosting.Service;

/// <summary>The default of every service option, in one place so docs, code and tests agree.</summary>
internal static class ServiceDefaults
{
    public const string Inbox = "inbox";
    public const string Outbox = "outbox";
    public const string Done = "done";
    public const string PollInterval = "00:00:02";
    public const string MinPollInterval = "00:00:00.010";
    public const string MaxPollInterval = "00:10:00";
    public const string Interval = "00:00:00";
    public const string MaxInterval = "7.00:00:00";
    public const string ResultsSuffix = ".results.jsonl";
    public const string FailedSuffix = ".failed";
    public const string ReasonSuffix = ".reason";
    public const string PartSuffix = ".part";
    public const string HeartbeatFile = "heartbeat";
    public const string HealthMaxAge = "00:01:00";
    public const string Pattern = "*.txt";
    public const int ReadAttempts = 4;
    public const string RetryDelay = "00:00:01";
}
