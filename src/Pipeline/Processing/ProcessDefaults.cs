namespace Pipeline.Processing;

/// <summary>The defaults and limits of <see cref="ProcessOptions"/>, in one place so docs, code and tests agree.</summary>
internal static class ProcessDefaults
{
    public const int MaxParallelism = 1024;
    public const int ChannelCapacity = 8;
    public const int MaxChannelCapacity = 10_000;
    public const int MaxBodyBytes = 1024 * 1024;
    public const int MinMaxBodyBytes = 1024;
    public const int MaxMaxBodyBytes = 1024 * 1024 * 1024;
    public const string SaveDirectory = "saved";
}
