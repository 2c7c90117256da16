namespace Pipeline.Concurrency;

/// <summary>The defaults of <see cref="AdaptiveOptions"/>.</summary>
internal static class AdaptiveDefaults
{
    public const int Min = 1;
    public const int Max = 256;
    public const int WindowMilliseconds = 100;
}
