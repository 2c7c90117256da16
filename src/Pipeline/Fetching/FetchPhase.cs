namespace Pipeline.Fetching;

/// <summary>What a URL is doing now; named in the reason when a deadline or the budget cuts it short.</summary>
/// <remarks>An enum rather than a string set per attempt: the text is only needed when something fails.</remarks>
internal enum FetchPhase
{
    BeforeFirstAttempt,
    WaitingForPermit,
    WaitingForHeaders,
    ReadingBody,
    WaitingToRetry,
}
